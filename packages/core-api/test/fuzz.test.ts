import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_PRIORITIES, TASK_STATUSES } from '../src/schemas/tasks.js';
import { TASK_SORTS } from '../src/schemas/tasks.js';
import type { RunningServer } from '../src/server.js';
import { TestClient, createTeam, type Member, type Team, type TestResponse } from './support/client.js';
import { Contract } from './support/contract.js';
import { startTestServer } from './support/server.js';

/**
 * Property-based tests: thousands of random query strings and bodies sent
 * over real HTTP. Whatever arrives, the API never answers 5xx, every 4xx is
 * a problem document naming the offending fields, every success matches the
 * OpenAPI document, and a refused write leaves the database as it was.
 *
 * FUZZ_RUNS sets the runs per property (default 300); a failure prints the
 * seed and the shrunk counterexample, to replay with `seed` and `path`.
 */
const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 300);
const timeout = 60_000 + RUNS * 150;

/** Codes of 4xx answers about the request as a whole, not a field of it. */
const WHOLE_REQUEST_CODES = new Set(['not_found', 'forbidden', 'version_conflict', 'body_too_large', 'already_exists', 'conflict']);

// ---------------------------------------------------------------- generators

const SQL = [
  "' OR '1'='1",
  "'; DROP TABLE tasks; --",
  '1) OR (1=1',
  "1' UNION SELECT password_hash FROM users --",
  "') ; SELECT pg_sleep(5); --",
  '%',
  '_',
  '\\',
  '$1',
  '::text',
  '*/ /*',
  'NULL',
  '\u0000',
  'a\u0000b',
  '!:* & |',
  "todo'::task_status",
];

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 40 });
const unicode = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }));
const huge = fc.oneof(
  fc.integer({ min: 190, max: 6000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'grapheme', minLength: 150, maxLength: 400 }),
  fc.integer({ min: 10, max: 600 }).map((n) => 'é😀'.repeat(n)),
);
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.constantFrom('0', '-1', '1.5', '1e3', '0x10', ' 7', '7 ', '+3', '٣', '1_000', 'Infinity', 'NaN', '9007199254740993', '99999999999999999'),
);
const anyText = fc.oneof(printable, unicode, numberText, fc.constantFrom(...SQL), huge, fc.constant(''));
/**
 * A path segment that addresses the route: not empty (that is another route), and not '.' or '..',
 * dot-segments that every URL parser resolves away before sending (even written %2E).
 */
const pathSegment = anyText.filter((text) => text !== '' && text !== '.' && text !== '..');

const p2 = (n: number, width = 2) => String(n).padStart(width, '0');
const isoTimestamp = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
/** Well-formed RFC 3339 with the corners: years 0 and 9999, leap seconds, odd separators, offsets up to ±23:59. */
const edgeTimestamp = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 1970, 9999)),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    fc.oneof(fc.constant('23:59:60'), fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map((t) => t.map((n) => p2(n)).join(':'))),
    fc.constantFrom('', '.5', '.123', '.123456', '.1234567891'),
    fc.oneof(
      fc.constantFrom('Z', 'z', '+00:00', '-00:00', '+0530', '+05'),
      fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([sign, h, m]) => `${sign}${p2(h)}:${p2(m)}`),
    ),
    fc.constantFrom('T', 't', ' '),
  )
  .map(([y, mo, d, time, frac, zone, sep]) => `${p2(y, 4)}-${p2(mo)}-${p2(d)}${sep}${time}${frac}${zone}`);
