/**
 * A separate process holding many WebSocket clients. It connects them all,
 * prints `{"ready":n}`, then records for each expected message the delay
 * between the timestamp the message carries and its receipt, and prints
 * `{"latencies":[…]}` once every client got every message (or on timeout).
 *
 * argv: <ws url> <taskbase|raw> <clients> <messages> [token]
 */
import WebSocket from 'ws';

const [url, mode, clientsArg, messagesArg, token] = process.argv.slice(2);
const clients = Number(clientsArg);
const messages = Number(messagesArg);
const latencies: number[] = [];
let done = 0;

/** The moment the message left the server's logic, as the message itself says. */
function sentAt(frame: any): number | undefined {
  if (mode === 'raw') return frame.sentAt;
  if (frame.type === 'event' && frame.event === 'task.updated') return Date.parse(frame.data.task.updatedAt);
  return undefined;
}

function connect(): Promise<void> {
  return new Promise((resolve, reject) => {
    const protocols = mode === 'taskbase' ? ['taskbase.v1', `bearer.${token}`] : [];
    const ws = new WebSocket(url!, protocols, { perMessageDeflate: false });
    let received = 0;
    ws.on('error', reject);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (mode === 'taskbase' && frame.type === 'ack' && frame.op === 'auth') ws.send(JSON.stringify({ type: 'subscribe', topic: 'tasks' }));
      if (mode === 'taskbase' && frame.type === 'ack' && frame.op === 'subscribe') resolve();
      const at = sentAt(frame);
      if (at === undefined) return;
      latencies.push(Date.now() - at);
      received += 1;
      if (received === messages && ++done === clients) finish();
    });
    if (mode === 'raw') ws.on('open', () => resolve());
  });
}

function finish(): void {
  // stdout to a pipe is asynchronous: exit only once the line is out.
  process.stdout.write(`${JSON.stringify({ latencies })}\n`, () => process.exit(0));
}

for (let i = 0; i < clients; i += 50) {
  await Promise.all(Array.from({ length: Math.min(50, clients - i) }, connect));
}
process.stdout.write(`${JSON.stringify({ ready: clients })}\n`);
setTimeout(finish, 120_000).unref();
