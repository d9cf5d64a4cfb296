import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import type { RunningServer } from '../src/server.js';
import { EmailWorker } from '../src/services/email/worker.js';
import { RetentionJob } from '../src/services/retention.js';
import { zoneOffsetMs } from '../src/services/notificationChannels.js';
import { TestClient, createTeam, type Member, type Team } from './support/client.js';
import { JWT_SECRET, databaseMode, startTestServer } from './support/server.js';
import { eventually } from './support/webhooks.js';

const APP_URL = 'https://tasks.example.test';

/** A real SMTP server on 127.0.0.1: what arrives is parsed; `failNext` refuses that many messages with a 451. */
async function startSmtp() {
  const received: ParsedMail[] = [];
  const state = { failNext: 0 };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          if (state.failNext > 0) {
            state.failNext -= 1;
            return callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
          }
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  return { received, state, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}

/** A raw header's value (mailparser folds List-* headers into `list`). */
const rawHeader = (mail: ParsedMail, name: string) =>
  mail.headerLines.find((line) => line.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ');
const unsubscribeUrlOf = (mail: ParsedMail) => rawHeader(mail, 'list-unsubscribe')!.replace(/^<|>$/g, '');

const addressesOf = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((entry) => entry.value.map((value) => value.address));

describe(`notification email (${databaseMode()} database)`, () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: RunningServer;
  let client: TestClient;
  let worker: EmailWorker;

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startTestServer({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Taskbase <taskbase@example.test>',
      APP_URL,
      // The test drives the worker (and its clock) itself.
      EMAIL_WORKER: 'false',
      EMAIL_RETRY_SCHEDULE: '1,1',
      DUE_REMINDERS_INTERVAL: '0',
    });
    client = new TestClient(server.url);
    worker = new EmailWorker(server.database.knex, server.services.config.email, JWT_SECRET, server.services.logger);
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  const mailTo = (who: Member) => smtp.received.filter((mail) => addressesOf(mail.to).includes(who.email));
  const preferences = async (who: Member, body?: Record<string, unknown>) => {
    const answer = body ? await client.put('/api/notifications/preferences', body, { token: who.token }) : await client.get('/api/notifications/preferences', { token: who.token });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };
  const task = async (team: Team, body: Record<string, unknown>) => {
    const created = await client.post('/api/tasks', { title: 'Email me', ...body }, { token: team.admin.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: number; identifier: string; title: string };
  };
  const comment = async (who: Member, taskId: number, text: string) => {
    const created = await client.post(`/api/tasks/${taskId}/comments`, { comment: text }, { token: who.token });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  };
  const outbox = (userId: number) => server.database.knex('emailOutbox').where({ userId }).orderBy('id');

  it('sends an email per preference, with task link, text and HTML, and one-click unsubscribe headers; none where turned off', async () => {
    const team = await createTeam(client, 'Mail');
    const prefs = await preferences(team.member);
    expect(prefs.emailAvailable).toBe(true);
    expect(prefs.channels.assigned).toEqual({ inApp: true, email: true });
    expect(prefs.channels.commented).toEqual({ inApp: true, email: false });

    // Assigned: email on by default. The title is hostile HTML: escaped in the HTML body.
    const assigned = await task(team, { title: 'Fix <b>login</b> & "sessions"', assignedTo: team.member.id });
    // Commented: off by default, so the watcher's comment email is not queued.
    await comment(team.admin, assigned.id, 'First look');
    await worker.runOnce();
    const first = mailTo(team.member);
    expect(first).toHaveLength(1);
    const mail = first[0]!;
    expect(mail.subject).toContain(assigned.identifier);
    expect(mail.text).toContain(`${APP_URL}/tasks/${assigned.identifier}`);
    expect(mail.html).toContain('Fix &lt;b&gt;login&lt;/b&gt; &amp; &quot;sessions&quot;');
    expect(mail.html).not.toContain('<b>login</b>');
    const unsubscribeUrl = unsubscribeUrlOf(mail);
    expect(unsubscribeUrl.startsWith(`${APP_URL}/api/email/unsubscribe/`)).toBe(true);
    expect(rawHeader(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.from?.text).toContain('taskbase@example.test');

    // Comments turned on: the next comment is emailed. Assignments turned off: the next assignment is not.
    await preferences(team.member, { channels: { commented: { email: true }, assigned: { email: false } } });
    await comment(team.admin, assigned.id, 'Second look');
    await task(team, { title: 'Not by email', assignedTo: team.member.id });
    await worker.runOnce();
    const second = mailTo(team.member).slice(1);
    expect(second.map((m) => m.subject)).toEqual([expect.stringContaining('commented on')]);
    const rows = await outbox(team.member.id);
    expect(rows.map((row: { kind: string; status: string }) => `${row.kind}:${row.status}`)).toEqual(['assigned:sent', 'commented:sent']);
  });

  it('the unsubscribe link turns that kind off with one POST; GET only asks; a tampered signature is refused', async () => {
    const team = await createTeam(client, 'Unsub');
    await task(team, { assignedTo: team.member.id });
    await worker.runOnce();
    const [mail] = mailTo(team.member);
    const url = new URL(unsubscribeUrlOf(mail!));

    const page = await fetch(server.url + url.pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect((await preferences(team.member)).channels.assigned.email).toBe(true);

    const last = url.pathname.at(-1) === 'A' ? 'B' : 'A';
    const tampered = url.pathname.slice(0, -1) + last;
    const forged = url.pathname.replace(/\/(\d+)\.(\d+)\./, `/$1.${team.other.id}.`);
    for (const path of [tampered, forged, '/api/email/unsubscribe/1.1.assigned.nope']) {
      const refused = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(refused.status, path).toBe(404);
    }
    expect((await preferences(team.other)).channels.assigned.email).toBe(true);

    const done = await fetch(server.url + url.pathname, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(done.status).toBe(200);
    const after = await preferences(team.member);
    expect(after.channels.assigned).toEqual({ inApp: true, email: false });
    expect(after.channels.mentioned.email).toBe(true);
  });

  it('a digest holds the emails and sends one per day at 08:00 local time, grouped by task', async () => {
    const team = await createTeam(client, 'Digest');
    await preferences(team.member, { emailDigest: 'daily', timezone: 'America/New_York', channels: { commented: { email: true }, status_changed: { email: true } } });
    const a = await task(team, { title: 'Launch plan', assignedTo: team.member.id });
    const b = await task(team, { title: 'Budget', assignedTo: team.member.id });
    const moved = await client.patch(`/api/tasks/${a.id}`, { status: 'in_progress' }, { token: team.admin.token });
    expect(moved.status).toBe(200);
    await comment(team.admin, a.id, 'one');
    await comment(team.admin, a.id, 'two');

    const held = await outbox(team.member.id);
    expect(held.map((row: { status: string }) => row.status)).toEqual(['held', 'held', 'held', 'held', 'held']);
    const release = new Date(held[0].nextAttemptAt as Date);
    // 08:00:00 in New York, within a day from now.
    const wall = new Date(release.getTime() + zoneOffsetMs('America/New_York', release.getTime()));
    expect([wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds()]).toEqual([8, 0, 0]);
    expect(release.getTime() - Date.now()).toBeGreaterThan(0);
    expect(release.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);

    await worker.runOnce();
    await worker.runOnce(new Date(release.getTime() - 60_000));
    expect(mailTo(team.member)).toHaveLength(0);
    await worker.runOnce(release);
    const digests = mailTo(team.member);
    expect(digests).toHaveLength(1);
    const text = digests[0]!.text!;
    expect(digests[0]!.subject).toContain('daily digest');
    expect(text).toContain(`${a.identifier}: 4 updates — status in progress, assigned to you, 2 comments`);
    expect(text).toContain(`${b.identifier}: 1 update — assigned to you`);
    // The digest's link turns every email off.
    expect(unsubscribeUrlOf(digests[0]!)).toContain('.all.');
    await worker.runOnce(new Date(release.getTime() + 3_600_000));
    expect(mailTo(team.member)).toHaveLength(1);
  });

  it('retries after an SMTP failure, recording the error', async () => {
    const team = await createTeam(client, 'Retry');
    smtp.state.failNext = 1;
    await task(team, { assignedTo: team.member.id });
    await worker.runOnce();
    expect(mailTo(team.member)).toHaveLength(0);
    const [failed] = await outbox(team.member.id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.lastError).toContain('451');
    // Not due yet (1 s backoff), then due.
    await worker.runOnce();
    expect(mailTo(team.member)).toHaveLength(0);
    await worker.runOnce(new Date(Date.now() + 5000));
    expect(mailTo(team.member)).toHaveLength(1);
    const [sent] = await outbox(team.member.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it("links embedded users' emails to the host app's task URL (the workspace's taskUrlTemplate)", async () => {
    const team = await createTeam(client, 'Embed');
    const template = await client.put('/api/workspace/notification-defaults', { taskUrlTemplate: 'https://host.example/work/{identifier}?task={id}' }, { token: team.admin.token });
    expect(template.status).toBe(200);
    // An embedded user is one with an externalId (created by an embed token; set directly here).
    await server.database.knex('users').where({ id: team.member.id }).update({ externalId: `ext-${team.member.id}` });
    const embedded = await task(team, { title: 'Host side', assignedTo: team.member.id });
    const local = await task(team, { title: 'Our side', assignedTo: team.other.id });
    await worker.runOnce();
    expect(mailTo(team.member)[0]!.text).toContain(`https://host.example/work/${embedded.identifier}?task=${embedded.id}`);
    expect(mailTo(team.other)[0]!.text).toContain(`${APP_URL}/tasks/${local.identifier}`);
  });

  it('sends exactly one email per cause with two workers racing on separate connection pools', async () => {
    const team = await createTeam(client, 'Race');
    const members = [team.member, team.other, team.manager];
    for (let i = 0; i < 8; i++) for (const who of members) await task(team, { title: `Race ${i}`, assignedTo: who.id });
    const pools: Database[] = [];
    const knexes =
      databaseMode() === 'postgres'
        ? await Promise.all([0, 1].map(async () => {
            const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolMax: 4 });
            pools.push(database);
            return database.knex;
          }))
        : [server.database.knex, server.database.knex];
    try {
      const config = { ...server.services.config.email, concurrency: 3 };
      const workers = knexes.map((knex) => new EmailWorker(knex, config, JWT_SECRET, server.services.logger));
      const sent = await Promise.all(workers.map((w) => w.runOnce()));
      expect(sent[0]! + sent[1]!).toBeGreaterThanOrEqual(24);
    } finally {
      await Promise.all(pools.map((database) => database.close()));
    }
    const mails = members.flatMap((who) => mailTo(who));
    expect(mails).toHaveLength(24);
    expect(new Set(mails.map((mail) => mail.messageId)).size).toBe(24);
    const attempts = (await server.database.knex('emailOutbox').whereIn('userId', members.map((m) => m.id)).select('attempts', 'status')) as Array<{ attempts: number; status: string }>;
    expect(attempts.every((row) => row.attempts === 1 && row.status === 'sent')).toBe(true);
  });

  it('retention deletes sent emails past RETENTION_EMAIL_DAYS, never pending or held ones', async () => {
    const team = await createTeam(client, 'Prune');
    await task(team, { assignedTo: team.member.id });
    await worker.runOnce();
    await preferences(team.other, { emailDigest: 'daily' });
    await task(team, { assignedTo: team.other.id });
    const knex = server.database.knex;
    await knex('emailOutbox').whereIn('userId', [team.member.id, team.other.id]).update({ createdAt: new Date(Date.now() - 3 * 86_400_000) });
    const job = new RetentionJob(knex, { eventsDays: 0, webhookDeliveriesDays: 0, refreshTokensDays: 0, idempotencyHours: 24, emailOutboxDays: 2 });
    expect((await job.run()).emailOutbox).toBeGreaterThanOrEqual(1);
    expect(await outbox(team.member.id)).toEqual([]);
    expect((await outbox(team.other.id)).map((row: { status: string }) => row.status)).toEqual(['held']);
  });

  it('the worker in the API process sends on its own, woken by the event bus (EMAIL_WORKER on)', async () => {
    const live = await startTestServer({ SMTP_URL: smtp.url, MAIL_FROM: 'Taskbase <taskbase@example.test>', APP_URL, EMAIL_POLL_INTERVAL_MS: '600000' });
    try {
      expect(live.emailWorker).toBeDefined();
      const liveClient = new TestClient(live.url);
      const team = await createTeam(liveClient, 'Live');
      await liveClient.post('/api/tasks', { title: 'Sent by itself', assignedTo: team.member.id }, { token: team.admin.token });
      await eventually(async () => mailTo(team.member).length > 0, 10_000, 'the email');
      expect(mailTo(team.member).map((mail) => mail.subject)).toEqual([expect.stringContaining('Sent by itself')]);
    } finally {
      await live.close();
    }
  });
});