const brokenTimestamp = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 61 }),
      fc.constantFrom('Z', '+24:00', '+99:99', ''),
    )
    .map(([y, mo, d, h, mi, sec, zone]) => `${p2(y, 4)}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(sec)}${zone}`),
  fc.constantFrom('2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', 'infinity', '-infinity', 'now', 'epoch', 'today', '2024-01-01', '1e10', '+012024-01-01T00:00:00Z'),
);
const timestamp = fc.oneof(
  { weight: 3, arbitrary: isoTimestamp },
  { weight: 4, arbitrary: edgeTimestamp },
  { weight: 2, arbitrary: brokenTimestamp },
);

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jsonScalar = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  timestamp,
  fc.constantFrom('infinity', 'low', 'urgent', 'NaN', '1e400'),
  fc.constant(1e308),
);
const cursor = fc.oneof(
  fc.tuple(fc.constantFrom(...TASK_SORTS, 'nope'), jsonScalar, fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(2 ** 60))).map(base64url),
  fc.array(jsonScalar, { maxLength: 4 }).map(base64url),
  fc.jsonValue({ maxDepth: 2 }).map(base64url),
  fc.string({ maxLength: 40 }).map(base64url),
  fc.constantFrom('W1tdLDEsMl0', '!!!', '====', 'eyJ', '%E0%A4%A', 'WyItY3JlYXRlZEF0IiwiMjAyNC0wMS0wMVQwMDowMDowMFoiLDFd'),
  fc.base64String({ maxLength: 60 }),
  huge,
  anyText,
);

const listOf = (values: readonly string[]) =>
  fc
    .tuple(fc.array(fc.oneof(fc.constantFrom(...values), printable, fc.constant('')), { minLength: 1, maxLength: 6 }), fc.constantFrom(',', ', ', ',,'))
    .map(([items, separator]) => items.join(separator));

const QUERY_VALUES: Record<string, fc.Arbitrary<string>> = {
  status: fc.oneof(listOf(TASK_STATUSES), anyText),
  priority: fc.oneof(listOf(TASK_PRIORITIES), anyText),
  assignee: fc.oneof(fc.constantFrom('me', 'none', '1', '0', '01', '9999999999999999', '99999999999999999'), numberText, anyText),
  createdBy: fc.oneof(fc.constantFrom('me', 'none', '1', '9999999999999999'), numberText, anyText),
  dueBefore: fc.oneof(timestamp, anyText),
  dueAfter: fc.oneof(timestamp, anyText),
  overdue: fc.oneof(fc.constantFrom('true', 'false', '1', '0', 'yes', 'TRUE', ''), anyText),
  q: fc.oneof(anyText, fc.constantFrom('docs', 'a b c d e f g h i j', '²³½', 'ǅ', 'ﬁ', '٣٤', '&|!():*', 'x:*', "'quoted'", '<->')),
  sort: fc.oneof(fc.constantFrom(...TASK_SORTS), anyText),
  limit: fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), numberText, anyText),
  cursor,
};
const QUERY_KEYS = Object.keys(QUERY_VALUES);
const queryKey = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...QUERY_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom('status[]', 'status[0]', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'STATUS', ' q', 'q ', '') },
  { weight: 1, arbitrary: fc.oneof(printable, unicode) },
);
const queryPair = queryKey.chain((key) => fc.tuple(fc.constant(key), (Object.hasOwn(QUERY_VALUES, key) ? QUERY_VALUES[key] : undefined) ?? anyText, fc.boolean()));

/** Percent-encodes every byte outside the unreserved set (lone surrogates become U+FFFD, as a browser would send them). */
function pct(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Builds a query string, sometimes leaving `%`, `+` and the like raw; kept under Node's 16 KiB header limit. */
function toQueryString(pairs: Array<[string, string, boolean]>): string {
  const parts: string[] = [];
  let length = 0;
  for (const [key, value, raw] of pairs) {
    const part = raw ? `${pct(key)}=${value.replace(/[^\x21-\x7e]/g, (c) => pct(c)).replace(/[#&]/g, (c) => pct(c))}` : `${pct(key)}=${pct(value)}`;
    if (length + part.length > 12_000) break;
    parts.push(part);
    length += part.length + 1;
  }
  return parts.join('&');
}

const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  anyText,
  fc.double(),
  fc.integer(),
  fc.constantFrom(null, true, false, [], {}, 2 ** 53, -(2 ** 53), 1e308, -1e308, 1e16, 5e-324),
);

