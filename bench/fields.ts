/**
 * Custom fields benchmark (issue 17): seeds one workspace with tasks carrying
 * a number field (`deal_value`) and a select field (`tier`), then measures the
 * list filtered and sorted by them, and a keyset cursor walk, against the
 * budget p99 ≤ 100 ms. For a route that misses, prints EXPLAIN (ANALYZE,
 * BUFFERS) of the SQL the API runs for it.
 *
 *   npm run bench:fields -w @taskbase/bench [-- --tasks 100000 --duration 15 --warmup 2 --connections 50 --pages 5 --explain]
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { apiRequest, registerWorkspace, type Session } from './lib/api.js';
import { createBenchDatabase } from './lib/db.js';
import { captureListSql, explainAnalyze, type ListCaller } from './lib/explain.js';
import type { LoadResult } from './lib/load.js';
import { seededRandom } from './lib/random.js';
import { flags, log, machineLoad, positiveNumber, runBench, writeResults } from './lib/run.js';
import { seedTasks } from './lib/seed.js';
import { startApiServer } from './lib/server.js';
import { fmt, printTable } from './lib/table.js';

const P99_BUDGET_MS = 100;
const TIERS = ['Bronze', 'Silver', 'Gold', 'Platinum', 'Diamond'];
/** deal_value: whole numbers 0–9,999 (so values tie and the id breaks ties), absent on ~10 % of tasks. */
const DEAL_MAX = 10_000;
const DEAL_EMPTY = 0.1;

function parseOptions() {
  const options = flags({
    tasks: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    pages: { type: 'string', default: '5' },
    explain: { type: 'boolean', default: false },
  });
  return {
    tasks: Math.floor(positiveNumber(options.tasks, 'tasks')),
    durationSeconds: positiveNumber(options.duration, 'duration'),
    warmupSeconds: Math.min(positiveNumber(options.warmup, 'warmup'), positiveNumber(options.duration, 'duration')),
    connections: Math.floor(positiveNumber(options.connections, 'connections')),
    pages: Math.floor(positiveNumber(options.pages, 'pages')),
    /** EXPLAIN every scenario, not only those that miss. */
    explainAll: options.explain === true,
  };
}
type Options = ReturnType<typeof parseOptions>;

interface TaskDto {
  id: number;
  fields: Record<string, unknown>;
}
interface Page {
  data: TaskDto[];
  nextCursor: string | null;
}

interface Scenario {
  name: string;
  /** The list query (without `cursor`) every request, or the walk's first page, sends. */
  query: string;
  /** A cursor walk: this many pages per virtual user, each following the previous page's nextCursor. */
  walkPages?: number;
  /** Checks a page (or the walk's pages) the route answers: that the numbers measure the right thing. */
  check(pages: Page[]): string | undefined;
  /** The same list without custom fields, measured alongside: what the machine gives a plain list right now. */
  control?: boolean;
}

const dealOf = (task: TaskDto) => task.fields.deal_value as number | undefined;

function ordered(pages: Page[], direction: 1 | -1, want: number): string | undefined {
  const tasks = pages.flatMap((page) => page.data);
  if (tasks.length !== want) return `${tasks.length} tasks, expected ${want}`;
  if (new Set(tasks.map((task) => task.id)).size !== tasks.length) return 'a task appears twice';
  for (let i = 1; i < tasks.length; i++) {
    const [a, b] = [dealOf(tasks[i - 1]!), dealOf(tasks[i]!)];
    if (a === undefined || b === undefined) return 'a task without deal_value before the end of the values';
    if ((b - a) * direction < 0 || (a === b && (tasks[i]!.id - tasks[i - 1]!.id) * direction <= 0)) return `out of order at ${i}: ${a} then ${b}`;
  }
  return undefined;
}

function scenarios(options: Options): Scenario[] {
  return [
    {
      name: 'control: no custom field (-createdAt)',
      query: 'limit=50',
      control: true,
      check: ([page]) => (page!.data.length === 50 ? undefined : 'not 50 tasks'),
    },
    {
      name: '(a) filter cf.tier=gold',
      query: 'cf.tier=gold&limit=50',
      check: ([page]) => (page!.data.length === 50 && page!.data.every((task) => task.fields.tier === 'gold') ? undefined : 'not 50 gold tasks'),
    },
    {
      name: '(b) sort cf.deal_value, first page',
      query: 'sort=cf.deal_value&limit=50',
      check: (pages) => ordered(pages, 1, 50),
    },
    {
      name: '(c) deal_value 500–600, sort -cf.deal_value',
      query: 'cf.deal_value.gte=500&cf.deal_value.lte=600&sort=-cf.deal_value&limit=50',
      // A small --tasks run has fewer than 50 values in the range.
      check: (pages) =>
        ordered(pages, -1, Math.max(1, pages[0]!.data.length)) ??
        (pages[0]!.data.every((task) => dealOf(task)! >= 500 && dealOf(task)! <= 600) ? undefined : 'a value outside 500–600'),
    },
    {
      name: `(d) cursor walk sort=cf.deal_value, ${options.pages} pages`,
      query: 'sort=cf.deal_value&limit=50',
      walkPages: options.pages,
      check: (pages) => ordered(pages, 1, 50 * options.pages),
    },
  ];
}

