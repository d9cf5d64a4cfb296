import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request. */
export type Fault = 'forward' | 'fail503' | 'rateLimit' | 'dropResponse' | 'hang';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

/**
 * A tiny HTTP proxy on 127.0.0.1 in front of a real core-api, for fault
 * injection: `decide` picks what happens to each request (the default
 * forwards it), and every request is recorded.
 */
export async function startProxy(target: string) {
  const seen: SeenRequest[] = [];
  let decide: (request: SeenRequest, index: number) => Fault = () => 'forward';
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = { method: req.method!, path: req.url!, headers: req.headers };
    seen.push(request);
    const fault = decide(request, seen.length - 1);
    if (fault === 'hang') return;
    if (fault === 'fail503' || fault === 'rateLimit') {
      const status = fault === 'fail503' ? 503 : 429;
      res.writeHead(status, { 'content-type': 'application/problem+json', 'x-request-id': `proxy-${seen.length}`, 'retry-after': fault === 'rateLimit' ? '1' : '0' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Unavailable', status, detail: 'Injected by the test proxy', code: fault === 'fail503' ? 'unavailable' : 'rate_limited', requestId: `proxy-${seen.length}` }));
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !['host', 'connection', 'content-length'].includes(name)) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const upstream = await fetch(target + req.url, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const body = Buffer.from(await upstream.arrayBuffer());
    if (fault === 'dropResponse') {
      // The server acted; the client never hears about it.
      req.socket.destroy();
      return;
    }
    const out: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (!['content-encoding', 'transfer-encoding', 'connection', 'content-length', 'keep-alive'].includes(name)) out[name] = value;
    });
    res.writeHead(upstream.status, out);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    /** Sets the fault rule for the next requests. */
    set rule(rule: (request: SeenRequest, index: number) => Fault) {
      decide = rule;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
