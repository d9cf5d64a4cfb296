import WebSocket from 'ws';

/** A real `ws` client that records every frame and lets a test await the ones it expects. */
export class TestSocket {
  readonly frames: any[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  static async open(baseUrl: string, options: { token?: string; origin?: string; query?: string } = {}): Promise<TestSocket> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/ws${options.query ? `?${options.query}` : ''}`;
    const protocols = ['taskbase.v1', ...(options.token ? [`bearer.${options.token}`] : [])];
    const ws = new WebSocket(url, protocols, options.origin ? { origin: options.origin } : {});
    const socket = new TestSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  /** Opens, authenticates and subscribes; resolves once every subscription is acknowledged. */
  static async subscribed(baseUrl: string, token: string, topics: string[], since?: number): Promise<TestSocket> {
    const socket = await TestSocket.open(baseUrl, { token });
    await socket.next((f) => f.type === 'ack' && f.op === 'auth');
    for (const topic of topics) {
      socket.send({ type: 'subscribe', topic, ...(since !== undefined ? { since } : {}) });
      await socket.next((f) => f.type === 'ack' && f.op === 'subscribe' && f.topic === topic);
    }
    return socket;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first recorded frame matching, waiting for it if needed. */
  async next(match: (frame: any) => boolean, timeoutMs = 5000): Promise<any> {
    return this.until(() => this.frames.find(match), timeoutMs, 'a matching frame');
  }

  /** Resolves once `count` event frames matching have arrived. */
  async events(count: number, match: (frame: any) => boolean = () => true, timeoutMs = 10_000): Promise<any[]> {
    return this.until(
      () => {
        const events = this.frames.filter((f) => f.type === 'event' && match(f));
        return events.length >= count ? events : undefined;
      },
      timeoutMs,
      `${count} events`,
    );
  }

  async closedWith(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed, timeoutMs, 'the socket to close');
  }

  close(): void {
    this.ws.close();
  }

  private async until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out waiting for ${what}; frames: ${JSON.stringify(this.frames).slice(0, 2000)}; closed: ${JSON.stringify(this.closed)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
