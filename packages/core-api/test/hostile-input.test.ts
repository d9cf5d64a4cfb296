import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { DataJobRunner } from '../src/services/dataJobs/runner.js';
import { AddressClient } from './support/address-client.js';
import { TestClient, createTeam, isProblem, uniqueEmail, type TestResponse } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';


type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
};

interface Operation {
  method: string;
  path: string;
  operationId: string;
  security: 'bearer' | 'apiKey' | 'none';
  parameters: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  rawBody: Schema | undefined;
}

const HUGE = 'h'.repeat(100_000);
const FRAGMENTS = [
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  '1; SELECT pg_sleep(10)',
  "admin'--",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}${7*7}',
  '\u0000',
  '../../etc/passwd',
];

const jsonType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;

// Started while the file is collected, so that every route of the OpenAPI
// document becomes its own test (with its own time limit and report).
const server: RunningServer = await startTestServer();
afterAll(() => server.close());
const client = new TestClient(server.url);
const hostile = new AddressClient(server.url, undefined, true);
const document: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } } = (
  await client.get('/openapi.json')
).body;
const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    .filter(([, operation]) => operation.requestBody && !operation.requestBody.content?.['multipart/form-data'])
    .map(([method, operation]) => {
      const security = operation.security?.[0] ?? {};
      return {
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        security: 'bearerAuth' in security ? 'bearer' : 'apiKey' in security ? 'apiKey' : 'none',
        parameters: operation.parameters ?? [],
        // Checked inside each route's test, so one odd route fails alone and says why.
        rawBody: operation.requestBody.content?.['application/json']?.schema,
      } as Operation & { rawBody: Schema | undefined };
    }),
);

/** The upload routes: one file part, streamed (multipart bodies get their own hostile cases below). */
const uploads = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    .filter(([, operation]) => operation.requestBody?.content?.['multipart/form-data'])
    .map(([method, operation]) => ({ method: method.toUpperCase(), path, operationId: operation.operationId as string })),
);

