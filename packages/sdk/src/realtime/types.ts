import type { components } from '../generated/openapi.js';

/** Connection state of {@link RealtimeClient}. */
export type RealtimeState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** `tasks` (task and comment events of the workspace), `task:<id>`, `project:<id>`, `notifications` (yours), or `jobs` (your exports' and imports' progress). */
export type RealtimeTopic = 'tasks' | 'notifications' | 'jobs' | `task:${number}` | `project:${number}`;

/** A change, as `/api/events` lists it, pushed on a topic. */
export type RealtimeEvent = components['schemas']['Event'] & { type: 'event'; topic: string };

/** More events were missed than the server replays: reload your data. Live events keep coming. */
export interface RealtimeResync {
  type: 'resync';
  topic: string;
  message: string;
}

/** The server refused something about this topic (e.g. `not_found`), or the socket was refused (`forbidden`). */
export interface RealtimeError {
  type: 'error';
  topic?: string;
  code: string;
  message: string;
}

/** The server confirmed the subscription (again after each reconnect); `replayed` events missed meanwhile came before it. */
export interface RealtimeSubscribed {
  type: 'subscribed';
  topic: string;
  replayed: number;
}

/** What a subscription handler receives. */
export type RealtimeMessage = RealtimeEvent | RealtimeSubscribed | RealtimeResync | RealtimeError;
export type RealtimeHandler = (message: RealtimeMessage) => void;
