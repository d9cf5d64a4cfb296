/**
 * Realtime subscribers for the soak test, in their own process so parsing
 * their frames does not delay the load generator's clock. Spreads `clients`
 * sockets over the given URLs (and tokens), subscribes each to `tasks`,
 * prints `{"ready":n}`, then talks JSON lines:
 *
 *   stdin  {"op":"baseline","id":N}           count only events after id N
 *          {"op":"answered","items":[[key,t]]} writes answered 2xx at t (Date.now)
 *          {"op":"sample","n":i}              → {"sample":i, p50, p99, count, minReceived, closed}
 *          {"op":"finish"}                    → {"final":{…}} then exit
 *
 * argv: one JSON object { urls: string[], tokens: string[], clients: number }
 */
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { LagMatcher, eventKey } from './histogram.js';

const config = JSON.parse(process.argv[2]!) as { urls: string[]; tokens: string[]; clients: number };
const lag = new LagMatcher();
const received: number[] = new Array(config.clients).fill(0);
/** An order-sensitive hash of the ids each client received: equal hashes, same events in the same order. */
const orderHash: number[] = new Array(config.clients).fill(0);
const sockets: WebSocket[] = [];
const closeCodes: Record<string, number> = {};
let baseline = Number.POSITIVE_INFINITY; // nothing counts until the parent says where the run starts
let closed = 0;
let finishing = false;

const send = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

function connect(index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const url = config.urls[index % config.urls.length]!;
    const token = config.tokens[index % config.tokens.length]!;
    const ws = new WebSocket(url, ['taskbase.v1', `bearer.${token}`], { perMessageDeflate: false });
    sockets.push(ws);
    ws.on('error', reject);
    ws.on('close', (code) => {
      if (finishing) return;
      closed += 1;
      closeCodes[code] = (closeCodes[code] ?? 0) + 1;
    });
    ws.on('message', (data) => {
      const at = Date.now();
      const frame = JSON.parse(data.toString());
      if (frame.type === 'event') {
        if (frame.id <= baseline) return;
        // Events come in log (commit) order, not id order; every subscriber must see the same sequence.
        received[index]! += 1;
        orderHash[index] = (Math.imul(orderHash[index]!, 31) + frame.id) >>> 0;
        const key = eventKey(frame.event, frame.data);
        if (key !== undefined) lag.received(key, at);
        return;
      }
      if (frame.type === 'ack' && frame.op === 'auth') ws.send(JSON.stringify({ type: 'subscribe', topic: 'tasks' }));
      else if (frame.type === 'ack' && frame.op === 'subscribe') resolve();
      else if (frame.type === 'error' || frame.type === 'resync') process.stderr.write(`subscriber ${index}: ${data.toString()}\n`);
    });
  });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line);
  switch (message.op) {
    case 'baseline':
      baseline = message.id;
      break;
    case 'answered':
      for (const [key, at] of message.items as [string, number][]) lag.answered(key, at);
      break;
    case 'sample': {
      const window = lag.takeWindow();
      send({ sample: message.n, p50: window.percentile(50), p99: window.percentile(99), count: window.count, minReceived: Math.min(...received), closed });
      break;
    }
    case 'finish': {
      finishing = true;
      // Clients whose sequence differs from the most common one (a reordering, a duplicate or a gap).
      const tally = new Map<number, number>();
      for (const hash of orderHash) tally.set(hash, (tally.get(hash) ?? 0) + 1);
      const outOfOrder = config.clients - Math.max(...tally.values());
      process.stdout.write(
        `${JSON.stringify({ final: { lag: lag.total.toJSON(), early: lag.early, unmatched: lag.unmatched, received, outOfOrder, closed, closeCodes } })}\n`,
        () => {
          for (const ws of sockets) ws.terminate();
          process.exit(0);
        },
      );
      break;
    }
  }
});
// The parent gone (killed, crashed): leave too.
process.stdin.on('end', () => process.exit(0));

// 50 handshakes at a time: 500 at once would queue behind each other's token checks anyway.
for (let start = 0; start < config.clients; start += 50) {
  await Promise.all(Array.from({ length: Math.min(50, config.clients - start) }, (_, i) => connect(start + i)));
}
send({ ready: config.clients });