const withCursor = (query: string, cursor: string | null) => (cursor ? `${query}&cursor=${encodeURIComponent(cursor)}` : query);

/** Walks the scenario's pages once with fetch; answers them, or why the route cannot be measured. */
async function probe(api: string, token: string, scenario: Scenario): Promise<{ pages: Page[] } | { skipped: string }> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < (scenario.walkPages ?? 1); n++) {
    if (n > 0 && !cursor) return { skipped: `page ${n} has no nextCursor` };
    try {
      pages.push(await apiRequest<Page>(api, 'GET', `/api/tasks?${withCursor(scenario.query, cursor)}`, { token }));
    } catch (error) {
      return { skipped: (error as Error).message.slice(0, 200) };
    }
    cursor = pages.at(-1)!.nextCursor;
  }
  const wrong = scenario.check(pages);
  return wrong ? { skipped: `wrong answer: ${wrong}` } : { pages };
}

/** The end of a page's JSON names its nextCursor: read it there instead of parsing 50 tasks. */
function nextCursorOf(body: string): string | null {
  const match = /"nextCursor":("(?:[^"\\]|\\.)*"|null)\s*}\s*$/.exec(body);
  return match && match[1] !== 'null' ? (JSON.parse(match[1]!) as string) : null;
}

/** autocannon on one URL, or (walkPages) each connection requesting page 1…n in turn, following nextCursor. */
async function runScenario(api: string, token: string, scenario: Scenario, connections: number, durationSeconds: number): Promise<LoadResult> {
  const path = `/api/tasks?${scenario.query}`;
  const headers = { authorization: `Bearer ${token}` };
  const pages = scenario.walkPages ?? 1;
  const requests = Array.from({ length: pages }, (_, n) => ({
    method: 'GET' as const,
    path,
    headers,
    ...(n > 0 ? { setupRequest: (request: any, context: any) => ({ ...request, path: withCursor(path, context.cursor ?? null) }) } : {}),
    ...(n < pages - 1 ? { onResponse: (_status: number, body: string, context: any) => void (context.cursor = nextCursorOf(body)) } : {}),
  }));
  const result = await autocannon({ url: api, connections, duration: durationSeconds, timeout: 10, requests });
  // No answer at all (every request timed out after 10 s): no latency to show.
  const answered = result.requests.total > 0;
  return {
    name: scenario.name,
    requestsPerSecond: result.requests.average,
    p50Ms: answered ? result.latency.p50 : Number.NaN,
    p99Ms: answered ? result.latency.p99 : Number.NaN,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    durationSeconds: result.duration,
  };
}

interface Row {
  scenario: Scenario;
  result?: LoadResult;
  skipped?: string;
  verdict: string;
  plans?: Array<{ label: string; sql: string; bindings: unknown[]; plan: string[] }>;
}

const ms = (value: number) => (Number.isNaN(value) ? 'none (timeouts)' : fmt.ms(value));

function verdictOf(result: LoadResult | undefined, skipped: string | undefined): string {
  if (!result) return `not run: ${skipped}`;
  const misses: string[] = [];
  if (result.non2xx + result.errors > 0) misses.push(`${result.non2xx + result.errors} failed requests`);
  if (!(result.p99Ms <= P99_BUDGET_MS)) misses.push('p99');
  return misses.length ? `MISS (${misses.join(', ')})` : 'pass';
}

