import { request as httpRequest } from 'node:http';
import { TestClient, type RequestOptions, type TestResponse } from './client.js';
import { checkConformance } from './conformance.js';

/**
 * A test client that speaks from its own loopback address (any 127.x.y.z
 * reaches the server on Linux). Sign-in failures are also counted per client
 * address, so tests that fail sign-ins on purpose use one of these and can
 * never lock the shared 127.0.0.1 out of sign-in. Pass `perRequest` to use a
 * new address for every request.
 */
export class AddressClient extends TestClient {
  constructor(
    baseUrl: string,
    readonly localAddress = randomLoopback(),
    private readonly perRequest = false,
  ) {
    super(baseUrl);
  }

  override request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined = options.rawBody;
    if (body === undefined && options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'transfer-encoding')) {
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const localAddress = this.perRequest ? randomLoopback() : this.localAddress;
    return new Promise((resolve, reject) => {
      const req = httpRequest(this.baseUrl + path, { method, headers, localAddress, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          const parsed = /json/.test(res.headers['content-type'] ?? '') && text ? JSON.parse(text) : text;
          const answer = { status: res.statusCode!, headers: responseHeaders, body: parsed as T };
          checkConformance(this.baseUrl, method, path, answer).then(() => resolve(answer), reject);
        });
      });
      // The server may answer (413) and close before it has read everything we send.
      req.on('error', (error: NodeJS.ErrnoException) => (['EPIPE', 'ECONNRESET'].includes(error.code ?? '') ? undefined : reject(error)));
      req.end(body);
    });
  }
}

export function randomLoopback(): string {
  const byte = (min: number) => min + Math.floor(Math.random() * (255 - min));
  return `127.${byte(1)}.${byte(0)}.${byte(1)}`;
}
