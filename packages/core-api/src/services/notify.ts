import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { appendEvents, type NewEvent } from '../events/append.js';
import { Notification, toNotificationDto, type NotificationRow } from '../models/Notification.js';
import type { ChannelsPatch, EmailDigest } from '../schemas/notificationPreferences.js';
import { digestReleaseAt, kindOf, routeFor, type StoredDefaults } from './notificationChannels.js';

export interface NotificationInput {
  workspaceId: number;
  recipients: Iterable<number | null | undefined>;
  actorId: number | null;
  taskId: number | null;
  type: string;
  message: string;
  dedupeKey?: string;
}

/** Writes of the same change that the notification's own go with, in one statement (events/append.ts). */
export interface SameChange {
  /** Events appended before the notifications' own. */
  events?: NewEvent[];
  /** Inserts whose results nobody reads (a task's new watchers). */
  inserts?: Knex.QueryBuilder[];
}

/**
 * Whether this process queues email: set once from SMTP_URL/MAIL_FROM when
 * the services are built (services/index.ts). Without it nothing is queued,
 * so an outbox nobody sends cannot grow.
 */
export const emailChannel = { enabled: false };

interface Recipient {
  id: number;
  email: string | null;
  active: boolean;
  timezone: string;
  channels: ChannelsPatch | null;
  emailDigest: EmailDigest | null;
  defaults: StoredDefaults | null;
}

/**
 * Notifies recipients inside the caller's transaction, each through the
 * channels their preferences choose for the notification's kind: in the app
 * (a notification row and its private event, so the bell updates live), by
 * email (a row in the outbox, sent after commit by the email worker; held
 * for the user's digest when they chose one), both or neither. The actor is
 * never notified of their own action; a recipient once per call, and once
 * per `dedupeKey` ever. Three statements at most, whatever the number of
 * recipients: their preferences, the notification rows, and one that
 * appends the events (`sameChange`'s first) and queues the emails.
 */
export async function notify(trx: Knex.Transaction, input: NotificationInput, sameChange: SameChange = {}): Promise<number[]> {
  const events = [...(sameChange.events ?? [])];
  const inserts = [...(sameChange.inserts ?? [])];
  const ids = [...new Set(input.recipients)].filter((id): id is number => typeof id === 'number' && id !== input.actorId);
  if (ids.length === 0) {
    await appendEvents(trx, events, inserts);
    return [];
  }
  const kind = kindOf(input.type);
  const recipients = await recipientsOf(trx, input.workspaceId, ids);
  const routes = recipients.map((recipient) => ({ recipient, ...routeFor(kind, recipient.defaults, recipient) }));

  const inApp = routes.filter((route) => route.inApp).map((route) => route.recipient.id);
  let rows: NotificationRow[] = [];
  if (inApp.length > 0) {
    rows = (await Notification.rows(trx)
      .insert(
        inApp.map((userId) => ({
          workspaceId: input.workspaceId,
          userId,
          taskId: input.taskId,
          actorId: input.actorId,
          type: input.type,
          kind,
          message: input.message,
          dedupeKey: input.dedupeKey ?? null,
        })),
      )
      .onConflict(trx.raw('(workspace_id, user_id, dedupe_key) where dedupe_key is not null'))
      .ignore()
      .returning(['id', 'userId', 'taskId', 'actorId', 'type', 'kind', 'message', 'read', 'createdAt'])) as NotificationRow[];
    for (const row of rows) {
      events.push({
        workspaceId: input.workspaceId,
        type: 'notification.created',
        actorId: input.actorId,
        taskId: input.taskId,
        userId: row.userId,
        payload: { notification: toNotificationDto(row) },
      });
    }
  }

  if (emailChannel.enabled) {
    const email = routes.filter((route) => route.email && route.recipient.active && route.recipient.email);
    if (email.length > 0) {
      // A cause is the dedupe key when there is one (a job run twice queues one email), else this call.
      const causeKey = input.dedupeKey ?? `${input.type}:${randomUUID()}`;
      const now = new Date();
      inserts.push(
        trx('email_outbox')
          .insert(
            email.map(({ recipient, digest }) => ({
              workspace_id: input.workspaceId,
              user_id: recipient.id,
              task_id: input.taskId,
              actor_id: input.actorId,
              cause_key: causeKey,
              kind,
              type: input.type,
              message: input.message,
              status: digest === 'off' ? 'pending' : 'held',
              digest: digest === 'off' ? null : digest,
              next_attempt_at: digest === 'off' ? now : digestReleaseAt(now, recipient.timezone, digest),
            })),
          )
          .onConflict(['workspace_id', 'user_id', 'cause_key'])
          .ignore(),
      );
    }
  }
  await appendEvents(trx, events, inserts);
  return rows.map((row) => row.id);
}

/** Every recipient's preferences and the workspace's defaults, in one query. */
async function recipientsOf(trx: Knex.Transaction, workspaceId: number, ids: number[]): Promise<Recipient[]> {
  const rows = (await trx('users as u')
    .join('workspaces as w', 'w.id', 'u.workspace_id')
    .leftJoin('notification_preferences as p', 'p.user_id', 'u.id')
    .where('u.workspace_id', workspaceId)
    .whereIn('u.id', ids)
    .select(
      'u.id',
      'u.email',
      'u.active',
      'u.timezone',
      'p.channels',
      'p.email_digest as emailDigest',
      'w.notification_defaults as defaults',
    )) as Array<Recipient & { id: number | string }>;
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}
