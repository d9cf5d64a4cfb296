import WebSocket from 'ws';
import { HOST } from './server.js';

const MB = 1024 * 1024;

export interface HeapInspector {
  /** V8 heap in use now, garbage included (MB). */
  heapUsedMb(): Promise<number>;
  /** Forces a full garbage collection, then reads the heap: what is really alive (MB). */
  liveHeapMb(): Promise<number>;
  close(): void;
}

/**
 * Reads a Node process's V8 heap over the inspector protocol (the process
 * runs with `--inspect=127.0.0.1:<port>`): the API's /metrics has no heap
 * figures, and RSS alone cannot tell a leak from garbage not collected yet.
 */
export async function connectInspector(port: number): Promise<HeapInspector> {
  const targets = (await (await fetch(`http://${HOST}:${port}/json/list`, { signal: AbortSignal.timeout(5000) })).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('error', () => {}); // a process that exits drops the socket; calls then time out
  let nextId = 0;
  const pending = new Map<number, (result: any) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  const call = (method: string): Promise<any> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`inspector: ${method} timed out`));
      }, 10_000);
      pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      ws.send(JSON.stringify({ id, method }));
    });
  const heapUsedMb = async () => ((await call('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / MB;
  return {
    heapUsedMb,
    async liveHeapMb() {
      await call('HeapProfiler.collectGarbage');
      return heapUsedMb();
    },
    close: () => ws.close(),
  };
}
