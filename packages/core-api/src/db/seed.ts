import bcrypt from 'bcrypt';
import type { Knex } from 'knex';
import { ConfigError, type Config } from '../config.js';
import { DEFAULT_WORKFLOW } from '../services/workflow.js';

export interface DemoCredentials {
  workspace: string;
  password: string;
  users: Array<{ name: string; email: string; role: string }>;
}

const PASSWORD = 'taskbase-demo';

const WORKSPACE = 'Fernway Product Team';

// The admin@, manager@ and member@ sign-ins are the documented ones (README, examples).
const PEOPLE = [
  { name: 'Priya Raman', email: 'admin@demo.taskbase.dev', role: 'admin' },
  { name: 'Jonas Weber', email: 'jonas@demo.taskbase.dev', role: 'admin' },
  { name: 'Sofia Alvarez', email: 'manager@demo.taskbase.dev', role: 'manager' },
  { name: 'Kenji Sato', email: 'kenji@demo.taskbase.dev', role: 'manager' },
  { name: 'Maya Okafor', email: 'member@demo.taskbase.dev', role: 'member' },
  { name: 'Liam Byrne', email: 'liam@demo.taskbase.dev', role: 'member' },
  { name: 'Nina Petrova', email: 'nina@demo.taskbase.dev', role: 'member' },
] as const;
const [PRIYA, JONAS, SOFIA, KENJI, MAYA, LIAM, NINA] = [0, 1, 2, 3, 4, 5, 6];
const NOBODY = -1;

/**
 * The demo sign-ins, when this database holds the demo workspace and the
 * server is not in production: the app's sign-in page offers them in
 * development. The password is published anyway (README, start banner).
 */
export async function demoSignIns(knex: Knex, config: Config): Promise<DemoCredentials | undefined> {
  if (config.env === 'production') return undefined;
  const admin = await knex('users').where({ email: PEOPLE[0].email, active: true }).first('workspaceId');
  if (!admin) return undefined;
  const workspace = await knex('workspaces').where({ id: admin.workspaceId }).first('name');
  return { workspace: workspace?.name ?? WORKSPACE, password: PASSWORD, users: PEOPLE.map((p) => ({ ...p })) };
}

type Status = 'todo' | 'in_progress' | 'in_review' | 'done';
type Priority = 'low' | 'medium' | 'high' | 'urgent';
/** title, status, priority, assignee, creator, created (days ago), due (days from now, negative = past), description. */
type TaskRow = [string, Status, Priority, number, number, number, number | null, string?];

