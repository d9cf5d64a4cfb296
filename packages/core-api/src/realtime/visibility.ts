import type { Role } from '../domain/caller.js';
import type { BusEvent } from './bus.js';

/** Who is looking: the same rules serve WebSockets, GET /api/events and GraphQL. */
export interface Viewer {
  userId: number;
  workspaceId: number;
  role: Role;
}

export type Topic = { kind: 'tasks' } | { kind: 'task'; taskId: number } | { kind: 'notifications' };

const TASK_TOPIC = /^task:([1-9][0-9]{0,15})$/;

export function parseTopic(name: unknown): Topic | undefined {
  if (name === 'tasks') return { kind: 'tasks' };
  if (name === 'notifications') return { kind: 'notifications' };
  const match = typeof name === 'string' ? TASK_TOPIC.exec(name) : null;
  return match ? { kind: 'task', taskId: Number(match[1]) } : undefined;
}

export function topicName(topic: Topic): string {
  return topic.kind === 'task' ? `task:${topic.taskId}` : topic.kind;
}

const isTaskActivity = (type: string) => type.startsWith('task.') || type.startsWith('comment.');

/** Event families only admins may see: API keys, the workspace, webhook endpoints. Also filtered in SQL by GET /api/events. */
export const ADMIN_ONLY_EVENT_PREFIXES = ['api_key.', 'workspace.', 'webhook.'] as const;

const isAdminOnly = (type: string) => ADMIN_ONLY_EVENT_PREFIXES.some((prefix) => type.startsWith(prefix));

/**
 * Whether a viewer may see an event at all: same workspace; private events
 * (notifications) only for their user; key, workspace and webhook
 * administration only for admins.
 */
export function canSee(viewer: Viewer, event: Pick<BusEvent, 'workspaceId' | 'userId' | 'type'>): boolean {
  if (event.workspaceId !== viewer.workspaceId) return false;
  if (event.userId !== null) return event.userId === viewer.userId;
  if (isAdminOnly(event.type)) return viewer.role === 'admin';
  return true;
}

/** Whether a visible event belongs on a topic. */
export function inTopic(topic: Topic, viewer: Viewer, event: Pick<BusEvent, 'userId' | 'type' | 'taskId'>): boolean {
  switch (topic.kind) {
    case 'tasks':
      return event.userId === null && isTaskActivity(event.type);
    case 'task':
      return event.userId === null && isTaskActivity(event.type) && event.taskId === topic.taskId;
    case 'notifications':
      return event.userId === viewer.userId && event.type.startsWith('notification.');
  }
}

/** The frame a subscriber receives for an event (also the shape GET /api/events lists). */
export function eventFrame(event: BusEvent, topic: string) {
  return {
    type: 'event' as const,
    id: event.id,
    topic,
    event: event.type,
    actorId: event.actorId,
    taskId: event.taskId,
    data: event.payload,
    createdAt: event.createdAt.toISOString(),
  };
}
