/**
 * The changes a task's watchers hear of as one `task.watched_change` per
 * update. Status and assignee changes have notifications of their own;
 * position and derived fields are not news.
 */
const WATCHED_FIELDS: Record<string, string> = {
  title: 'the title',
  description: 'the description',
  priority: 'the priority',
  dueDate: 'the due date',
  labelIds: 'the labels',
  parentId: 'the parent task',
  projectId: 'the project',
};

/** What an update changed, in words ("the title and the due date"); empty when nothing watched changed. */
export function watchedChangeWords(changes: Record<string, unknown>): string | undefined {
  const named = Object.keys(changes).flatMap((field) => (WATCHED_FIELDS[field] ? [WATCHED_FIELDS[field]] : []));
  const custom = Object.keys(changes).filter((field) => field.startsWith('fields.')).length;
  if (custom) named.push(custom === 1 ? 'a custom field' : `${custom} custom fields`);
  if (named.length === 0) return undefined;
  return named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}