// A month of a small product team shipping a mobile release and a billing migration.
const TASKS: TaskRow[] = [
  ['Kick-off: scope the 2.4 mobile release', 'done', 'high', PRIYA, PRIYA, 29.6, -24, 'Agree on what ships in 2.4 and what waits for 2.5.'],
  ['Interview five customers about offline mode', 'done', 'medium', SOFIA, PRIYA, 29.1, -18],
  ['Audit Stripe webhooks before the billing migration', 'done', 'urgent', LIAM, JONAS, 28.4, -21, 'List every webhook we consume and what breaks if it arrives twice.'],
  ['Set up the staging database for billing v2', 'done', 'high', KENJI, JONAS, 27.8, -20],
  ['Wireframes for the new onboarding', 'done', 'medium', SOFIA, SOFIA, 27.2, -19],
  ['Fix crash when a photo upload is cancelled', 'done', 'urgent', MAYA, NINA, 26.5, -25],
  ['Write the migration plan for invoices', 'done', 'high', LIAM, JONAS, 25.9, -15],
  ['Rotate the leaked Sentry token', 'done', 'urgent', KENJI, KENJI, 25.3, -25],
  ['Usability test: onboarding prototype', 'done', 'medium', SOFIA, PRIYA, 23.7, -12],
  ['Dark mode: audit contrast on every screen', 'done', 'low', MAYA, SOFIA, 22.9, null],
  ['Add retry with backoff to the email sender', 'done', 'medium', LIAM, LIAM, 21.4, -10],
  ['Support macro for "card declined" tickets', 'done', 'low', NINA, NINA, 20.8, null],
  ['Offline drafts: store unsent comments locally', 'done', 'high', MAYA, PRIYA, 19.6, -6],
  ['Billing v2: dual-write invoices to both systems', 'done', 'urgent', LIAM, JONAS, 18.2, -4, 'Behind the billing_v2_dual_write flag. Compare totals nightly.'],
  ['Update the privacy policy for the EU data region', 'done', 'medium', PRIYA, PRIYA, 17.5, -8],
  ['Speed up the project list on slow Android phones', 'done', 'high', MAYA, JONAS, 16.1, -3],
  ['Release notes for 2.3.1', 'done', 'low', NINA, PRIYA, 13.4, -11],
  ['Fix timezone bug in due-date reminders', 'done', 'high', LIAM, NINA, 11.7, -5],
  ['Load test the sync endpoint at 3x traffic', 'done', 'medium', KENJI, JONAS, 9.3, -2],
  ['Renew the App Store distribution certificate', 'done', 'urgent', KENJI, KENJI, 6.8, -1],
  ['Onboarding: final copy for the three intro screens', 'in_review', 'medium', SOFIA, PRIYA, 15.2, -1],
  ['Billing v2: backfill 2023 invoices', 'in_review', 'high', LIAM, JONAS, 12.6, 2, 'Dry run on staging first; the script is idempotent by invoice number.'],
  ['Push notification settings screen', 'in_review', 'medium', MAYA, SOFIA, 10.9, 3],
  ['Accessibility pass on the checkout flow', 'in_review', 'high', NINA, SOFIA, 8.4, -2],
  ['Crash-free sessions dashboard in Grafana', 'in_review', 'low', KENJI, KENJI, 5.1, 6],
  ['Onboarding: build the new welcome flow', 'in_progress', 'high', MAYA, SOFIA, 14.8, 4],
  ['Billing v2: switch reads to the new service', 'in_progress', 'urgent', LIAM, JONAS, 11.2, -3, 'Cut over per region, EU first. Rollback = flip the flag.'],
  ['Offline mode: conflict banner when a task changed', 'in_progress', 'high', MAYA, PRIYA, 9.6, 5],
  ['Customer call notes: Hartley Logistics renewal', 'in_progress', 'medium', PRIYA, PRIYA, 7.2, 1],
  ['Investigate slow search for workspaces over 10k tasks', 'in_progress', 'high', JONAS, NINA, 6.5, -1],
  ['Design the empty states for projects', 'in_progress', 'low', SOFIA, SOFIA, 5.9, 9],
  ['Migrate CI to the new runners', 'in_progress', 'medium', KENJI, JONAS, 4.4, 7],
  ['Triage App Store review feedback', 'in_progress', 'medium', NINA, PRIYA, 3.2, 2],
  ['Plan the 2.5 roadmap review', 'todo', 'medium', PRIYA, PRIYA, 12.1, 8],
  ['Billing v2: decommission the old invoice cron', 'todo', 'medium', LIAM, JONAS, 10.4, 14],
  ['Write the help-center article on offline mode', 'todo', 'low', NINA, SOFIA, 9.8, 12],
  ['Fix double tap opening a task twice on iOS', 'todo', 'high', MAYA, NINA, 8.7, -4],
  ['GDPR export: include comments and attachments', 'todo', 'high', LIAM, PRIYA, 8.1, -2],
  ['Add SSO (SAML) to the enterprise plan', 'todo', 'medium', JONAS, PRIYA, 7.6, 21],
  ['Quarterly access review of admin accounts', 'todo', 'medium', KENJI, KENJI, 7.0, -5],
  ['Icons for the new project templates', 'todo', 'low', SOFIA, SOFIA, 6.2, 10],
  ['Reduce the Android APK size below 30 MB', 'todo', 'low', NOBODY, JONAS, 5.7, null],
  ['Onboarding: track drop-off per screen', 'todo', 'medium', NOBODY, PRIYA, 4.9, 9],
  ['Password reset email lands in spam for Outlook', 'todo', 'urgent', LIAM, NINA, 4.1, -1, 'Three tickets this week. Check SPF/DKIM on the new sender domain.'],
  ['Localise the onboarding into German and French', 'todo', 'medium', NOBODY, SOFIA, 3.6, 16],
  ['Update the status page runbook', 'todo', 'low', KENJI, KENJI, 2.9, null],
  ['Prepare the Hartley Logistics QBR deck', 'todo', 'high', PRIYA, PRIYA, 2.3, 3],
  ['Flaky test: sync resumes after reconnect', 'todo', 'medium', NOBODY, NINA, 1.8, null],
  ['Keyboard shortcuts cheat sheet', 'todo', 'low', MAYA, SOFIA, 1.2, 11],
  ['Rate limit the public API per key', 'todo', 'high', JONAS, JONAS, 0.7, 6],
  ['Follow up: refund for order #48213', 'todo', 'medium', NINA, NINA, 0.3, 0.5],
];

