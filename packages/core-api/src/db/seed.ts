import bcrypt from 'bcrypt';
import type { Knex } from 'knex';
import type { Config } from '../config.js';

export interface DemoCredentials {
  workspace: string;
  password: string;
  users: Array<{ name: string; email: string; role: string }>;
}

const PASSWORD = 'taskbase-demo';

const PEOPLE = [
  { name: 'Ada Admin', email: 'admin@demo.taskbase.dev', role: 'admin' },
  { name: 'Alan Admin', email: 'alan@demo.taskbase.dev', role: 'admin' },
  { name: 'Mia Manager', email: 'manager@demo.taskbase.dev', role: 'manager' },
  { name: 'Max Manager', email: 'max@demo.taskbase.dev', role: 'manager' },
  { name: 'Maya Member', email: 'member@demo.taskbase.dev', role: 'member' },
  { name: 'Milo Member', email: 'milo@demo.taskbase.dev', role: 'member' },
  { name: 'Nina Member', email: 'nina@demo.taskbase.dev', role: 'member' },
] as const;

const VERBS = ['Design', 'Build', 'Review', 'Test', 'Document', 'Ship', 'Refactor', 'Measure', 'Fix', 'Plan'];
const THINGS = [
  'the onboarding flow',
  'billing webhooks',
  'the search index',
  'dark mode',
  'CSV export',
  'the mobile layout',
  'rate limiting',
  'the release notes',
  'SSO sign-in',
  'the analytics dashboard',
  'notification emails',
  'the public API docs',
];
const STATUSES = ['todo', 'in_progress', 'in_review', 'done'] as const;
const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
const COMMENTS = [
  'I can pick this up after the current sprint.',
  'Blocked on the API change, will update tomorrow.',
  'Looks good to me, shipping it.',
  'Can we split this into two smaller tasks?',
  'Added a first draft, feedback welcome.',
];

/**
 * Adds a demo workspace when the database holds none, with people of every
 * role and ~60 tasks across statuses, comments and notifications.
 * Deterministic, so screenshots and docs stay stable.
 */
export async function seedDemo(knex: Knex, config: Config): Promise<DemoCredentials | undefined> {
  const passwordHash = await bcrypt.hash(PASSWORD, config.bcryptCost);
  return knex.transaction(async (trx) => {
    // Serialize concurrent seeders (several processes starting at once).
    await trx.raw('select pg_advisory_xact_lock(727274)');
    if (await trx('workspaces').first('id')) return undefined;

    const [workspace] = await trx('workspaces').insert({ name: 'Acme Demo' }).returning(['id', 'name']);
    const wid = workspace.id as number;
    const users = await trx('users')
      .insert(PEOPLE.map((p) => ({ workspace_id: wid, name: p.name, email: p.email, role: p.role, password_hash: passwordHash })))
      .returning(['id', 'name', 'role']);
    const ids = users.map((u: { id: number }) => u.id);
    const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

    const now = Date.now();
    const day = 86_400_000;
    const tasks = Array.from({ length: 60 }, (_, i) => {
      const status = pick(STATUSES, i);
      const created = new Date(now - (60 - i) * day * 0.5);
      return {
        workspace_id: wid,
        title: `${pick(VERBS, i)} ${pick(THINGS, i * 7 + 3)}`,
        description: `Part of the Q${(i % 4) + 1} roadmap. Acceptance: works on desktop and mobile, documented, measured.`,
        status,
        priority: pick(PRIORITIES, i * 3 + 1),
        assigned_to: i % 6 === 5 ? null : pick(ids, i + 2),
        created_by: pick(ids, i),
        due_date: i % 3 === 0 ? null : new Date(now + ((i % 15) - 5) * day),
        position: Math.floor(i / 4) * 1024 + 1024,
        created_at: created,
        updated_at: created,
        completed_at: status === 'done' ? new Date(created.getTime() + ((i % 5) + 1) * day * 0.4) : null,
      };
    });
    const inserted = await trx('tasks').insert(tasks).returning(['id', 'createdBy', 'assignedTo', 'title', 'createdAt']);
    await trx('events').insert(
      inserted.map((t: { id: number; createdBy: number; title: string; createdAt: Date }) => ({
        workspace_id: wid,
        type: 'task.created',
        actor_id: t.createdBy,
        task_id: t.id,
        payload: { task: { id: t.id, title: t.title } },
        created_at: t.createdAt,
      })),
    );
    const comments = inserted.flatMap((t: { id: number }, i: number) =>
      Array.from({ length: i % 4 }, (_, j) => ({
        workspace_id: wid,
        task_id: t.id,
        user_id: pick(ids, i + j + 1),
        comment: pick(COMMENTS, i + j),
      })),
    );
    if (comments.length) await trx('task_comments').insert(comments);
    const notifications = inserted
      .filter((t: { assignedTo: number | null; createdBy: number }) => t.assignedTo !== null && t.assignedTo !== t.createdBy)
      .map((t: { id: number; assignedTo: number; createdBy: number; title: string }, i: number) => ({
        workspace_id: wid,
        user_id: t.assignedTo,
        task_id: t.id,
        actor_id: t.createdBy,
        type: 'task.assigned',
        message: `You were assigned "${t.title}"`,
        read: i % 3 === 0,
      }));
    if (notifications.length) await trx('notifications').insert(notifications);

    return { workspace: workspace.name as string, password: PASSWORD, users: PEOPLE.map((p) => ({ ...p })) };
  });
}
