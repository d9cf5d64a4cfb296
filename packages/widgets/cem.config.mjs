// custom-elements.json from the classes' JSDoc (@summary, @event, @csspart, @cssproperty…).
export default {
  globs: ['src/**/*.component.ts', 'src/shared/base.ts'],
  outdir: '.',
  litelement: true,
};