/** task index, author, days ago, text: @mentions name teammates as the composer writes them. */
const COMMENTS: Array<[number, number, number, string]> = [
  [0, PRIYA, 29.4, '@Jonas Weber @Sofia Alvarez draft scope is in the doc, comments by Thursday please.'],
  [0, JONAS, 29.0, 'Billing migration has to land before offline mode, otherwise we are touching sync twice.'],
  [2, LIAM, 27.9, 'Found two handlers that are not idempotent (invoice.paid and charge.refunded). Fixing both.'],
  [5, NINA, 26.4, 'Repro: start an upload on 4G, cancel, rotate the phone. @Maya Okafor video attached in the ticket.'],
  [5, MAYA, 25.8, 'Fixed, the cancel handler released the buffer twice. Shipping in 2.3.1.'],
  [13, JONAS, 17.9, '@Liam Byrne totals matched for three nights in a row, nice work.'],
  [15, MAYA, 15.6, 'List renders 4x faster on the Moto G7; the images were decoded on the main thread.'],
  [20, PRIYA, 3.1, '@Sofia Alvarez I would drop the third screen, the value is already clear after two.'],
  [20, SOFIA, 2.6, 'Agreed, merged it into the second one. Ready for a last look.'],
  [21, JONAS, 1.9, 'Backfill dry run: 41,208 invoices, 3 mismatches, all credit notes. @Liam Byrne can you check those?'],
  [21, LIAM, 1.4, 'The three are manual credit notes from 2023, fixing the mapping and rerunning.'],
  [23, SOFIA, 2.2, 'Focus order skips the promo code field with VoiceOver. @Nina Petrova can you retest after the fix?'],
  [25, SOFIA, 3.8, '@Maya Okafor the illustrations are in Figma, final versions.'],
  [25, MAYA, 1.1, 'Screens one and two are done, animations next.'],
  [26, LIAM, 2.0, 'EU is on the new service since Monday, no errors. US next week.'],
  [26, PRIYA, 0.9, '@Liam Byrne this is past its due date, is anything blocking the US cutover?'],
  [28, PRIYA, 4.0, 'They want the SSO timeline before renewing. @Jonas Weber can we commit to a quarter?'],
  [29, JONAS, 2.7, 'Most time is spent ranking; the GIN index is fine. Trying a prefix-only query for short terms.'],
  [36, NINA, 3.9, 'Four more tickets about this since the 2.3.1 release.'],
  [37, PRIYA, 1.6, 'Legal asked for this before the end of the month. @Liam Byrne'],
  [39, KENJI, 2.4, '@Priya Raman @Jonas Weber please confirm your admin access is still needed.'],
  [43, NINA, 0.8, '@Liam Byrne customers on Outlook.com only, Gmail is fine.'],
  [46, PRIYA, 0.4, '@Sofia Alvarez could you pull the onboarding numbers for the deck?'],
];

const DAY = 86_400_000;

/** The demo's projects; a task goes to the last whose pattern its title matches (the first, the default, matches all). */
const DEMO_PROJECTS = [
  { key: 'GEN', name: 'General', description: 'Everything that is not part of a bigger effort', color: '#4f46e5', matches: /^/ },
  { key: 'MOB', name: 'Mobile 2.4', description: 'The 2.4 release of the iOS and Android apps', color: '#0891b2', matches: /mobile|android|ios|app store|offline|photo|push|crash|onboarding|dark mode/i },
  { key: 'BIL', name: 'Billing v2', description: 'Moving invoices and payments to the new billing system', color: '#c2410c', matches: /billing|invoice|stripe|payment|refund|tax|card/i },
];
const FLOW: Status[] = ['todo', 'in_progress', 'in_review', 'done'];

