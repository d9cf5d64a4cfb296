import { html } from 'lit';
import type { Activity, CustomField, EventOf, EventType, Task, User } from '@taskbase/sdk';
import type { StringKey } from '../shared/locale.js';
import { statusLabel } from '../shared/workflow.js';

interface Ctx {
  t: (key: StringKey, vars?: Record<string, string | number>) => string;
  users: Map<number, User>;
  /** A moment (date and time). */
  date: (iso: string) => string;
  /** A day (due dates). */
  day: (iso: string) => string;
  /** A status key's label (from the task's workflow); default: the widgets' strings for the default statuses. */
  status?: (key: string) => string;
  /** A project id's name (for moves between projects); default: `#<id>`. */
  project?: (id: number) => string | undefined;
  /** A label id's name; default: `#<id>`. */
  label?: (id: number) => string | undefined;
  /** A custom field by key (its name, type and options); default: the key. */
  field?: (key: string) => Pick<CustomField, 'name' | 'type' | 'options'> | undefined;
  /** A task id's identifier (`CRM-42`, for parents and links); default: `#<id>`. */
  task?: (id: number) => string | undefined;
  /** Several names as one phrase ("Bug and Docs"); default: joined with commas. */
  list?: (items: string[]) => string;
}

type Change = { from: unknown; to: unknown };

const FIELD_KEYS: Record<string, StringKey> = {
  title: 'title', description: 'description', status: 'status', priority: 'priority', assignedTo: 'assignee', dueDate: 'dueDate', labelIds: 'labels', parentId: 'parentTask', recurrence: 'repeat',
};
/** Fields whose before and after are short enough to say ("from To do to In progress"); title and description are only named. */
const SAYABLE = new Set(['status', 'priority', 'assignedTo', 'dueDate', 'parentId']);
/** The longest custom-field text said in full; longer ones are only named. */
const SAYABLE_TEXT = 40;

const ids = (value: unknown): number[] => (Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : []);

/** A custom field's value as people read it: option names, a person's name, Yes/No, a day. */
function fieldValueText(field: Pick<CustomField, 'type' | 'options'> | undefined, value: unknown, ctx: Ctx): string {
  if (value === null || value === undefined || (Array.isArray(value) && !value.length)) return ctx.t('fieldNone');
  const option = (id: unknown) => field?.options.find((o) => o.id === id)?.name ?? String(id);
  switch (field?.type) {
    case 'select': return option(value);
    case 'multi_select': {
      const names = (Array.isArray(value) ? value : [value]).map(option);
      return ctx.list ? ctx.list(names) : names.join(', ');
    }
    case 'user': return ctx.users.get(value as number)?.name ?? `#${String(value)}`;
    case 'checkbox': return ctx.t(value ? 'yes' : 'no');
    case 'date': return ctx.day(String(value));
    default: return Array.isArray(value) ? value.join(', ') : String(value);
  }
}

/** "labels: added Bug; removed UI" for a change of the label list. */
function labelsChange(name: string, change: Change, ctx: Ctx): string {
  const [from, to] = [ids(change.from), ids(change.to)];
  const names = (list: number[]) => {
    const each = list.map((id) => ctx.label?.(id) ?? `#${id}`);
    return ctx.list ? ctx.list(each) : each.join(', ');
  };
  const added = to.filter((id) => !from.includes(id));
  const removed = from.filter((id) => !to.includes(id));
  const parts = [added.length ? ctx.t('activity.added', { items: names(added) }) : '', removed.length ? ctx.t('activity.removed', { items: names(removed) }) : ''].filter(Boolean);
  return parts.length ? `${name}: ${parts.join('; ')}` : name;
}

/** One custom field's change, `fields.<key>`: "Size from S to M" (long texts are only named). */
function fieldChange(key: string, change: Change, ctx: Ctx): string {
  const field = ctx.field?.(key);
  const name = field?.name ?? key;
  const long = (v: unknown) => typeof v === 'string' && v.length > SAYABLE_TEXT;
  if ((field?.type ?? 'text') === 'text' && (long(change.from) || long(change.to))) return name;
  return ctx.t('activity.change', { field: name, from: fieldValueText(field, change.from, ctx), to: fieldValueText(field, change.to, ctx) });
}

/** A field's value as people read it: labels, names and dates rather than keys and ids. */
function valueText(field: string, value: unknown, ctx: Ctx): string {
  if (field === 'status') return ctx.status ? ctx.status(String(value)) : statusLabel(String(value), ctx.t);
  if (field === 'priority') return ctx.t(`priority.${value as Task['priority']}`);
  if (field === 'assignedTo') return value === null ? ctx.t('unassigned') : (ctx.users.get(value as number)?.name ?? `#${String(value)}`);
  if (field === 'dueDate') return value ? ctx.day(value as string) : ctx.t('noDueDate');
  if (field === 'parentId') return value === null || value === undefined ? ctx.t('noParent') : (ctx.task?.(value as number) ?? `#${String(value)}`);
  return String(value ?? '');
}

