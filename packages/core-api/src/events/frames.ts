import type { BusEvent } from './bus.js';

/** The frame a WebSocket subscriber receives for an event (GET /api/events lists the same, without `type` and `topic`). */
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

/** The body a webhook delivery sends for an event: the same `data` as the realtime frame. */
export function webhookBody(type: string, timestamp: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ type, timestamp: timestamp.toISOString(), data });
}
