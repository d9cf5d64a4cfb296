import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, isProblem } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';

/**
 * Every operation of the OpenAPI document, with random path parameters,
 * query strings (its own parameters, unknown ones, repeated ones) and, where
 * it takes one, random JSON bodies, sent by an admin of a throwaway
 * workspace: the answer is never a 5xx, and every 4xx is a problem
 * document. A new route is fuzzed without touching this file.
 * FUZZ_RUNS sets the runs per operation (default 100).
 */
const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 100);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

interface Operation {
  method: string;
  path: string;
  operationId: string;
  query: string[];
  takesBody: boolean;
  /** Takes a file as multipart/form-data. */
  upload: boolean;
}

// Started while the file is collected, so each operation becomes its own test.
const server: RunningServer = await startTestServer();
afterAll(() => server.close());
const client = new TestClient(server.url);
const document: { paths: Record<string, Record<string, any>> } = (await client.get('/openapi.json')).body;
const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      operationId: operation.operationId,
      query: (operation.parameters ?? []).filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name),
      takesBody: Boolean(operation.requestBody),
      upload: Boolean(operation.requestBody?.content?.['multipart/form-data']),
    })),
);

const HOSTILE = ["' OR '1'='1", '1; SELECT pg_sleep(5)', '%', '\\', '\u0000', '../../etc/passwd', '<script>', '-1', '0', '1e309', 'NaN', 'null', '[]', '{}', 'true'];
const value = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(...HOSTILE),
  fc.constant('x'.repeat(5000)),
);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Path segments as a client might send them: well-formed UTF-16 only (URLs cannot carry lone surrogates). */
const segment = (fallback: string) =>
  fc.oneof(fc.integer({ min: -5, max: 2_000_000 }).map(String), fc.constant(fallback), value).map((s) => encodeURIComponent(s.replace(LONE_SURROGATE, '\uFFFD')));

/** Multipart bodies as a careless or hostile client frames them: random part names, file names, bytes and boundaries. */
const multipartBody = fc
  .record({
    boundary: fc.oneof(fc.constant('x'), fc.string({ minLength: 1, maxLength: 70 })),
    name: fc.oneof(fc.constant('file'), fc.string({ maxLength: 12 })),
    filename: fc.string({ maxLength: 60 }),
    bytes: fc.uint8Array({ maxLength: 2048 }),
    close: fc.boolean(),
  })
  .map(({ boundary, name, filename, bytes, close }) => ({
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    rawBody: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n\r\n`),
      Buffer.from(bytes),
      Buffer.from(close ? `\r\n--${boundary}--\r\n` : ''),
    ]),
  }));
const isMultipart = (body: unknown): body is { headers: Record<string, string>; rawBody: Buffer } => typeof body === 'object' && body !== null && 'rawBody' in body;

describe(`every route survives random parameters and bodies (${databaseMode()} database)`, () => {
  it('reads the operations from the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(40);
  });

  for (const operation of operations) {
    it(`${operation.method} ${operation.path}`, async () => {
      const team = await createTeam(client, `Fuzz ${operation.operationId}`);
      const names = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
      const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...operation.query, 'unknown'), fc.string({ maxLength: 12 })), value), { maxLength: 5 });
      const body = operation.upload ? multipartBody : operation.takesBody ? fc.option(fc.jsonValue({ maxDepth: 4 }), { freq: 4 }) : fc.constant(null);
      await fc.assert(
        fc.asyncProperty(fc.tuple(...names.map(() => segment(String(team.member.id)))), query, body, async (segments, pairs, json) => {
          let url = operation.path;
          names.forEach((name, i) => (url = url.replace(`{${name}}`, segments[i]!)));
          const search = new URLSearchParams(pairs).toString();
          const response = await client.request(operation.method, `${url}${search ? `?${search}` : ''}`, {
            token: team.admin.token,
            ...(json === null ? {} : isMultipart(json) ? json : { body: json }),
          });
          if (response.status >= 500 || (response.status >= 400 && !isProblem(response))) {
            throw new Error(`${operation.method} ${url}?${search} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
          }
        }),
        { numRuns: RUNS },
      );
    }, 60_000);
  }
});
