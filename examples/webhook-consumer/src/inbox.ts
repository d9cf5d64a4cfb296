import { EventEmitter } from 'node:events';

/** A verified delivery: its `webhook-id` and the event Taskbase sent. */
export interface Delivery {
  id: string;
  event: TaskbaseWebhookEvent;
}

/** The body of every Taskbase webhook (see docs/webhooks.md). */
export interface TaskbaseWebhookEvent {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

export type Handler = (delivery: Delivery) => Promise<void> | void;

interface InboxEvents {
  processed: [Delivery];
  failed: [Delivery, unknown];
  duplicate: [string];
}

/**
 * Accepts deliveries at once and processes them later, one at a time, in the
 * order they came. Delivery is at least once, so the same `webhook-id` can
 * arrive again (a retry whose answer was lost, a manual resend): it is
 * processed once.
 *
 * Everything lives in memory: a restart forgets the queue and the ids seen
 * (a real consumer keeps both in its database, the id under a unique key).
 */
export class WebhookInbox extends EventEmitter<InboxEvents> {
  private readonly seen = new Set<string>();
  private readonly queue: Delivery[] = [];
  private draining = false;

  constructor(private readonly handler: Handler) {
    super();
  }

  /** Queues a delivery; false when its id was already accepted. Never waits for the handler. */
  accept(delivery: Delivery): boolean {
    if (this.seen.has(delivery.id)) {
      this.emit('duplicate', delivery.id);
      return false;
    }
    this.seen.add(delivery.id);
    this.queue.push(delivery);
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => void this.drain());
    }
    return true;
  }

  /** Deliveries accepted and not processed yet. */
  get pending(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    for (let delivery = this.queue.shift(); delivery; delivery = this.queue.shift()) {
      try {
        await this.handler(delivery);
        this.emit('processed', delivery);
      } catch (error) {
        // Taskbase already has its 202 and will not retry: a real consumer
        // keeps the delivery to retry it itself.
        this.emit('failed', delivery, error);
      }
    }
    this.draining = false;
  }
}
