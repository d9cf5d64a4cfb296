// The board's "open a task" dialog's elements (tb-task-detail, tb-comments), as
// dynamic imports: an app's bundler makes them a chunk of their own, loaded when
// the page is idle after the board's first render and awaited before a dialog
// opens (see task-dialog.ts). The CDN build (scripts/build-cdn.mjs), which
// registers both eagerly anyway, replaces this module with static imports.
export const loadDialogElements = (): Promise<unknown> =>
  Promise.all([import('../task-detail/task-detail.js'), import('../comments/comments.js')]);