/** Mostly valid values (so that writes happen), sometimes anything at all. */
const field = (valid: fc.Arbitrary<unknown>, wild: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: wild });
const withNul = fc.string({ maxLength: 20 }).map((text) => `${text}\u0000${text}`);

function taskFields(ids: () => number[], userIds: () => number[]) {
  const anyId = fc.oneof(
    fc.constantFrom(...ids()),
    fc.integer({ min: -3, max: 2 ** 31 }),
    fc.constantFrom(0, 2 ** 53, 2 ** 53 - 1, 2 ** 63, 1.5, -1),
  );
  return {
    title: field(fc.string({ minLength: 1, maxLength: 60 }), fc.oneof(anyText, junk, withNul)),
    description: field(
      fc.string({ maxLength: 200 }),
      fc.oneof(anyText, junk, withNul, fc.integer({ min: 19_990, max: 20_010 }).map((n) => 'd'.repeat(n))),
    ),
    status: field(fc.constantFrom(...TASK_STATUSES), fc.oneof(junk, anyText)),
    priority: field(fc.constantFrom(...TASK_PRIORITIES), fc.oneof(junk, anyText)),
    assignedTo: field(fc.oneof(fc.constantFrom(...userIds()), fc.constant(null)), fc.oneof(anyId, junk)),
    dueDate: field(fc.oneof(timestamp, fc.constant(null)), junk),
    position: field(
      fc.oneof(fc.double({ min: -1e15, max: 1e15, noNaN: true }), fc.integer()),
      fc.oneof(fc.constantFrom(-0, 1e15 + 1, 1e16, 5e-324, Number.MAX_VALUE), junk),
    ),
    externalId: field(fc.oneof(fc.stringMatching(/^[\x21-\x7e]{1,12}$/), fc.constantFrom('ext-1', 'ext-2', 'ext-3')), fc.oneof(anyText, junk, withNul)),
  };
}

/** A random object: some known fields, maybe unknown ones, maybe not an object at all. */
function randomBody(fields: Record<string, fc.Arbitrary<unknown>>, extraKeys: string[] = []): fc.Arbitrary<unknown> {
  const known = fc.record(fields, { requiredKeys: [] });
  const extra = fc.dictionary(fc.oneof(fc.constantFrom(...extraKeys, '__proto__', 'constructor', 'id', 'version', 'can', 'search'), printable), junk, {
    maxKeys: 3,
  });
  return fc.oneof(
    { weight: 6, arbitrary: known },
    { weight: 2, arbitrary: fc.tuple(known, extra).map(([a, b]) => ({ ...b, ...a })) },
    { weight: 1, arbitrary: junk },
  );
}

type Wire = { kind: 'json'; body: unknown } | { kind: 'raw'; text: string; type: string };
const wire = (body: fc.Arbitrary<unknown>): fc.Arbitrary<Wire> =>
  fc.oneof(
    { weight: 12, arbitrary: body.map((value) => ({ kind: 'json' as const, body: value })) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('raw' as const),
        text: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('{', '{"title":', '[1,2', '{"title":"a",}', 'null', '"str"', '\u0000', '{"title":"a"} x')),
        type: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/problem+json'),
      }),
    },
  );

const ifMatch = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('*', '"v1"', 'W/"v2"', 'v3', '4', '"v999999999"', '"v9999999999"', '""', 'W/', '"v-1"', '"v1.5"') },
  { weight: 1, arbitrary: printable },
);

// ---------------------------------------------------------------- the tests

