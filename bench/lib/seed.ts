import pg from 'pg';
import { BENCH_PASSWORD, apiRequest, type Session } from './api.js';
import { progress } from './progress.js';
import { pick, seededRandom, words } from './random.js';

export const STATUSES = ['todo', 'in_progress', 'in_review', 'done'] as const;
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;

const DAY_MS = 86_400_000;
const TASK_BATCH = 5_000;
const COMMENT_BATCH = 10_000;

/** Invites `count` members through the API (so passwords and roles are real); returns all user ids, admin first. */
export async function inviteUsers(baseUrl: string, session: Session, count: number): Promise<number[]> {
  const members = await inviteMembers(baseUrl, session, count);
  return [session.user.id, ...members.map((member) => member.id)];
}

/** Invites `count` members (password BENCH_PASSWORD); returns their ids and emails, to sign in as them. */
export async function inviteMembers(baseUrl: string, session: Session, count: number): Promise<{ id: number; email: string }[]> {
  const members: { id: number; email: string }[] = [];
  const stamp = Date.now();
  // A few at a time: each invite hashes a password with bcrypt.
  for (let start = 0; start < count; start += 4) {
    const batch = Array.from({ length: Math.min(4, count - start) }, (_, i) => start + i);
    const created = await Promise.all(
      batch.map(async (n) => {
        const email = `member-${n + 1}-${stamp}@bench.example.com`;
        const answer = await apiRequest<{ user: { id: number } }>(baseUrl, 'POST', '/api/users', {
          token: session.accessToken,
          body: { name: `Member ${n + 1}`, email, role: 'member', password: BENCH_PASSWORD },
        });
        return { id: answer.user.id, email };
      }),
    );
    members.push(...created);
  }
  return members;
}

interface SeedTarget {
  client: pg.Client;
  workspaceId: number;
  userIds: number[];
  /** The workspace's default project, where the tasks go, and its next task number. */
  project: { id: number; key: string; nextNumber: number };
  /** The `fields` (custom-field values, as the API stores them) of the n-th task seeded; unset → `{}`. */
  fieldsOf?: (index: number) => Record<string, unknown>;
  /** Tasks seeded so far (the index `fieldsOf` is given). */
  seeded: number;
}

/** Column arrays for one batch of tasks, inserted with a single `insert … select from unnest(…)`. */
function taskBatch(random: () => number, target: SeedTarget, size: number, positions: Map<string, number>, now: number) {
  const columns = {
    title: [] as string[],
    description: [] as string[],
    status: [] as string[],
    priority: [] as string[],
    assignedTo: [] as (number | null)[],
    createdBy: [] as number[],
    dueDate: [] as (string | null)[],
    position: [] as number[],
    createdAt: [] as string[],
    completedAt: [] as (string | null)[],
    fields: [] as string[],
  };
  for (let i = 0; i < size; i++) {
    columns.fields.push(JSON.stringify(target.fieldsOf?.(target.seeded + i) ?? {}));
    const status = pick(random, STATUSES);
    const position = (positions.get(status) ?? 0) + 1024;
    positions.set(status, position);
    const createdAt = now - Math.floor(random() * 365 * DAY_MS);
    columns.title.push(`${words(random, 2 + Math.floor(random() * 4))}`);
    columns.description.push(words(random, 8 + Math.floor(random() * 20)));
    columns.status.push(status);
    columns.priority.push(pick(random, PRIORITIES));
    columns.assignedTo.push(random() < 0.8 ? pick(random, target.userIds) : null);
    columns.createdBy.push(pick(random, target.userIds));
    columns.dueDate.push(random() < 0.5 ? new Date(createdAt + Math.floor(random() * 60 * DAY_MS)).toISOString() : null);
    columns.position.push(position);
    columns.createdAt.push(new Date(createdAt).toISOString());
    columns.completedAt.push(status === 'done' ? new Date(createdAt + Math.floor(random() * 30 * DAY_MS)).toISOString() : null);
  }
  return columns;
}

