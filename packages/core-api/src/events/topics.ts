import type { Knex } from 'knex';
import type { BusEvent } from './bus.js';
import type { Viewer } from './visibility.js';

/** What a realtime subscriber (WebSocket or GraphQL) listens to. */
export type Topic = { kind: 'tasks' } | { kind: 'task'; taskId: number } | { kind: 'project'; projectId: number } | { kind: 'notifications' };

const TASK_TOPIC = /^task:([1-9][0-9]{0,15})$/;
const PROJECT_TOPIC = /^project:([1-9][0-9]{0,15})$/;

export function parseTopic(name: unknown): Topic | undefined {
  if (name === 'tasks') return { kind: 'tasks' };
  if (name === 'notifications') return { kind: 'notifications' };
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

const isTaskActivity = (type: string) => type.startsWith('task.') || type.startsWith('comment.');

/**
 * Whether a visible event belongs on a topic, as JavaScript (live
 * delivery). Its SQL twin is `inTopicSql`; one test holds the two equal.
 * `tasks` carries every task's activity; `project:<id>` that project's
 * tasks and the project's own changes (its workflow, its members).
 */
export function inTopic(topic: Topic, viewer: Viewer, event: Pick<BusEvent, 'userId' | 'type' | 'taskId' | 'projectId'>): boolean {
  switch (topic.kind) {
    case 'tasks':
      return event.userId === null && isTaskActivity(event.type);
    case 'task':
      return event.userId === null && isTaskActivity(event.type) && event.taskId === topic.taskId;
    case 'project':
      return event.userId === null && (isTaskActivity(event.type) || event.type.startsWith('project.')) && event.projectId === topic.projectId;
    case 'notifications':
      return event.userId === viewer.userId && event.type.startsWith('notification.');
  }
}

/** `inTopic` as SQL (a resume's replay). */
export function inTopicSql<Q extends Knex.QueryBuilder>(query: Q, topic: Topic, viewer: Viewer): Q {
  if (topic.kind === 'notifications') return query.where('userId', viewer.userId).where('type', 'like', 'notification.%') as Q;
  query.whereNull('userId').where((activity) => {
    activity.where('type', 'like', 'task.%').orWhere('type', 'like', 'comment.%');
    if (topic.kind === 'project') activity.orWhere('type', 'like', 'project.%');
  });
  if (topic.kind === 'task') query.where('taskId', topic.taskId);
  if (topic.kind === 'project') query.where('projectId', topic.projectId);
  return query;
}