/** "status from To do to In progress, title" for the changes of one `task.updated` event. */
export function describeChanges(changes: Record<string, Change>, ctx: Ctx): string {
  const parts = Object.entries(changes)
    .filter(([field]) => field !== 'position' && field !== 'version')
    .map(([field, change]) => {
      if (field.startsWith('fields.')) return fieldChange(field.slice('fields.'.length), change, ctx);
      const name = (FIELD_KEYS[field] ? ctx.t(FIELD_KEYS[field]) : field).toLowerCase();
      if (field === 'labelIds') return labelsChange(name, change, ctx);
      if (!SAYABLE.has(field)) return name;
      return ctx.t('activity.change', { field: name, from: valueText(field, change.from, ctx), to: valueText(field, change.to, ctx) });
    });
  // A change that lists names ("added Bug, Docs") needs a stronger separator between changes.
  return parts.join(parts.length > 1 && parts.some((part) => part.includes(',')) ? '; ' : ', ');
}

/** How one event type is worded: a string of the widgets' strings (filled with `{actor}`), or a function of the event's data for the ones with details. */
type Wording<T extends EventType> = StringKey | ((data: EventOf<T>['data'], actor: string, ctx: Ctx, actorId?: number | null) => string);

const changed = (changes: Record<string, Change>, actor: string, ctx: Ctx) => {
  const fields = describeChanges(changes, ctx);
  // Only the position changed: a reorder within the column.
  return fields ? ctx.t('activity.task.updated', { actor, fields }) : ctx.t('activity.task.reordered', { actor });
};
const about = (key: StringKey) => (data: { user: User }, actor: string, ctx: Ctx) => ctx.t(key, { actor, name: data.user.name });
const ofProject = (key: StringKey) => (data: { project: { name: string } }, actor: string, ctx: Ctx) => ctx.t(key, { actor, project: data.project.name });
const memberOf = (key: StringKey) => (data: { project: { name: string }; user: { id: number; name?: string } }, actor: string, ctx: Ctx) =>
  ctx.t(key, { actor, project: data.project.name, name: data.user.name ?? ctx.users.get(data.user.id)?.name ?? `#${data.user.id}` });
const projectName = (id: number, ctx: Ctx) => ctx.project?.(id) ?? `#${id}`;
const named = <K extends 'label' | 'field' | 'view'>(key: StringKey, of: K) => (data: Record<K, { name: string }>, actor: string, ctx: Ctx) => ctx.t(key, { actor, name: data[of].name });
type RelationData = { relation: { type: string; relatedTaskId: number } };
/** "Ada linked the task: blocks CRM-3" (the type read from this task). */
const linked = (key: StringKey) => (data: RelationData, actor: string, ctx: Ctx) =>
  ctx.t(key, { actor, relation: ctx.t(`relation.${data.relation.type}` as StringKey).toLowerCase(), task: ctx.task?.(data.relation.relatedTaskId) ?? `#${data.relation.relatedTaskId}` });
/** "Ada started watching the task", or "Ada added Bob Builder as a watcher" when it was someone else. */
const watcher = (self: StringKey, other: StringKey) => (data: { user?: { id: number; name?: string }; userId?: number }, actor: string, ctx: Ctx, actorId?: number | null) => {
  const id = data.user?.id ?? data.userId;
  if (id === undefined || id === actorId) return ctx.t(self, { actor });
  return ctx.t(other, { actor, name: data.user?.name ?? ctx.users.get(id)?.name ?? `#${id}` });
};

/**
 * The wording of every event type of the server's catalog (the SDK's
 * `EventType`): a new type does not compile until it is worded here. A task's
 * history shows the task and comment events; the rest are worded for any
 * feed that shows them. Types a newer server sends fall back to
 * `activity.other`.
 */
