import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOST } from './server.js';

export interface WebhookReceiver {
  url: string;
  close(): Promise<void>;
}

/**
 * A webhook endpoint on 127.0.0.1: answers 204 at once (the worker should not
 * wait on us), then hands over the raw body with the time it was fully read,
 * on `clock` (performance.now by default; Date.now to compare with another process).
 */
export async function startWebhookReceiver(
  onDelivery: (body: string, receivedAt: number, headers: IncomingHttpHeaders) => void,
  clock: () => number = () => performance.now(),
): Promise<WebhookReceiver> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const receivedAt = clock();
      res.writeHead(204).end();
      onDelivery(Buffer.concat(chunks).toString(), receivedAt, req.headers);
    });
  });
  // Longer than the worker's idle keep-alive, so its connections are reused rather than reset under it.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return {
    url: `http://${HOST}:${(server.address() as AddressInfo).port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
