/**
 * The baseline: node:http + a pg Pool, no framework, no auth, no validation
 * beyond parsing. It answers the same three queries as the API's task list,
 * get and create, for the workspace in RAW_WORKSPACE_ID, so the API's overhead
 * can be measured against it. Started as a child process by bench/tasks.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';

// Same as the API: int8 as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const workspaceId = Number(process.env.RAW_WORKSPACE_ID);
const createdBy = Number(process.env.RAW_USER_ID);
// The API's knex pool is 10 connections too.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

// Every column but the generated full-text vector, which the API never returns
// either (`select *` would make the baseline slower and the ratios flattering).
const COLUMNS = `id, workspace_id, project_id, number, identifier, title, description, status, status_category, priority,
  assigned_to, created_by, due_date, position, version, external_id, completed_at, created_at, updated_at`;
const LIST = `select ${COLUMNS} from tasks where workspace_id = $1 and status = $2 order by position, id limit $3`;
const GET = `select ${COLUMNS} from tasks where workspace_id = $1 and id = $2`;
// Like the API, a new task takes its project's next number and goes to the end of its column; the
// number and the insert are one statement here, the least a hand-written server could do.
const CREATE = `with p as (
    update projects set next_number = next_number + 1 where workspace_id = $1 and is_default
    returning id, key, next_number - 1 as number)
  insert into tasks (workspace_id, project_id, number, identifier, title, description, status, status_category, priority,
                     assigned_to, created_by, due_date, position)
  select $1, p.id, p.number, p.key || '-' || p.number, $2, $3, $4,
         (case $4 when 'done' then 'completed' when 'todo' then 'unstarted' else 'started' end)::status_category, $5, $6, $7, $8,
         (select coalesce(max(position), 0) + 1024 from tasks where workspace_id = $1 and project_id = p.id and status = $4)
  from p
  returning ${COLUMNS}`;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://raw');
  const id = /^\/tasks\/(\d+)$/.exec(url.pathname)?.[1];
  if (req.method === 'GET' && url.pathname === '/healthz') return send(res, 200, { ok: true });
  if (req.method === 'GET' && url.pathname === '/tasks') {
    const status = url.searchParams.get('status') ?? 'todo';
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), 100);
    const { rows } = await pool.query(LIST, [workspaceId, status, limit]);
    return send(res, 200, { data: rows, nextCursor: null });
  }
  if (req.method === 'GET' && id) {
    const { rows } = await pool.query(GET, [workspaceId, id]);
    return rows[0] ? send(res, 200, rows[0]) : send(res, 404, { title: 'Not found' });
  }
  if (req.method === 'POST' && url.pathname === '/tasks') {
    const body = await readJson(req);
    const { rows } = await pool.query(CREATE, [
      workspaceId,
      body.title,
      body.description ?? '',
      body.status ?? 'todo',
      body.priority ?? 'medium',
      body.assignedTo ?? null,
      createdBy,
      body.dueDate ?? null,
    ]);
    return send(res, 201, rows[0]);
  }
  send(res, 404, { title: 'Not found' });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: Error) => send(res, 500, { title: error.message }));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');

process.once('SIGTERM', () => {
  server.close();
  server.closeIdleConnections();
  void pool.end().then(() => process.exit(0));
});
