/**
 * The baseline: a bare `ws` server that broadcasts a JSON frame to every
 * client on POST /broadcast, with no auth, no topics and no database.
 */
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((request, response) => {
  if (request.url === '/healthz') return response.end('ok');
  if (request.method === 'POST' && request.url === '/broadcast') {
    const frame = JSON.stringify({ type: 'event', sentAt: Date.now(), data: { task: { id: 1, description: 'x'.repeat(200) } } });
    for (const client of wss.clients) client.send(frame);
    return response.end('sent');
  }
  response.statusCode = 404;
  response.end();
});
const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false });
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