describe('fuzzing the task API', () => {
  let server: RunningServer;
  let client: TestClient;
  let contract: Contract;
  let team: Team;
  let members: Member[];
  const taskIds: number[] = [];
  const realCursors: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    client = new TestClient(server.url);
    contract = new Contract((await client.get('/openapi.json')).body);
    team = await createTeam(client, 'Fuzz');
    members = [team.admin, team.manager, team.member, team.other];
    for (const [index, status] of TASK_STATUSES.entries()) {
      for (const author of [team.manager, team.member]) {
        const created = await client.post(
          '/api/tasks',
          { title: `Seed ${status} ${index}`, status, assignedTo: team.member.id, dueDate: `2030-0${index + 1}-01T00:00:00Z`, externalId: `seed-${status}-${author.id}` },
          { token: author.token },
        );
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        taskIds.push(created.body.id);
      }
    }
    for (const sort of TASK_SORTS) {
      const page = await client.get(`/api/tasks?limit=2&sort=${sort}`, { token: team.manager.token });
      expect(page.status).toBe(200);
      realCursors.push(page.body.nextCursor);
    }
  });
  afterAll(() => server.close());

  const pick = <T>(items: T[]) => fc.constantFrom(...items);
  const memberArb = () => pick(members);

  /** The same checks on every answer, whatever the request. */
  function expectWellFormed(operationId: string, response: TestResponse, allowed: number[], request: unknown): void {
    const context = `${operationId} ${JSON.stringify(request)?.slice(0, 500)} → ${response.status} ${JSON.stringify(response.body)?.slice(0, 500)}`;
    expect(response.status, context).toBeLessThan(500);
    expect(allowed, context).toContain(response.status);
    if (response.status >= 400) {
      expect(response.headers.get('content-type'), context).toMatch(/^application\/problem\+json/);
      expect(contract.validateComponent('Problem', response.body), context).toEqual([]);
      expect(response.body.status, context).toBe(response.status);
      if (!WHOLE_REQUEST_CODES.has(response.body.code)) {
        // A field is at fault: it is named.
        expect(response.body.errors?.length, context).toBeGreaterThan(0);
        for (const error of response.body.errors) expect(typeof error.path, context).toBe('string');
      }
    } else {
      expect(contract.violations(operationId, response), context).toEqual([]);
    }
  }

  async function send(method: string, path: string, token: string, request: Wire, headers: Record<string, string> = {}) {
    if (request.kind === 'json') return client.request(method, path, { token, body: request.body, headers });
    return client.request(method, path, { token, rawBody: request.text, headers: { ...headers, 'content-type': request.type } });
  }

  async function counts(): Promise<{ tasks: number; events: number }> {
    const knex = server.services.knex;
    const [tasks] = await knex('tasks').where('workspaceId', team.workspaceId).count({ n: '*' });
    const [events] = await knex('events').where('workspaceId', team.workspaceId).count({ n: '*' });
    return { tasks: Number(tasks!.n), events: Number(events!.n) };
  }

  it(
    'GET /api/tasks survives random query strings',
    async () => {
      type Pair = [string, string, boolean];
      // A cursor forged for the sort it is sent with, so that it passes the sort check and its value is what is tested.
      const forged = fc
        .tuple(fc.constantFrom(...TASK_SORTS), jsonScalar, fc.oneof(fc.integer({ min: 1 }), jsonScalar))
        .map(([sort, value, id]): Pair[] => [['sort', sort, false], ['cursor', base64url([sort, value, id]), false]]);
      const pairs = fc
        .array(
          fc.oneof(
            { weight: 8, arbitrary: queryPair.map((pair): Pair[] => [pair]) },
            { weight: 1, arbitrary: pick(realCursors).map((value): Pair[] => [['cursor', value, false]]) },
            { weight: 2, arbitrary: forged },
          ),
          { maxLength: 6 },
        )
        .map((groups) => groups.flat());
      await fc.assert(
        fc.asyncProperty(pairs, memberArb(), async (query, member) => {
          const qs = toQueryString(query);
          const response = await client.get(`/api/tasks?${qs}`, { token: member.token });
          expectWellFormed('listTasks', response, [200, 400], qs);
          if (response.status === 400) {
            for (const error of response.body.errors) expect(error.in, qs).toBe('query');
          }
        }),
        { numRuns: RUNS * 2 },
      );
    },
    timeout,
  );

  it(
    'GET /api/tasks answers every valid filter combination, and only with matching tasks',
    async () => {
      const valid = fc.record(
        {
          status: fc.uniqueArray(fc.constantFrom(...TASK_STATUSES), { minLength: 1, maxLength: 4 }),
          priority: fc.uniqueArray(fc.constantFrom(...TASK_PRIORITIES), { minLength: 1, maxLength: 4 }),
          assignee: fc.constantFrom('me', 'none', String(team.member.id), String(2 ** 40)),
          createdBy: fc.constantFrom('me', String(team.manager.id)),
          dueBefore: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
          dueAfter: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
          overdue: fc.boolean(),
          q: fc.oneof(fc.constantFrom('seed', 'Seed todo', 'in_progress', 'x'), fc.string({ maxLength: 20 })),
          sort: fc.constantFrom(...TASK_SORTS),
          limit: fc.integer({ min: 1, max: 100 }),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(valid, memberArb(), async (filters, member) => {
          const qs = Object.entries(filters)
            .map(([key, value]) => `${key}=${pct(Array.isArray(value) ? value.join(',') : String(value))}`)
            .join('&');
          const response = await client.get(`/api/tasks?${qs}`, { token: member.token });
          expectWellFormed('listTasks', response, [200], qs);
          for (const task of response.body.data) {
            if (filters.status) expect(filters.status, qs).toContain(task.status);
            if (filters.priority) expect(filters.priority, qs).toContain(task.priority);
            if (filters.assignee === 'none') expect(task.assignedTo, qs).toBeNull();
            if (filters.assignee === 'me') expect(task.assignedTo, qs).toBe(member.id);
          }
          expect(response.body.data.length, qs).toBeLessThanOrEqual(filters.limit ?? 50);
          if (response.body.nextCursor) {
            const next = await client.get(`/api/tasks?${qs}&cursor=${response.body.nextCursor}`, { token: member.token });
            expectWellFormed('listTasks', next, [200], `${qs} (next page)`);
          }
        }),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    },
    timeout,
  );

  it(
    'POST /api/tasks survives random bodies, and a refused create writes nothing',
    async () => {
      const fields = taskFields(() => taskIds, () => members.map((m) => m.id));
      await fc.assert(
        fc.asyncProperty(wire(randomBody(fields, ['workspaceId', 'createdBy', 'completedAt'])), memberArb(), async (request, member) => {
          const before = await counts();
          const response = await send('POST', '/api/tasks', member.token, request);
          expectWellFormed('createTask', response, [201, 400, 409, 415, 422], request);
          if (response.status === 201) {
            expect(response.body.workspaceId).toBe(team.workspaceId);
            expect(response.body.createdBy).toBe(member.id);
            taskIds.push(response.body.id);
          } else {
            expect(await counts(), JSON.stringify(request)).toEqual(before);
          }
        }),
        { numRuns: RUNS },
      );
    },
    timeout,
  );

  it(
    'PATCH /api/tasks/:id survives random ids, bodies and If-Match headers',
    async () => {
      const fields = taskFields(() => taskIds, () => members.map((m) => m.id));
      const id = fc.oneof({ weight: 6, arbitrary: pick(taskIds).map(String) }, { weight: 1, arbitrary: numberText }, { weight: 1, arbitrary: pathSegment });
      await fc.assert(
        fc.asyncProperty(
          id,
          wire(randomBody(fields, ['workspaceId', 'createdBy', 'version', 'externalId'])),
          ifMatch,
          memberArb(),
          async (taskId, request, match, member) => {
            const before = await counts();
            const response = await send('PATCH', `/api/tasks/${pct(taskId)}`, member.token, request, match === undefined ? {} : { 'if-match': match });
            expectWellFormed('updateTask', response, [200, 400, 403, 404, 412, 415, 422], { taskId, request, match });
            if (response.status === 200) expect(response.body.workspaceId).toBe(team.workspaceId);
            else expect(await counts(), JSON.stringify(request)).toEqual(before);
          },
        ),
        { numRuns: RUNS },
      );
    },
    timeout,
  );

  it(
    'POST /api/tasks/bulk survives random items, and a dry run writes nothing',
    async () => {
      const fields = taskFields(() => taskIds, () => members.map((m) => m.id));
      const item = fc.oneof(
        { weight: 4, arbitrary: randomBody({ ...fields, id: fc.oneof(pick(taskIds), junk) }, ['workspaceId', 'createdBy', 'version', 'can']) },
        { weight: 1, arbitrary: junk },
      );
      const body = fc.oneof(
        { weight: 8, arbitrary: fc.record({ items: fc.array(item, { minLength: 1, maxLength: 6 }), dryRun: fc.oneof(fc.boolean(), junk) }, { requiredKeys: ['items'] }) },
        { weight: 1, arbitrary: fc.record({ items: fc.oneof(fc.constant([]), junk, fc.array(item, { minLength: 101, maxLength: 102 })) }) },
        { weight: 1, arbitrary: randomBody({ items: fc.array(item, { maxLength: 3 }) }, ['dryRun', 'extra']) },
      );
      await fc.assert(
        fc.asyncProperty(wire(body), memberArb(), async (request, member) => {
          const before = await counts();
          const response = await send('POST', '/api/tasks/bulk', member.token, request);
          expectWellFormed('bulkTasks', response, [200, 400, 415], request);
          if (response.status !== 200 || response.body.dryRun) {
            expect(await counts(), JSON.stringify(request)).toEqual(before);
            return;
          }
          for (const result of response.body.results) {
            if (result.status === 'error') {
              for (const error of result.error.errors ?? []) expect(error.path, JSON.stringify(result)).toMatch(new RegExp(`^items\\.${result.index}(\\.|$)`));
            } else {
              expect(result.task.workspaceId, JSON.stringify(result)).toBe(team.workspaceId);
              if (result.status === 'created') taskIds.push(result.task.id);
            }
          }
        }),
        { numRuns: RUNS },
      );
      // Whatever the bulk items said, every task is still in its workspace.
      const rows = await server.services.knex('tasks').whereIn('id', taskIds).select('workspaceId');
      expect(new Set(rows.map((row: { workspaceId: number }) => row.workspaceId))).toEqual(new Set([team.workspaceId]));
    },
    timeout,
  );

  it(
    'POST /api/tasks/:id/move survives random neighbours, columns and If-Match headers',
    async () => {
      const neighbour = fc.oneof(
        { weight: 4, arbitrary: pick(taskIds) },
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: junk },
      );
      const body = randomBody(
        { status: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TASK_STATUSES) }, { weight: 1, arbitrary: junk }), afterId: neighbour, beforeId: neighbour },
        ['position', 'title'],
      );
      const id = fc.oneof({ weight: 8, arbitrary: pick(taskIds).map(String) }, { weight: 1, arbitrary: numberText }, { weight: 1, arbitrary: pathSegment });
      await fc.assert(
        fc.asyncProperty(id, wire(body), ifMatch, memberArb(), async (taskId, request, match, member) => {
          const before = await counts();
          const response = await send('POST', `/api/tasks/${pct(taskId)}/move`, member.token, request, match === undefined ? {} : { 'if-match': match });
          expectWellFormed('moveTask', response, [200, 400, 403, 404, 412, 415, 422], { taskId, request, match });
          if (response.status !== 200) expect(await counts(), JSON.stringify(request)).toEqual(before);
        }),
        { numRuns: RUNS },
      );
    },
    timeout,
  );
});
