/**
 * Webhook benchmark: events committed at a steady rate, delivered by the
 * API process's own worker to a receiver in this process. Prints deliveries
 * per second and the p50/p99 from commit to receipt.
 *
 *   npm run bench:webhooks [-- --events 5000 --rate 400 --concurrency 32]
 *
 * Events are appended with the same SQL as the server's appendEvent (advisory
 * lock + NOTIFY in the transaction), in small transactions, so the numbers
 * measure the fan-out and delivery path rather than the tasks API.
 */
import pg from 'pg';
import { apiRequest, registerWorkspace } from './lib/api.js';
import { createBenchDatabase } from './lib/db.js';
import { flags, log, machineLoad, positiveNumber, runBench, writeResults } from './lib/run.js';
import { startApiServer } from './lib/server.js';
import { fmt, printTable } from './lib/table.js';
import { startWebhookReceiver } from './lib/webhook-receiver.js';

const BUDGET = { perSecond: 300, p50Ms: 200 };
const BATCH = 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

runBench('webhooks', 10, async (onCleanup) => {
  const options = flags({
    events: { type: 'string', default: '5000' },
    rate: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '32' },
  });
  const total = positiveNumber(options.events, 'events');
  const rate = positiveNumber(options.rate, 'rate');
  const load = machineLoad();

  // The receiver: records when each event arrives (by its sequence number).
  const committedAt = new Map<number, number>();
  const latencies: number[] = [];
  let firstCommit = 0;
  let lastReceipt = 0;
  let received = 0;
  let allReceived: () => void = () => {};
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  const receiver = await startWebhookReceiver((body, now) => {
    const seq = JSON.parse(body).data?.bench?.seq as number | undefined;
    const committed = seq === undefined ? undefined : committedAt.get(seq);
    if (committed === undefined) return;
    committedAt.delete(seq!);
    latencies.push(Math.max(0, now - committed));
    lastReceipt = now;
    received += 1;
    if (received === total) allReceived();
  });
  onCleanup(() => receiver.close());
  const receiverUrl = receiver.url;

  const database = await createBenchDatabase();
  onCleanup(() => database.drop());
  const api = await startApiServer({
    databaseUrl: database.url,
    bcryptCost: 4,
    env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_CONCURRENCY: options.concurrency as string, DUE_REMINDERS_INTERVAL: '0' },
  });
  onCleanup(() => api.stop());
  const session = await registerWorkspace(api.url, 'webhooks');
  await apiRequest(api.url, 'POST', '/api/webhooks', { token: session.accessToken, body: { url: receiverUrl, eventTypes: ['task.created'] } });

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  onCleanup(() => client.end());
  const workspaceId = session.workspace.id;
  const append = `with workspace_lock as (select pg_advisory_xact_lock(hashtextextended('taskbase.events.' || $1::text, 0))),
    inserted as (
      insert into events (workspace_id, type, actor_id, payload)
      select $1::bigint, 'task.created', $2::bigint, p::jsonb from workspace_lock, unnest($3::text[]) as p
      returning id
    )
    select pg_notify('taskbase_events', id::text) from inserted`;

  log(`sending ${fmt.int(total)} events at ${rate}/s to a local receiver (worker concurrency ${options.concurrency})`);
  const started = performance.now();
  firstCommit = started;
  for (let seq = 0; seq < total; seq += BATCH) {
    const due = started + (seq / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const seqs = Array.from({ length: Math.min(BATCH, total - seq) }, (_, i) => seq + i);
    const payloads = seqs.map((n) => JSON.stringify({ task: { id: n, title: `Bench ${n}` }, bench: { seq: n } }));
    await client.query('begin');
    await client.query(append, [workspaceId, session.user.id, payloads]);
    await client.query('commit');
    const now = performance.now();
    for (const n of seqs) committedAt.set(n, now);
  }
  const timeout = new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`only ${received} of ${total} delivered after 60 s`)), 60_000).unref());
  await Promise.race([done, timeout]);

  latencies.sort((a, b) => a - b);
  const row = {
    events: total,
    offeredPerSecond: rate,
    deliveriesPerSecond: received / ((lastReceipt - firstCommit) / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
  const pass = row.deliveriesPerSecond >= BUDGET.perSecond && row.p50Ms <= BUDGET.p50Ms;
  printTable(`Webhook deliveries, one worker (in the API process), commit → receipt`, [row], [
    { header: 'events', value: (r) => fmt.int(r.events) },
    { header: 'offered/s', value: (r) => fmt.int(r.offeredPerSecond) },
    { header: 'delivered/s', value: (r) => fmt.perSecond(r.deliveriesPerSecond) },
    { header: 'p50', value: (r) => fmt.ms(r.p50Ms) },
    { header: 'p99', value: (r) => fmt.ms(r.p99Ms) },
    { header: 'budget', value: () => `≥ ${BUDGET.perSecond}/s, p50 ≤ ${BUDGET.p50Ms} ms`, align: 'left' },
    { header: '', value: () => (pass ? 'pass' : 'MISS'), align: 'left' },
  ]);
  log(`results: ${writeResults('webhooks', { ...row, budget: BUDGET, pass, load })}`);
});