/**
 * Moves an instant back into working hours (09:00–18:00 local), so the history
 * reads like a team's, not a timer's. Only ever earlier: nothing lands in the future.
 */
function workingHours(at: Date, salt: number): Date {
  const d = new Date(at);
  if (d.getHours() < 9) d.setDate(d.getDate() - 1);
  if (d.getHours() < 9 || d.getHours() >= 18) d.setHours(10 + (salt % 7), (salt * 17) % 60);
  return d;
}

/**
 * Adds a demo workspace when the database holds none: seven people of every
 * role and a month of their work (varied priorities and statuses, some tasks
 * overdue, status changes in the activity, comments with @mentions, and the
 * notifications those would have sent). Relative to now, so it always looks current.
 */
export async function seedDemo(knex: Knex, config: Config): Promise<DemoCredentials | undefined> {
  // Every demo user shares a published password: in production that is an open admin account.
  if (config.env === 'production') throw new ConfigError('NODE_ENV', 'is production: the demo workspace (published passwords) is never seeded in production');
  const passwordHash = await bcrypt.hash(PASSWORD, config.bcryptCost);
  const demo = await knex.transaction(async (trx): Promise<DemoCredentials | undefined> => {
    // Serialize concurrent seeders (several processes starting at once).
    await trx.raw('select pg_advisory_xact_lock(727274)');
    if (await trx('workspaces').first('id')) return undefined;

    const now = Date.now();
    const ago = (days: number, salt = 0) => workingHours(new Date(now - days * DAY), salt);
    const [workspace] = await trx('workspaces').insert({ name: WORKSPACE, created_at: ago(31) }).returning(['id', 'name']);
    const wid = workspace.id as number;
    const users = await trx('users')
      .insert(PEOPLE.map((p) => ({ workspace_id: wid, name: p.name, email: p.email, role: p.role, password_hash: passwordHash, created_at: ago(31) })))
      .returning(['id']);
    const ids: number[] = users.map((u: { id: number }) => u.id);
    const idOf = (person: number) => (person === NOBODY ? null : ids[person]!);

    // Three projects, as a team of this size would have: the default one and two focused ones.
    const projects: Array<{ id: number; key: string }> = await trx('projects')
      .insert(
        DEMO_PROJECTS.map((project, i) => ({
          workspace_id: wid, key: project.key, name: project.name, description: project.description, color: project.color,
          is_default: i === 0, workflow: JSON.stringify(DEFAULT_WORKFLOW), position: (i + 1) * 1024, created_at: ago(31), updated_at: ago(31),
        })),
      )
      .returning(['id', 'key']);
    const numbers = new Map<number, number>();
    const positions = new Map<string, number>();
    const rows = TASKS.map(([title, status, priority, assignee, creator, created, due, description], i) => {
      const project = projects[Math.max(0, DEMO_PROJECTS.findLastIndex((p) => p.matches.test(title)))]!;
      const number = (numbers.get(project.id) ?? 0) + 1;
      numbers.set(project.id, number);
      const column = `${project.id}:${status}`;
      positions.set(column, (positions.get(column) ?? 0) + 1024);
      const createdAt = ago(created, i);
      // Done tasks were finished some days after they started; the rest were last touched recently.
      const last = status === 'done' ? createdAt.getTime() + Math.min(created * 0.6, 2 + (i % 6)) * DAY : ago(Math.min(created, (i % 4) * 0.6), i + 3).getTime();
      const touched = new Date(Math.min(now, Math.max(last, createdAt.getTime() + 3_600_000)));
      return {
        workspace_id: wid,
        project_id: project.id,
        number,
        identifier: `${project.key}-${number}`,
        title,
        description: description ?? '',
        status,
        status_category: DEFAULT_WORKFLOW.find((s) => s.key === status)!.category,
        priority,
        assigned_to: idOf(assignee),
        created_by: ids[creator]!,
        due_date: due === null ? null : new Date(now + due * DAY),
        position: positions.get(column)!,
        created_at: createdAt,
        updated_at: touched,
        completed_at: status === 'done' ? touched : null,
      };
    });
    // Tasks go in in creation order, so numbers read as a history.
    const inserted: Array<{ id: number }> = await trx('tasks').insert(rows).returning(['id']);
    for (const project of projects) await trx('projects').where({ id: project.id }).update({ next_number: (numbers.get(project.id) ?? 0) + 1 });
    const taskIds = inserted.map((t) => t.id);

    // History: the creation, then each status step between creation and the last touch.
    const events: Array<Record<string, unknown> & { created_at: Date }> = rows.flatMap((row, i) => {
      const actor = row.assigned_to ?? row.created_by;
      const steps = FLOW.slice(0, FLOW.indexOf(row.status as Status) + 1);
      const span = row.updated_at.getTime() - row.created_at.getTime();
      return [
        { workspace_id: wid, type: 'task.created', actor_id: row.created_by, task_id: taskIds[i], project_id: row.project_id, payload: { task: { id: taskIds[i], title: row.title } }, created_at: row.created_at },
        ...steps.slice(1).map((to, s) => ({
          workspace_id: wid,
          type: 'task.updated',
          actor_id: actor,
          task_id: taskIds[i],
          project_id: row.project_id,
          payload: { task: { id: taskIds[i], title: row.title }, changes: { status: { from: steps[s], to } } },
          created_at: new Date(row.created_at.getTime() + (span * (s + 1)) / (steps.length - 1 || 1)),
        })),
      ];
    });

    const mentioned = (text: string) => PEOPLE.flatMap((p, i) => (text.includes(`@${p.name}`) ? [ids[i]!] : []));
    const comments = COMMENTS.map(([task, author, days, text]) => ({
      workspace_id: wid,
      task_id: taskIds[task]!,
      user_id: ids[author]!,
      comment: text,
      mentions: JSON.stringify(mentioned(text)),
      created_at: ago(days, task + author),
      updated_at: ago(days, task + author),
    }));
    await trx('task_comments').insert(comments);
    events.push(
      ...comments.map((c) => ({
        workspace_id: wid, type: 'comment.created', actor_id: c.user_id, task_id: c.task_id, project_id: rows[taskIds.indexOf(c.task_id)]!.project_id,
        payload: { task: { id: c.task_id, title: TASKS[taskIds.indexOf(c.task_id)]![0] } }, created_at: c.created_at,
      })),
    );
    events.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
    await trx('events').insert(events);

    // What the team would have been told: assignments and mentions; older ones already read.
    const nameOf = (id: number) => PEOPLE[ids.indexOf(id)]!.name;
    const notifications = [
      ...rows.flatMap((row, i) =>
        row.assigned_to !== null && row.assigned_to !== row.created_by
          ? [{ user_id: row.assigned_to, task_id: taskIds[i], actor_id: row.created_by, type: 'task.assigned', message: `${nameOf(row.created_by)} assigned you "${row.title}"`, created_at: row.created_at }]
          : [],
      ),
      ...comments.flatMap((c) =>
        (JSON.parse(c.mentions) as number[])
          .filter((user) => user !== c.user_id)
          .map((user) => ({ user_id: user, task_id: c.task_id, actor_id: c.user_id, type: 'comment.mention', message: `${nameOf(c.user_id)} mentioned you on "${TASKS[taskIds.indexOf(c.task_id)]![0]}"`, created_at: c.created_at })),
      ),
    ].map((n) => ({ ...n, workspace_id: wid, read: now - n.created_at.getTime() > 4 * DAY }));
    await trx('notifications').insert(notifications);

    return { workspace: workspace.name as string, password: PASSWORD, users: PEOPLE.map((p) => ({ ...p })) };
  });
  // Planner statistics for the rows just added (the embedded database has no autovacuum to gather them).
  if (demo) await knex.raw('analyze');
  return demo;
}
