import type { Knex } from 'knex';
import type { BusEvent } from './bus.js';
import type { Viewer } from './visibility.js';

/** What a realtime subscriber (WebSocket or GraphQL) listens to. */
export type Topic = { kind: 'tasks' } | { kind: 'task'; taskId: number } | { kind: 'project'; projectId: number } | { kind: 'notifications' } | { kind: 'jobs' };

const TASK_TOPIC = /^task:([1-9][0-9]{0,15})$/;
const PROJECT_TOPIC = /^project:([1-9][0-9]{0,15})$/;

export function parseTopic(name: unknown): Topic | undefined {
  if (name === 'tasks') return { kind: 'tasks' };
  if (name === 'notifications') return { kind: 'notifications' };
  if (name === 'jobs') return { kind: 'jobs' };
  if (typeof name !== 'string') return undefined;
  const task = TASK_TOPIC.exec(name);
  if (task) return { kind: 'task', taskId: Number(task[1]) };
  const project = PROJECT_TOPIC.exec(name);
  return project ? { kind: 'project', projectId: Number(project[1]) } : undefined;
}

export function topicName(topic: Topic): string {
  if (topic.kind === 'task') return `task:${topic.taskId}`;
  if (topic.kind === 'project') return `project:${topic.projectId}`;
  return topic.kind;
}

/** The subscriber's own exports' and imports' progress, completion and failure. */
const JOB_PATTERNS = ['export.%', 'import.%'];
const isJobEvent = (type: string) => JOB_PATTERNS.some((pattern) => type.startsWith(pattern.slice(0, -1)));

/** What happens to tasks: their own changes, their comments and their files. */
const ACTIVITY_PATTERNS = ['task.%', 'comment.%', 'attachment.%'];
const isTaskActivity = (type: string) => ACTIVITY_PATTERNS.some((pattern) => type.startsWith(pattern.slice(0, -1)));
/** What shapes how tasks read, workspace-wide (a label renamed, a field's options, a shared view): every board hears of it. */
const isTaskSetting = (type: string) => type.startsWith('label.') || type.startsWith('field.') || type.startsWith('view.');
const SETTING_PATTERNS = ['label.%', 'field.%', 'view.%'];

/**
 * Whether a visible event belongs on a topic, as JavaScript (live
 * delivery). Its SQL twin is `inTopicSql`; one test holds the two equal.
 * `tasks` carries every task's activity; `project:<id>` that project's
 * tasks and the project's own changes (its workflow, its members). Both
 * carry the settings tasks are read with (labels, custom fields, shared
 * views), a project's only when of no project or of that one.
 */
export function inTopic(topic: Topic, viewer: Viewer, event: Pick<BusEvent, 'userId' | 'type' | 'taskId' | 'projectId'>): boolean {
  switch (topic.kind) {
    case 'tasks':
      return event.userId === null && (isTaskActivity(event.type) || isTaskSetting(event.type));
    case 'task':
      return event.userId === null && isTaskActivity(event.type) && event.taskId === topic.taskId;
    case 'project':
      if (event.userId !== null) return false;
      if (isTaskSetting(event.type)) return event.projectId === null || event.projectId === topic.projectId;
      return (isTaskActivity(event.type) || event.type.startsWith('project.')) && event.projectId === topic.projectId;
    case 'notifications':
      return event.userId === viewer.userId && event.type.startsWith('notification.');
    case 'jobs':
      return event.userId === viewer.userId && isJobEvent(event.type);
  }
}

/** `inTopic` as SQL (a resume's replay). */
export function inTopicSql<Q extends Knex.QueryBuilder>(query: Q, topic: Topic, viewer: Viewer): Q {
  if (topic.kind === 'notifications') return query.where('userId', viewer.userId).where('type', 'like', 'notification.%') as Q;
  if (topic.kind === 'jobs') return query.where('userId', viewer.userId).where((types) => JOB_PATTERNS.forEach((pattern) => types.orWhere('type', 'like', pattern))) as Q;
  const setting = (q: Knex.QueryBuilder) => q.where((types) => SETTING_PATTERNS.forEach((pattern) => types.orWhere('type', 'like', pattern)));
  const activity = (q: Knex.QueryBuilder) => q.where((types) => ACTIVITY_PATTERNS.forEach((pattern) => types.orWhere('type', 'like', pattern)));
  query.whereNull('userId');
  if (topic.kind === 'task') return activity(query.where('taskId', topic.taskId)) as Q;
  if (topic.kind === 'tasks') return query.where((types) => activity(types).orWhere((settings) => setting(settings))) as Q;
  return query.where((either) =>
    either
      .where((own) =>
        own.where('projectId', topic.projectId).where((types) => activity(types).orWhere('type', 'like', 'project.%')),
      )
      .orWhere((settings) => setting(settings).where((scope) => scope.whereNull('projectId').orWhere('projectId', topic.projectId))),
  ) as Q;
}