async function insertTasks(target: SeedTarget, columns: ReturnType<typeof taskBatch>): Promise<number[]> {
  const result = await target.client.query<{ id: string }>(
    `insert into tasks (workspace_id, project_id, number, identifier, title, description, status, status_category, priority,
                        assigned_to, created_by, due_date, position, created_at, updated_at, completed_at, fields)
     select $1, $12, $13 + t.n - 1, $14 || '-' || ($13 + t.n - 1), t.title, t.description, t.status,
            (case t.status when 'done' then 'completed' when 'todo' then 'unstarted' else 'started' end)::status_category,
            t.priority, t.assigned_to, t.created_by, t.due_date, t.position, t.created_at, t.created_at, t.completed_at, t.fields
     from unnest($2::text[], $3::text[], $4::text[], $5::task_priority[], $6::bigint[], $7::bigint[],
                 $8::timestamptz[], $9::float8[], $10::timestamptz[], $11::timestamptz[], $15::jsonb[]) with ordinality
       as t(title, description, status, priority, assigned_to, created_by, due_date, position, created_at, completed_at, fields, n)
     returning id`,
    [
      target.workspaceId,
      columns.title,
      columns.description,
      columns.status,
      columns.priority,
      columns.assignedTo,
      columns.createdBy,
      columns.dueDate,
      columns.position,
      columns.createdAt,
      columns.completedAt,
      target.project.id,
      target.project.nextNumber,
      target.project.key,
      columns.fields,
    ],
  );
  target.project.nextNumber += columns.title.length;
  target.seeded += columns.title.length;
  return result.rows.map((row) => Number(row.id));
}

async function insertComments(target: SeedTarget, random: () => number, taskIds: number[], size: number): Promise<void> {
  const taskId: number[] = [];
  const userId: number[] = [];
  const comment: string[] = [];
  for (let i = 0; i < size; i++) {
    taskId.push(pick(random, taskIds));
    userId.push(pick(random, target.userIds));
    comment.push(words(random, 5 + Math.floor(random() * 25)));
  }
  await target.client.query(
    `insert into task_comments (workspace_id, task_id, user_id, comment)
     select $1, c.task_id, c.user_id, c.comment from unnest($2::bigint[], $3::bigint[], $4::text[]) as c(task_id, user_id, comment)`,
    [target.workspaceId, taskId, userId, comment],
  );
}

/**
 * Bulk-inserts tasks and comments for one workspace directly in PostgreSQL,
 * in batches, with a progress line; then ANALYZEs. Returns the new task ids.
 */
export async function seedTasks(
  databaseUrl: string,
  options: { workspaceId: number; userIds: number[]; tasks: number; comments: number; fieldsOf?: (index: number) => Record<string, unknown> },
): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; key: string; next_number: number }>('select id, key, next_number from projects where workspace_id = $1 and is_default', [options.workspaceId]);
    const project = { id: Number(rows[0]!.id), key: rows[0]!.key, nextNumber: rows[0]!.next_number };
    const target: SeedTarget = { client, workspaceId: options.workspaceId, userIds: options.userIds, project, fieldsOf: options.fieldsOf, seeded: 0 };
    const random = seededRandom(42);
    const now = Date.now();
    const positions = new Map<string, number>();
    const taskIds: number[] = [];
    const total = options.tasks + options.comments;
    const bar = progress(
      `seeding ${options.tasks.toLocaleString('en-US')} tasks${options.comments ? ` + ${options.comments.toLocaleString('en-US')} comments` : ''}`,
      total,
    );
    while (taskIds.length < options.tasks) {
      const size = Math.min(TASK_BATCH, options.tasks - taskIds.length);
      taskIds.push(...(await insertTasks(target, taskBatch(random, target, size, positions, now))));
      bar.update(taskIds.length);
    }
    for (let done = 0; done < options.comments; ) {
      const size = Math.min(COMMENT_BATCH, options.comments - done);
      await insertComments(target, random, taskIds, size);
      done += size;
      bar.update(options.tasks + done);
    }
    bar.finish();
    await client.query('update projects set next_number = $1 where id = $2', [project.nextNumber, project.id]);
    await client.query('analyze');
    return taskIds;
  } finally {
    await client.end();
  }
}