/** Seeds the tasks with their custom-field values in `tasks.fields`, then `task_field_values` from them, as indexRows() writes. */
async function seed(databaseUrl: string, session: Session, fieldIds: { deal: number; tier: number }, options: Options, tierIds: string[]) {
  const random = seededRandom(17);
  const fieldsOf = () => {
    const fields: Record<string, unknown> = { tier: tierIds[Math.floor(random() * tierIds.length)] };
    if (random() >= DEAL_EMPTY) fields.deal_value = Math.floor(random() * DEAL_MAX);
    return fields;
  };
  await seedTasks(databaseUrl, { workspaceId: session.workspace.id, userIds: [session.user.id], tasks: options.tasks, comments: 0, fieldsOf });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    // number → value_number; select → value_text = option id, value_number = the option's index (indexRows()).
    await client.query(
      `insert into task_field_values (task_id, field_id, value_number)
       select id, $2, (fields->>'deal_value')::float8 from tasks where workspace_id = $1 and fields ? 'deal_value'`,
      [session.workspace.id, fieldIds.deal],
    );
    await client.query(
      `insert into task_field_values (task_id, field_id, value_text, value_number)
       select t.id, f.id, t.fields->>'tier', o.n - 1
       from tasks t join custom_fields f on f.id = $2
         join lateral jsonb_array_elements(f.options) with ordinality as o(option, n) on o.option->>'id' = t.fields->>'tier'
       where t.workspace_id = $1 and t.fields ? 'tier'`,
      [session.workspace.id, fieldIds.tier],
    );
    await client.query('analyze');
    const { rows } = await client.query<{ tasks: string; deal: string; tier: string }>(
      `select (select count(*) from tasks where workspace_id = $1) as tasks,
              (select count(*) from task_field_values where field_id = $2) as deal,
              (select count(*) from task_field_values where field_id = $3) as tier`,
      [session.workspace.id, fieldIds.deal, fieldIds.tier],
    );
    log(
      `task_field_values: ${Number(rows[0]!.deal).toLocaleString('en-US')} deal_value + ${Number(rows[0]!.tier).toLocaleString('en-US')} tier rows ` +
        `for ${Number(rows[0]!.tasks).toLocaleString('en-US')} tasks, then ANALYZE (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  } finally {
    await client.end();
  }
}

/**
 * One task made through the API with both fields: its index rows must be
 * the ones the seeding SQL derives from its `fields`, or the seeded data is
 * not what the API would have written.
 */
async function checkSeedMatchesApi(api: string, databaseUrl: string, session: Session, fieldIds: { deal: number; tier: number }): Promise<void> {
  const task = await apiRequest<{ id: number; fields: Record<string, unknown> }>(api, 'POST', '/api/tasks', {
    token: session.accessToken,
    body: { title: 'bench:fields reference task', fields: { deal_value: 4321, tier: 'Gold' } },
  });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const shape = (rows: unknown[]) => JSON.stringify(rows);
    const written = await client.query(
      `select field_id::int, value_text, value_number, value_date from task_field_values where task_id = $1 order by field_id, value_text`,
      [task.id],
    );
    const derived = await client.query(
      `select * from (
         select $2::int as field_id, null::text as value_text, (fields->>'deal_value')::float8 as value_number, null::timestamptz as value_date
           from tasks where id = $1 and fields ? 'deal_value'
         union all
         select f.id::int, t.fields->>'tier', (o.n - 1)::float8, null
           from tasks t join custom_fields f on f.id = $3
             join lateral jsonb_array_elements(f.options) with ordinality as o(option, n) on o.option->>'id' = t.fields->>'tier'
           where t.id = $1) r order by field_id, value_text`,
      [task.id, fieldIds.deal, fieldIds.tier],
    );
    if (shape(written.rows) !== shape(derived.rows)) {
      throw new Error(`seeded index rows would differ from the API's: API ${shape(written.rows)}, seed SQL ${shape(derived.rows)}`);
    }
    log(`reference task ${task.id} made through the API: fields ${JSON.stringify(task.fields)}, index rows ${shape(written.rows)} = what the seed SQL derives`);
  } finally {
    await client.end();
  }
}

/** The list's input as the route hands it to TaskService.list after validation. */
function listInput(query: string): Record<string, unknown> {
  const input: Record<string, unknown> = Object.fromEntries(new URLSearchParams(query));
  if (input.limit !== undefined) input.limit = Number(input.limit);
  return input;
}

async function explainScenario(databaseUrl: string, caller: ListCaller, scenario: Scenario, pages: Page[]): Promise<Row['plans']> {
  const runs: Array<{ label: string; cursor: string | null }> = [{ label: 'the page measured', cursor: null }];
  if (scenario.walkPages) {
    // The walk's last page, the deepest cursor a virtual user sends; and one halfway down the field's
    // values (deal_value 5,000, about 45,000 rows in), as a user paging far would reach.
    runs[0] = { label: `page ${scenario.walkPages}`, cursor: pages.at(-2)?.nextCursor ?? null };
    const sort = new URLSearchParams(scenario.query).get('sort')!;
    runs.push({ label: `cursor at deal_value ${DEAL_MAX / 2}`, cursor: Buffer.from(JSON.stringify([sort, DEAL_MAX / 2, 0])).toString('base64url') });
  }
  const plans: NonNullable<Row['plans']> = [];
  for (const run of runs) {
    const captured = await captureListSql(databaseUrl, caller, listInput(withCursor(scenario.query, run.cursor)));
    for (const query of captured.filter((q) => /from "tasks"/.test(q.sql))) {
      plans.push({ label: run.label, ...query, plan: await explainAnalyze(databaseUrl, query) });
    }
  }
  return plans;
}