export const ACTIVITY_WORDING: { [T in EventType]: Wording<T> } = {
  'task.created': 'activity.task.created',
  'task.updated': (data, actor, ctx) => changed(data.changes, actor, ctx),
  // The server leaves these two out of a task's history (task.updated says the same), but a feed may show them.
  'task.status_changed': (data, actor, ctx) => changed({ status: data }, actor, ctx),
  'task.assigned': (data, actor, ctx) => changed({ assignedTo: data }, actor, ctx),
  'task.deleted': 'activity.task.deleted',
  'task.project_changed': (data, actor, ctx) => ctx.t('activity.task.project_changed', { actor, from: projectName(data.from, ctx), to: projectName(data.to, ctx) }),
  'task.relation_added': linked('activity.task.relation_added'),
  'task.relation_removed': linked('activity.task.relation_removed'),
  'task.watcher_added': watcher('activity.task.watcher_added', 'activity.task.watcher_added_other'),
  'task.watcher_removed': watcher('activity.task.watcher_removed', 'activity.task.watcher_removed_other'),
  'task.recurrence_stopped': (data, _actor, ctx) => ctx.t(data.reason === 'stopped' ? 'activity.task.recurrence_stopped' : 'activity.task.recurrence_ended'),
  'reminder.created': 'activity.reminder.created',
  'reminder.deleted': 'activity.reminder.deleted',
  'label.created': named('activity.label.created', 'label'),
  'label.updated': named('activity.label.updated', 'label'),
  'label.deleted': named('activity.label.deleted', 'label'),
  'field.created': named('activity.field.created', 'field'),
  'field.updated': named('activity.field.updated', 'field'),
  'field.deleted': named('activity.field.deleted', 'field'),
  'view.created': named('activity.view.created', 'view'),
  'view.updated': named('activity.view.updated', 'view'),
  'view.deleted': named('activity.view.deleted', 'view'),
  'project.created': ofProject('activity.project.created'),
  'project.updated': ofProject('activity.project.updated'),
  'project.archived': ofProject('activity.project.archived'),
  'project.workflow_changed': ofProject('activity.project.workflow_changed'),
  'project.member_added': memberOf('activity.project.member_added'),
  'project.member_removed': memberOf('activity.project.member_removed'),
  'comment.created': 'activity.comment.created',
  'comment.updated': 'activity.comment.updated',
  'comment.deleted': 'activity.comment.deleted',
  'comment.reaction_added': (data, actor, ctx) => ctx.t('activity.comment.reaction_added', { actor, emoji: data.emoji }),
  'comment.reaction_removed': (data, actor, ctx) => ctx.t('activity.comment.reaction_removed', { actor, emoji: data.emoji }),
  'attachment.added': (data, actor, ctx) => ctx.t('activity.attachment.added', { actor, name: data.attachment.filename }),
  'attachment.removed': (data, actor, ctx) => ctx.t('activity.attachment.removed', { actor, name: data.attachment.filename }),
  'user.created': about('activity.user.created'),
  'user.updated': about('activity.user.updated'),
  'user.deactivated': about('activity.user.deactivated'),
  'notification.created': 'activity.notification.created',
  'notification.read': 'activity.notification.read',
  'notification.archived': 'activity.notification.archived',
  'notification.preferences_updated': 'activity.notification.preferences_updated',
  'workspace.notification_defaults_updated': 'activity.workspace.notification_defaults_updated',
  'calendar_feed.created': 'activity.calendar_feed.created',
  'calendar_feed.revoked': 'activity.calendar_feed.revoked',
  'export.progress': 'activity.export.progress',
  'export.completed': 'activity.export.completed',
  'export.failed': 'activity.export.failed',
  'import.progress': 'activity.import.progress',
  'import.completed': 'activity.import.completed',
  'import.failed': 'activity.import.failed',
  'api_key.created': 'activity.api_key.created',
  'api_key.revoked': 'activity.api_key.revoked',
  'workspace.created': 'activity.workspace.created',
  'workspace.updated': 'activity.workspace.updated',
  'webhook.endpoint_created': 'activity.webhook.endpoint_created',
  'webhook.endpoint_updated': 'activity.webhook.endpoint_updated',
  'webhook.endpoint_deleted': 'activity.webhook.endpoint_deleted',
  'webhook.endpoint_disabled': 'activity.webhook.endpoint_disabled',
  'webhook.secret_rotated': 'activity.webhook.secret_rotated',
  'webhook.test': 'activity.webhook.test',
};

/** One history entry as a sentence, in the widget's language. */
export function describeActivity(item: Pick<Activity, 'type' | 'actorId' | 'payload'>, ctx: Ctx): string {
  const actor = (item.actorId !== null && ctx.users.get(item.actorId)?.name) || ctx.t('someone');
  const wording = Object.hasOwn(ACTIVITY_WORDING, item.type) ? (ACTIVITY_WORDING[item.type as EventType] as Wording<EventType>) : undefined;
  if (wording === undefined) return ctx.t('activity.other', { actor, type: item.type });
  if (typeof wording === 'string') return ctx.t(wording, { actor });
  // An activity's payload is its event's data (the server writes both from one catalog).
  return (wording as (data: unknown, actor: string, ctx: Ctx, actorId?: number | null) => string)(item.payload, actor, ctx, item.actorId);
}

/** A task's history, newest first. */
export function renderActivity(items: Activity[], ctx: Ctx) {
  if (!items.length) return html`<p class="state">${ctx.t('empty')}</p>`;
  return html`<ol class="activity" part="activity">
    ${[...items].reverse().map((item) => html`<li><span>${describeActivity(item, ctx)}</span><time datetime=${item.createdAt}>${ctx.date(item.createdAt)}</time></li>`)}
  </ol>`;
}