describe(`hostile input (${databaseMode()} database)`, () => {
  /** Follows a `$ref` into the document's components. */
  const resolve = (schema: Schema): Schema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components.schemas[name];
    if (!target) throw new Error(`unresolvable ${schema.$ref}`);
    return resolve(target);
  };

  /** The JSON types a schema accepts. */
  const acceptedTypes = (raw: Schema): Set<string> => {
    const schema = resolve(raw);
    const union = schema.anyOf ?? schema.oneOf;
    if (union) return new Set(union.flatMap((s) => [...acceptedTypes(s)]));
    if (schema.enum) return new Set(schema.enum.map(jsonType));
    if ('const' in schema) return new Set([jsonType(schema.const)]);
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    if (types.length === 0) return new Set(['string', 'integer', 'number', 'boolean', 'null', 'array', 'object']);
    return new Set(types.flatMap((t) => (t === 'number' ? ['number', 'integer'] : [t])));
  };

  const wrongValueFor = (schema: Schema, label: string): unknown => {
    const accepted = acceptedTypes(schema);
    const candidate = [{ nested: ['object'] }, 123_456, 'not the right type', true, [1, 'two']].find((value) => !accepted.has(jsonType(value)));
    if (candidate === undefined) throw new Error(`${label} accepts any JSON type, so no wrong type exists; give it a type`);
    return candidate;
  };

  const bodySchema = (operation: Operation): Schema => {
    if (!operation.rawBody) {
      throw new Error(`${operation.method} ${operation.path} takes a body that is not application/json; teach hostile-input.test.ts how to send it`);
    }
    return resolve(operation.rawBody);
  };

  /** Everything needed to call an operation as an admin of a fresh team. */
  const prepare = async (operation: Operation) => {
    const label = `${operation.method} ${operation.path}`;
    const body = bodySchema(operation);
    const team = await createTeam(client, `Hostile ${operation.operationId}`);
    const headers: Record<string, string> = {};
    if (operation.security === 'bearer') headers.authorization = `Bearer ${team.admin.token}`;
    if (operation.security === 'apiKey') {
      const key = await client.post('/api/api-keys', { name: 'hostile', maxRole: 'admin' }, { token: team.admin.token });
      expect(key.status).toBe(201);
      headers.authorization = `Bearer ${key.body.key}`;
    }
    let url = operation.path;
    for (const parameter of operation.parameters) {
      if (parameter.in === 'path') {
        const types = acceptedTypes(parameter.schema ?? {});
        // Named things, like ids above: well-formed and simply not found after validation (an external id creates).
        const named: Record<string, string> = { project: 'NOSUCH', key: 'todo', externalId: `hostile-${randomUUID()}` };
        if (named[parameter.name] !== undefined) {
          url = url.replace(`{${parameter.name}}`, named[parameter.name]!);
          continue;
        }
        // A task named by id or identifier takes an id as well.
        const pattern = (parameter.schema as { pattern?: string } | undefined)?.pattern;
        const takesId = types.has('integer') || (pattern !== undefined && new RegExp(pattern).test(String(team.member.id)));
        if (!takesId) throw new Error(`${label}: cannot fill path parameter "${parameter.name}"; teach hostile-input.test.ts how`);
        // An existing id of the team; for other resources it is simply not found, after validation.
        url = url.replace(`{${parameter.name}}`, String(team.member.id));
      } else if (parameter.required) {
        const name = parameter.name.toLowerCase();
        if (parameter.in === 'header' && name === 'if-match') headers['if-match'] = '"1"';
        else if (parameter.in === 'header' && name === 'idempotency-key') headers['idempotency-key'] = randomUUID();
        else if (parameter.in === 'header' && name === 'x-taskbase-session') headers['x-taskbase-session'] = '1';
        else throw new Error(`${label}: cannot fill required ${parameter.in} parameter "${parameter.name}"; teach hostile-input.test.ts how`);
      }
    }
    if (/\{\w+\}/.test(url)) throw new Error(`${label}: path parameter ${url} is not described in the OpenAPI document`);

    /** What a hostile request could have changed, seen through the API. */
    const snapshot = async () => {
      const users: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page: TestResponse = await client.get(`/api/users?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: team.admin.token });
        expect(page.status).toBe(200);
        users.push(...page.body.data);
        cursor = page.body.nextCursor;
      } while (cursor);
      const keys = await client.get('/api/api-keys', { token: team.admin.token });
      const me = await client.get('/api/auth/me', { token: team.admin.token });
      const projects = await client.get('/api/projects?limit=100', { token: team.admin.token });
      return { users, keys: keys.body, me: me.body, projects: projects.body };
    };

    const send = (body: { json?: unknown; raw?: string | Buffer; contentType?: string | null; chunked?: boolean }) => {
      const requestHeaders = { ...headers };
      if (body.contentType !== null) requestHeaders['content-type'] = body.contentType ?? 'application/json';
      if (body.chunked) requestHeaders['transfer-encoding'] = 'chunked';
      const raw = body.raw ?? (body.json === undefined ? undefined : JSON.stringify(body.json));
      return hostile.request(operation.method, url, { headers: requestHeaders, ...(raw === undefined ? {} : { rawBody: raw }) });
    };
    return { label, team, url, headers, snapshot, send, body };
  };

  const expectRefused = (response: TestResponse, label: string, fieldPath?: string) => {
    expect(response.status, `${label} → ${JSON.stringify(response.body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(response.status, label).toBeLessThan(500);
    expect(isProblem(response), `${label} is a problem document`).toBe(true);
    if (fieldPath !== undefined) {
      const paths: string[] = (response.body.errors ?? []).map((e: { path: string }) => e.path);
      expect(
        paths.some((p) => p === fieldPath || p.startsWith(`${fieldPath}.`)),
        `${label}: errors[].path should name "${fieldPath}", got ${JSON.stringify(paths)}`,
      ).toBe(true);
    }
  };

  /**
   * An array whose items the schema leaves untyped is validated item by item
   * by its route (a bulk route answers per item): it may answer 2xx, but then
   * every item must be reported as failed.
   */
  const expectItemsRefused = (response: TestResponse, label: string) => {
    expect(response.status, label).toBeLessThan(500);
    if (response.status >= 400) return expectRefused(response, label);
    const results: Array<{ status: string }> | undefined = response.body?.results;
    if (!Array.isArray(results)) throw new Error(`${label}: answered ${response.status} without per-item results; refuse it or report per item`);
    expect(results.length, label).toBeGreaterThan(0);
    expect(results.every((r) => r.status === 'error'), `${label}: ${JSON.stringify(results).slice(0, 300)}`).toBe(true);
  };

  it('finds the body-taking routes in the OpenAPI document', () => {
    const ids = operations.map((o) => o.operationId);
    for (const id of ['register', 'login', 'refresh', 'logout', 'updateMe', 'createEmbedToken', 'createUser', 'updateUser', 'createApiKey']) {
      expect(ids, `the OpenAPI document lists ${id} with a body`).toContain(id);
    }
    for (const operation of operations) {
      expect(Object.keys(bodySchema(operation).properties ?? {}).length, `${operation.operationId} describes its body's fields`).toBeGreaterThan(0);
    }
  });

  describe('refuses every malformed body with a 4xx problem, naming the field, and writes nothing', () => {
    for (const operation of operations) {
      it(`${operation.method} ${operation.path}`, async () => {
        const { label, snapshot, send, body } = await prepare(operation);
        const before = await snapshot();
        const properties = body.properties ?? {};

        expectRefused(await send({ contentType: null }), `${label} without a body`);
        expectRefused(await send({ raw: '', contentType: 'application/json' }), `${label} with an empty JSON body`);
        for (const value of [[], [{}], null, 'a string', 42, true]) {
          expectRefused(await send({ json: value }), `${label} with ${JSON.stringify(value)}`, '');
        }

        for (const [name, schema] of Object.entries(properties)) {
          expectRefused(await send({ json: { [name]: wrongValueFor(schema, `${label} ${name}`) } }), `${label} with a wrong type for ${name}`, name);
          const types = acceptedTypes(schema);
          if (types.has('string')) {
            expectRefused(await send({ json: { [name]: HUGE } }), `${label} with a 100k-char ${name}`, name);
          } else if (types.has('array')) {
            const itemTypes = acceptedTypes(resolve(schema).items ?? {});
            const hugeItem = await send({ json: { [name]: [HUGE] } });
            if (itemTypes.size < 7) expectRefused(hugeItem, `${label} with a 100k-char item in ${name}`, name);
            else expectItemsRefused(hugeItem, `${label} with a 100k-char item in untyped ${name}`);
            expectRefused(await send({ json: { [name]: Array.from({ length: 10_000 }, (_, i) => `https://x${i}.example`) } }), `${label} with 10k items in ${name}`, name);
          }
          if (types.has('integer') || types.has('number')) {
            for (const value of [-1, 0, 1.5, 1e300, Number.MAX_SAFE_INTEGER + 2]) {
              const response = await send({ json: { [name]: value } });
              expect(response.status, `${label} ${name}=${value}`).toBeLessThan(500);
            }
          }
        }

        expectRefused(await send({ json: { unknownField: 'x' } }), `${label} with an unknown field`, 'unknownField');
        expectRefused(await send({ raw: '{"__proto__":{"role":"admin","isAdmin":true}}' }), `${label} with __proto__`, '__proto__');
        expectRefused(await send({ json: { constructor: { prototype: { role: 'admin' } } } }), `${label} with constructor`, 'constructor');
        expectRefused(await send({ json: { role: 'admin', workspaceId: 1, id: 1, admin: true } }), `${label} with privileged fields`);

        for (const [contentType, raw] of [
          ['text/plain', '{"name":"x"}'],
          ['application/x-www-form-urlencoded', 'name=x&email=a%40b.c'],
          ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--'],
          ['application/xml', '<name>x</name>'],
          [null, '{"name":"x"}'],
        ] as const) {
          const response = await send({ raw, contentType });
          expect(response.status, `${label} as ${contentType}`).toBe(415);
          expectRefused(response, `${label} as ${contentType}`);
        }

        for (const raw of ['{"name":', "{'name':'x'}", '{"name":"x"}}', 'NaN', '{"a":1,}', '\u0000', '\uFEFF{}', '{"a":"\\ud800"']) {
          expectRefused(await send({ raw }), `${label} with malformed JSON ${JSON.stringify(raw)}`);
        }
        // Valid JSON around bytes that are not UTF-8 (a lone 0xC3, an 0xFF): refused, never stored as U+FFFD.
        const field = Object.keys(properties)[0] ?? 'x';
        for (const bad of [[0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80]]) {
          const raw = Buffer.concat([Buffer.from(`{"${field}":"a`), Buffer.from(bad), Buffer.from('b"}')]);
          expectRefused(await send({ raw }), `${label} with invalid UTF-8 ${Buffer.from(bad).toString('hex')}`);
        }
        const deep = '['.repeat(50_000) + ']'.repeat(50_000);
        expectRefused(await send({ raw: deep }), `${label} with deeply nested JSON`);
        const deepField = `{"${Object.keys(properties)[0] ?? 'x'}":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
        expectRefused(await send({ raw: deepField }), `${label} with a deeply nested field`);

        const tooLarge = JSON.stringify({ [Object.keys(properties)[0] ?? 'x']: 'b'.repeat(1_048_576) });
        const large = await send({ raw: tooLarge });
        expect(large.status, `${label} with a body over 1 MiB`).toBe(413);
        expectRefused(large, `${label} with a body over 1 MiB`);
        const chunked = await send({ raw: tooLarge, chunked: true });
        expect(chunked.status, `${label} with a chunked body over 1 MiB`).toBe(413);

        expect(await snapshot(), `${label} wrote nothing`).toEqual(before);
      }, 120_000);
    }
  });

  describe('refuses malformed multipart uploads with a 4xx problem and stores nothing; keeps hostile file names harmless', () => {
    it('finds the upload routes', () => {
      expect(uploads.map((u) => u.operationId)).toEqual(expect.arrayContaining(['uploadAttachment', 'uploadCommentAttachment', 'previewImport']));
    });

    // The attachment uploads; the import routes have their own cases below.
    for (const upload of uploads.filter((u) => u.path.includes('/attachments'))) {
      it(`${upload.method} ${upload.path}`, async () => {
        const label = `${upload.method} ${upload.path}`;
        const team = await createTeam(client, `Hostile ${upload.operationId}`);
        const token = team.admin.token;
        const task = await client.post('/api/tasks', { title: 'Uploads' }, { token });
        const comment = await client.post(`/api/tasks/${task.body.id}/comments`, { comment: 'Mine' }, { token });
        const url = upload.path.replace('{id}', String(task.body.id)).replace('{commentId}', String(comment.body.id));
        const stored = async () => (await client.get(`/api/tasks/${task.body.id}/attachments`, { token })).body.data.length as number;
        const send = (raw: string | Buffer | undefined, contentType: string | null) =>
          hostile.request('POST', url, { headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) }, ...(raw === undefined ? {} : { rawBody: raw }) });
        const part = (headers: string, body: string) => `--x\r\n${headers}\r\n\r\n${body}\r\n`;

        for (const [what, raw, contentType, field] of [
          ['no body', undefined, null, 'content-type'],
          ['a JSON body', '{"file":"x"}', 'application/json', 'content-type'],
          ['a text body', 'file', 'text/plain', 'content-type'],
          ['multipart without a boundary', 'x', 'multipart/form-data', 'content-type'],
          ['no file part', part('Content-Disposition: form-data; name="note"', 'hi') + '--x--\r\n', 'multipart/form-data; boundary=x', 'file'],
          ['a file under another name', part('Content-Disposition: form-data; name="upload"; filename="a.txt"', 'hi') + '--x--\r\n', 'multipart/form-data; boundary=x', 'file'],
          ['a truncated body', part('Content-Disposition: form-data; name="file"; filename="a.txt"', 'hi').slice(0, 30), 'multipart/form-data; boundary=x', 'file'],
          ['a file under another name, cut short', part('Content-Disposition: form-data; name="upload"; filename="a.txt"', 'hello there').slice(0, -8), 'multipart/form-data; boundary=x', 'file'],
          ['garbage', '\u0000\u0001 not multipart at all', 'multipart/form-data; boundary=x', 'file'],
          ['a body past the limit, declared', Buffer.alloc(30 * 1_048_576 + 1), 'multipart/form-data; boundary=x', 'file'],
        ] as const) {
          const response = await send(raw, contentType);
          expectRefused(response, `${label} with ${what}`, field);
        }
        expect(await stored(), `${label}: refused uploads stored nothing`).toBe(0);

        const names = ['../../etc/passwd', '<img src=x onerror=alert(1)>.png', 'ab\u202etxt.exe', 'x'.repeat(5000) + '.txt', '..', 'C:\\Windows\\win.ini', "'; drop table attachments; --"];
        for (const name of names) {
          const response = await send(part(`Content-Disposition: form-data; name="file"; filename="${name}"`, 'data') + '--x--\r\n', 'multipart/form-data; boundary=x');
          expect(response.status, `${label} named ${JSON.stringify(name.slice(0, 40))}`).toBe(201);
          const filename: string = response.body.filename;
          expect(filename.length).toBeLessThanOrEqual(200);
          expect(filename).not.toMatch(/[/\\\p{Cc}\u202e]/u);
          expect(['', '.', '..']).not.toContain(filename);
        }
        // A NUL inside the part's headers is not multipart any more: refused, naming the file.
        expectRefused(await send(part('Content-Disposition: form-data; name="file"; filename="a\u0000b.txt"', 'data') + '--x--\r\n', 'multipart/form-data; boundary=x'), `${label} with a NUL in the file name`, 'file');
        // Many parts, many fields: bounded, answered, never a 5xx.
        const crowded = Array.from({ length: 500 }, (_, i) => part(`Content-Disposition: form-data; name="f${i}"`, 'v')).join('') + part('Content-Disposition: form-data; name="file"; filename="late.txt"', 'late') + '--x--\r\n';
        const many = await send(crowded, 'multipart/form-data; boundary=x');
        expect(many.status, `${label} with 500 parts`).toBeLessThan(500);
        expect((await client.get('/readyz')).status).toBe(200);
      }, 120_000);
    }
  });

  describe('POST /api/imports/preview refuses malformed forms and hostile files with a 4xx problem naming the field', () => {
    it('answers every case below 500', async () => {
      const team = await createTeam(client, 'Hostile previewImport');
      const send = (raw: string | Buffer | undefined, contentType: string | null) =>
        hostile.request('POST', '/api/imports/preview', {
          headers: { authorization: `Bearer ${team.admin.token}`, ...(contentType ? { 'content-type': contentType } : {}) },
          ...(raw === undefined ? {} : { rawBody: raw }),
        });
      const part = (headers: string, body: string | Buffer) => Buffer.concat([Buffer.from(`--x\r\n${headers}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
      const form = (source: string, file: string | Buffer) =>
        Buffer.concat([part('Content-Disposition: form-data; name="source"', source), part('Content-Disposition: form-data; name="file"; filename="f"', file), Buffer.from('--x--\r\n')]);
      const multipart = 'multipart/form-data; boundary=x';
      const cases: Array<[string, string | Buffer | undefined, string | null, string]> = [
        ['no body', undefined, null, 'content-type'],
        ['a JSON body', '{"source":"csv"}', 'application/json', 'content-type'],
        ['multipart without a boundary', 'x', 'multipart/form-data', 'content-type'],
        ['no file part', Buffer.concat([part('Content-Disposition: form-data; name="source"', 'csv'), Buffer.from('--x--\r\n')]), multipart, 'file'],
        ['a truncated body', form('csv', 'a,b\n1,2\n').subarray(0, 60), multipart, 'file'],
        ['garbage', '\u0000\u0001 not multipart at all', multipart, 'file'],
        ['an empty file', form('csv', ''), multipart, 'file'],
        ['a source past its length', form('c'.repeat(5000), 'a\n'), multipart, 'source'],
        ...FRAGMENTS.map((fragment): [string, Buffer, string, string] => [`the source ${JSON.stringify(fragment)}`, form(fragment, 'a\n'), multipart, 'source']),
        ['a CSV of 10,000 columns', form('csv', `${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',')}\n`), multipart, 'file'],
        ['a CSV whose header quote never closes', form('csv', `"${'q'.repeat(2_000_000)}`), multipart, 'file'],
        ['binary as a Trello board', form('trello', Buffer.from([0xff, 0xfe, 0, 1, 2, 3])), multipart, 'file'],
        ['JSON nested 100,000 deep as a Trello board', form('trello', '['.repeat(100_000) + ']'.repeat(100_000)), multipart, 'file'],
        ['text as a Taskbase export', form('taskbase', 'PK\u0003\u0004 not really a zip'), multipart, 'file'],
        ['a CSV as an Asana export', form('asana', 'a,b\n1,2\n'), multipart, 'file'],
      ];
      for (const [what, raw, contentType, field] of cases) expectRefused(await send(raw, contentType), `preview with ${what}`, field);
      // Script and SQL in a CSV's cells come back as the text they are.
      const echoed = await send(form('csv', `${FRAGMENTS.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')}\n1\n`), multipart);
      expect(echoed.status).toBe(200);
      expect(echoed.body.columns).toEqual(FRAGMENTS.map((f) => f.trim()));
      expect((await client.get('/readyz')).status).toBe(200);
    }, 120_000);
  });

  describe('POST /api/imports refuses malformed forms with a 4xx problem naming the field, and hostile files end their job cleanly', () => {
    it('answers every case below 500', async () => {
      const team = await createTeam(client, 'Hostile createImport');
      const send = (raw: string | Buffer | undefined, contentType: string | null) =>
        hostile.request('POST', '/api/imports', {
          headers: { authorization: `Bearer ${team.admin.token}`, ...(contentType ? { 'content-type': contentType } : {}) },
          ...(raw === undefined ? {} : { rawBody: raw }),
        });
      const part = (headers: string, body: string | Buffer) => Buffer.concat([Buffer.from(`--x\r\n${headers}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
      const form = (fields: Record<string, string>, file: string | Buffer) =>
        Buffer.concat([
          ...Object.entries(fields).map(([name, value]) => part(`Content-Disposition: form-data; name="${name}"`, value)),
          part('Content-Disposition: form-data; name="file"; filename="f"', file),
          Buffer.from('--x--\r\n'),
        ]);
      const multipart = 'multipart/form-data; boundary=x';
      const csv = { source: 'csv', mapping: '{"Title":"title"}' };
      const cases: Array<[string, string | Buffer | undefined, string | null, string]> = [
        ['no body', undefined, null, 'content-type'],
        ['a JSON body', '{"source":"csv"}', 'application/json', 'content-type'],
        ['multipart without a boundary', 'x', 'multipart/form-data', 'content-type'],
        ['no file part', Buffer.concat([part('Content-Disposition: form-data; name="source"', 'csv'), Buffer.from('--x--\r\n')]), multipart, 'file'],
        ['garbage', '\u0000\u0001 not multipart at all', multipart, 'file'],
        ['an empty file', form(csv, ''), multipart, 'file'],
        ['no source', form({}, 'a\n'), multipart, 'source'],
        ['a mapping that is not JSON', form({ source: 'csv', mapping: '{nope' }, 'a\n'), multipart, 'mapping'],
        ['a mapping that is a list', form({ source: 'csv', mapping: '["title"]' }, 'a\n'), multipart, 'mapping'],
        ['a CSV without a mapping', form({ source: 'csv' }, 'a\n'), multipart, 'mapping'],
        ['a project of no one', form({ ...csv, projectId: '999999999999' }, 'a\n'), multipart, 'projectId'],
        ['dryRun maybe', form({ ...csv, dryRun: 'maybe' }, 'a\n'), multipart, 'dryRun'],
        ['an unknown field', form({ ...csv, admin: 'true' }, 'a\n'), multipart, 'admin'],
        ...FRAGMENTS.flatMap((fragment): Array<[string, Buffer, string, string]> => [
          [`the source ${JSON.stringify(fragment)}`, form({ source: fragment }, 'a\n'), multipart, 'source'],
          [`onError ${JSON.stringify(fragment)}`, form({ ...csv, onError: fragment }, 'a\n'), multipart, 'onError'],
          [`projectId ${JSON.stringify(fragment)}`, form({ ...csv, projectId: fragment }, 'a\n'), multipart, 'projectId'],
        ]),
      ];
      for (const [what, raw, contentType, field] of cases) expectRefused(await send(raw, contentType), `import with ${what}`, field);
      // Files that are not what they say are accepted, then their job ends (failed, naming the file) without a 5xx anywhere.
      const files: Array<[Record<string, string>, string | Buffer]> = [
        [{ source: 'taskbase' }, 'PK\u0003\u0004 not really a zip'],
        [{ source: 'taskbase' }, Buffer.from([0xff, 0xfe, 0, 1, 2, 3])],
        [{ source: 'trello' }, '['.repeat(100_000) + ']'.repeat(100_000)],
        [{ source: 'asana' }, 'a,b\n1,2\n'],
        [{ ...csv, mapping: JSON.stringify({ Title: 'title' }) }, `"${'q'.repeat(2_000_000)}`],
      ];
      const ids: number[] = [];
      for (const [fields, file] of files) {
        const started = await send(form(fields, file), multipart);
        expect(started.status, JSON.stringify(started.body).slice(0, 300)).toBe(202);
        ids.push(started.body.id);
      }
      const runner = new DataJobRunner(server.services.dataJobs, server.services.storage, () => {}, team.workspaceId);
      runner.handle('import', server.services.imports.handle);
      await runner.runOnce();
      for (const id of ids) {
        const job = (await client.get(`/api/imports/${id}`, { token: team.admin.token })).body;
        expect(job.status, JSON.stringify(job).slice(0, 400)).toBe('failed');
        expect(job.error).not.toMatch(/unexpectedly/);
      }
      expect((await client.get('/api/tasks?limit=1', { token: team.admin.token })).body.data).toEqual([]);
      expect((await client.get('/readyz')).status).toBe(200);
    }, 120_000);
  });

  describe('treats SQL and script fragments as plain data', () => {
    for (const operation of operations) {
      it(`${operation.method} ${operation.path}`, async () => {
        const { label, snapshot, send, body: schema } = await prepare(operation);
        const properties = Object.entries(schema.properties ?? {});
        const bodies: Array<Record<string, unknown>> = [
          ...properties.flatMap(([name]) => FRAGMENTS.map((fragment) => ({ [name]: fragment }))),
          ...FRAGMENTS.map((fragment) => Object.fromEntries(properties.map(([name]) => [name, fragment]))),
          ...FRAGMENTS.map((fragment) => ({ [fragment]: 'x' })),
        ];
        for (const body of bodies) {
          const response = await send({ json: body });
          const what = `${label} with ${JSON.stringify(body)}`;
          expect(response.status, `${what} → ${JSON.stringify(response.body).slice(0, 300)}`).toBeLessThan(500);
          if (response.status >= 400) expect(isProblem(response), what).toBe(true);
          // Accepted text comes back exactly as sent: it was stored as data.
          else if (typeof response.body === 'object' && response.body) {
            const echoed = response.body.user ?? response.body.apiKey ?? response.body;
            for (const [name, value] of Object.entries(body)) {
              if (name === 'name' && typeof echoed[name] === 'string') expect(echoed[name], what).toBe(String(value).trim());
            }
          }
        }
        // The tables are still there and still answer.
        await snapshot();
        expect((await client.get('/readyz')).status).toBe(200);
      }, 120_000);
    }
  });

  describe('refuses what the HTTP parser cannot take with a problem document', () => {
    /** Sends `request` as raw bytes and returns the status and body of the answer. */
    const raw = (request: string) =>
      new Promise<{ status: number; contentType: string; body: any }>((resolve, reject) => {
        const url = new URL(server.url);
        const socket = connect(Number(url.port), url.hostname, () => socket.end(request));
        let text = '';
        socket.on('data', (chunk) => (text += chunk));
        socket.on('error', reject);
        socket.on('close', () => {
          const [head = '', body = ''] = text.split('\r\n\r\n');
          resolve({
            status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
            contentType: /content-type: ([^\r]+)/i.exec(head)?.[1] ?? '',
            body: body ? JSON.parse(body) : undefined,
          });
        });
      });

    it('a query string or a header value over 16 KB answers 431; bytes that are not HTTP answer 400', async () => {
      const { admin } = await createTeam(client, 'Hostile transport');
      const cases: Array<[string, string, number]> = [
        ['a 20 KB query string', `GET /api/tasks?q=${'q'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${admin.token}\r\n\r\n`, 431],
        ['a 20 KB header value', `GET /api/tasks HTTP/1.1\r\nHost: x\r\nX-Long: ${'v'.repeat(20_000)}\r\n\r\n`, 431],
        ['a request line that is not HTTP', 'HELLO THERE\r\n\r\n', 400],
        ['a header without a colon', 'GET /api/tasks HTTP/1.1\r\nHost x\r\n\r\n', 400],
        ['a bad chunk size', 'POST /api/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n', 400],
      ];
      for (const [label, request, status] of cases) {
        const answer = await raw(request);
        expect(answer.status, label).toBe(status);
        expect(answer.contentType, label).toBe('application/problem+json');
        expect(answer.body, label).toMatchObject({ status, code: expect.any(String), requestId: expect.any(String) });
      }
      // A long query string still within the limit is an ordinary validation answer.
      const long = await client.get(`/api/tasks?q=${'q'.repeat(10_000)}`, { token: admin.token });
      expect(long.status).toBeLessThan(500);
      expect(isProblem(long) || long.status === 200).toBe(true);
    });
  });

  describe('property: random JSON bodies never produce a 5xx', () => {
    const fieldValue = fc.oneof(
      fc.jsonValue({ stringUnit: 'binary' }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.emailAddress(),
      fc.constantFrom('admin', 'manager', 'member', 'owner', '', ' ', ...FRAGMENTS),
      fc.constant(uniqueEmail('fuzz')),
    );
    const bodyFor = (fields: string[]) =>
      fc.oneof(
        fc.jsonValue({ stringUnit: 'binary' }),
        fc.dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ unit: 'binary', maxLength: 20 })), fieldValue),
        fc.record(Object.fromEntries(fields.map((field) => [field, fieldValue])), { requiredKeys: [] }),
        fc.record(Object.fromEntries(fields.map((field) => [field, fieldValue]))),
      );

    for (const [operationId, fields, numRuns] of [
      ['register', ['name', 'email', 'password', 'workspaceName'], 60],
      ['login', ['email', 'password'], 60],
      ['createUser', ['name', 'email', 'role', 'password'], 60],
      ['updateUser', ['name', 'role', 'active'], 40],
      ['createApiKey', ['name', 'allowedOrigins', 'maxRole'], 60],
      ['createEmbedToken', ['externalId', 'name', 'email', 'role'], 40],
    ] as const) {
      it(operationId, async () => {
        const operation = operations.find((o) => o.operationId === operationId);
        if (!operation) throw new Error(`${operationId} is not in the OpenAPI document`);
        const { label, send } = await prepare(operation);
        await fc.assert(
          fc.asyncProperty(bodyFor([...fields]), async (body) => {
            const response = await send({ json: body });
            if (response.status >= 500 || (response.status >= 400 && !isProblem(response))) {
              throw new Error(`${label} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
            }
          }),
          { numRuns },
        );
      }, 120_000);
    }
  });
});
