import { expect } from 'vitest';

/**
 * A GraphQL subscription over SSE, read with fetch: the response resolves
 * once yoga has subscribed to the bus, and each `event: next` is recorded.
 */
export class SseSubscription {
  readonly events: any[] = [];
  /** The `errors` of each `event: next` that carried them (a stream ended by the server says why there). */
  readonly errors: any[] = [];
  /** Resolves when the server ends the stream (not when `close()` aborts it). */
  readonly ended: Promise<void>;
  private endStream!: () => void;
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];
  private buffer = '';

  private constructor() {
    this.ended = new Promise((resolve) => (this.endStream = resolve));
  }

  static async open(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<SseSubscription> {
    const subscription = new SseSubscription();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal: subscription.abort.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    void subscription.read(response.body!);
    return subscription;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        this.buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const message = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          const data = message.split('\n').find((line) => line.startsWith('data: '));
          if (message.startsWith('event: next') && data) {
            const payload = JSON.parse(data.slice(6));
            if (payload.errors) this.errors.push(...payload.errors);
            else this.events.push(payload);
          }
        }
        this.wake();
      }
      this.endStream();
    } catch {
      // aborted by close()
    }
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves once `count` events have arrived. */
  async received(count: number, timeoutMs = 10_000): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for ${count} events; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events.slice(0, count);
  }

  close(): void {
    this.abort.abort();
  }
}