function printResults(rows: Row[], options: Options): void {
  const dash = (fn: (r: LoadResult) => string) => (row: Row) => (row.result ? fn(row.result) : '-');
  printTable(
    `Custom fields — ${options.tasks.toLocaleString('en-US')} tasks, ${options.connections} connections, ${options.durationSeconds} s per scenario`,
    rows,
    [
      { header: 'scenario', value: (r) => r.scenario.name, align: 'left' },
      { header: 'req/s', value: dash((r) => fmt.int(r.requestsPerSecond)) },
      { header: 'p50', value: dash((r) => ms(r.p50Ms)) },
      { header: 'p99', value: dash((r) => ms(r.p99Ms)) },
      { header: 'non-2xx/err', value: dash((r) => `${r.non2xx}/${r.errors}`) },
      { header: 'budget', value: () => `p99 <= ${P99_BUDGET_MS} ms`, align: 'left' },
      { header: 'result', value: (r) => `${r.verdict}${r.scenario.control ? ' (control, not judged)' : ''}`, align: 'left' },
    ],
  );
  for (const row of rows) {
    if (!row.plans) continue;
    for (const plan of row.plans) {
      log(`EXPLAIN (ANALYZE, BUFFERS) — ${row.scenario.name}, ${plan.label}:`);
      log(`\n  ${plan.sql.replace(/\s+/g, ' ')}\n  bindings ${JSON.stringify(plan.bindings)}\n`);
      for (const line of plan.plan) log(`    ${line}`);
    }
    log('');
  }
  const judged = rows.filter((row) => !row.scenario.control);
  const passed = judged.filter((row) => row.verdict === 'pass').length;
  log(`${passed} of ${judged.length} custom-field scenarios within budget.`);
}

runBench('bench:fields', 30, async (onCleanup) => {
  const options = parseOptions();
  const loadBefore = machineLoad();
  const database = await createBenchDatabase();
  onCleanup(() => database.drop());
  log(`database ${database.name} created`);

  const server = await startApiServer({ databaseUrl: database.url });
  onCleanup(() => server.stop());
  log(`core-api listening on ${server.url} (pid ${server.pid})`);

  const session = await registerWorkspace(server.url, 'fields');
  const token = session.accessToken;
  const deal = await apiRequest<{ id: number }>(server.url, 'POST', '/api/fields', { token, body: { key: 'deal_value', name: 'Deal value', type: 'number' } });
  const tier = await apiRequest<{ id: number; options: Array<{ id: string }> }>(server.url, 'POST', '/api/fields', {
    token,
    body: { key: 'tier', name: 'Tier', type: 'select', options: TIERS.map((name) => ({ name })) },
  });
  const fieldIds = { deal: deal.id, tier: tier.id };
  log(`workspace ${session.workspace.id}: fields deal_value (number, id ${deal.id}) and tier (select ${tier.options.map((o) => o.id).join('/')}, id ${tier.id})`);

  await seed(database.url, session, fieldIds, options, tier.options.map((option) => option.id));
  await checkSeedMatchesApi(server.url, database.url, session, fieldIds);

  log(`measuring (${options.warmupSeconds} s warm-up + ${options.durationSeconds} s per scenario)…`);
  const rows: Row[] = [];
  const caller: ListCaller = { userId: session.user.id, workspaceId: session.workspace.id, role: 'admin', name: 'Bench Admin fields' };
  for (const scenario of scenarios(options)) {
    const probed = await probe(server.url, token, scenario);
    if ('skipped' in probed) {
      log(`  ${scenario.name}: skipped, ${probed.skipped}`);
      rows.push({ scenario, skipped: probed.skipped, verdict: verdictOf(undefined, probed.skipped) });
      continue;
    }
    await runScenario(server.url, token, scenario, options.connections, options.warmupSeconds);
    const result = await runScenario(server.url, token, scenario, options.connections, options.durationSeconds);
    const verdict = verdictOf(result, undefined);
    log(`  ${scenario.name}: ${fmt.int(result.requestsPerSecond)} req/s, p50 ${ms(result.p50Ms)}, p99 ${ms(result.p99Ms)} — ${verdict}`);
    const plans = (verdict !== 'pass' && !scenario.control) || options.explainAll ? await explainScenario(database.url, caller, scenario, probed.pages) : undefined;
    rows.push({ scenario, result, verdict, plans });
  }
  printResults(rows, options);
  const loadAfter = machineLoad();
  const file = writeResults('fields', {
    options,
    loadBefore,
    loadAfter,
    rows: rows.map(({ scenario, ...row }) => ({ name: scenario.name, query: scenario.query, walkPages: scenario.walkPages, ...row })),
  });
  log(`results written to ${file}`);
});
