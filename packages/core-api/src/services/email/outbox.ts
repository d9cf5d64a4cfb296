import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** An outbox row claimed for sending, with what its email is made from. */
export interface ClaimedEmail {
  id: number;
  workspaceId: number;
  userId: number;
  kind: string;
  type: string;
  message: string;
  digest: 'hourly' | 'daily' | null;
  attempts: number;
  leaseId: string;
  to: string | null;
  recipientName: string;
  externalId: string | null;
  active: boolean;
  workspaceName: string;
  taskUrlTemplate: string | null;
  task: { id: number; identifier: string | null; title: string } | undefined;
}

export interface DigestPart {
  digestId: number;
  kind: string;
  message: string;
  task: { id: number; identifier: string | null; title: string } | undefined;
}

type Raw = Record<string, unknown>;
const taskOf = (row: Raw) =>
  row.task_id == null || row.task_title == null
    ? undefined
    : { id: Number(row.task_id), identifier: (row.task_identifier as string | null) ?? null, title: row.task_title as string };

/**
 * The email outbox's statements. Rows are claimed with `FOR UPDATE SKIP
 * LOCKED` and a lease in one statement, so two workers never take the same
 * row; a result is recorded only under the lease that claimed it.
 */
export class EmailOutbox {
  constructor(private readonly knex: Knex) {}

  /**
   * Gathers the held rows whose digest period ended by `now` into one
   * pending `digest` row per user. Rows are locked as they are read
   * (skipping those another worker is gathering), so each lands in exactly one digest.
   */
  async gatherDigests(now: Date, limit = 2000): Promise<number> {
    return this.knex.transaction(async (trx) => {
      const held = (
        await trx.raw(
          `select id, workspace_id, user_id, digest from email_outbox
           where status = 'held' and next_attempt_at <= ?
           order by user_id, id limit ? for update skip locked`,
          [now, limit],
        )
      ).rows as Array<{ id: string; workspace_id: string; user_id: string; digest: 'hourly' | 'daily' }>;
      if (held.length === 0) return 0;
      const byUser = new Map<string, typeof held>();
      for (const row of held) byUser.set(String(row.user_id), [...(byUser.get(String(row.user_id)) ?? []), row]);
      const digests = [...byUser.values()].map((rows) => ({
        workspace_id: rows[0]!.workspace_id,
        user_id: rows[0]!.user_id,
        // Unique per gathering: the lowest held id can be in one digest only.
        cause_key: `digest:${rows[0]!.id}`,
        kind: 'digest',
        type: 'digest',
        message: `${rows.length} updates`,
        digest: rows.at(-1)!.digest,
        status: 'pending',
        next_attempt_at: now,
      }));
      const values = digests.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
      const inserted = (
        await trx.raw(
          `insert into email_outbox (workspace_id, user_id, cause_key, kind, type, message, digest, status, next_attempt_at)
           values ${values} returning id, user_id`,
          digests.flatMap((d) => [d.workspace_id, d.user_id, d.cause_key, d.kind, d.type, d.message, d.digest, d.status, d.next_attempt_at]),
        )
      ).rows as Array<{ id: string; user_id: string }>;
      const pairs = inserted.flatMap((digest) => byUser.get(String(digest.user_id))!.map((row) => [Number(row.id), Number(digest.id)]));
      await trx.raw(
        `update email_outbox o set status = 'digested', digest_id = v.digest_id
         from (values ${pairs.map(() => '(?::bigint, ?::bigint)').join(', ')}) as v (id, digest_id)
         where o.id = v.id`,
        pairs.flat(),
      );
      return inserted.length;
    });
  }

  /** Claims up to `limit` rows due by `now`, leasing them for `leaseSeconds`. */
  async claim(limit: number, now: Date, leaseSeconds: number): Promise<ClaimedEmail[]> {
    const leaseId = randomUUID();
    const claimed = (
      await this.knex.raw(
        `with due as (
           select id from email_outbox
           where status = 'pending' and next_attempt_at <= ? and (locked_until is null or locked_until < now())
           order by next_attempt_at, id limit ?
           for update skip locked
         )
         update email_outbox o set locked_until = now() + make_interval(secs => ?), lease_id = ?, attempts = o.attempts + 1
         from due where o.id = due.id
         returning o.id`,
        [now, limit, leaseSeconds, leaseId],
      )
    ).rows as Array<{ id: string }>;
    if (claimed.length === 0) return [];
    const rows = (
      await this.knex.raw(
        `select o.id, o.workspace_id, o.user_id, o.kind, o.type, o.message, o.digest, o.attempts, o.task_id,
                u.email, u.name as recipient_name, u.external_id, u.active, w.name as workspace_name, w.task_url_template,
                t.identifier as task_identifier, t.title as task_title
         from email_outbox o
         join users u on u.id = o.user_id
         join workspaces w on w.id = o.workspace_id
         left join tasks t on t.id = o.task_id and t.workspace_id = o.workspace_id
         where o.id in (${claimed.map(() => '?').join(', ')}) and o.lease_id = ?
         order by o.id`,
        [...claimed.map((row) => row.id), leaseId],
      )
    ).rows as Raw[];
    return rows.map((row) => ({
      id: Number(row.id),
      workspaceId: Number(row.workspace_id),
      userId: Number(row.user_id),
      kind: row.kind as string,
      type: row.type as string,
      message: row.message as string,
      digest: (row.digest as ClaimedEmail['digest']) ?? null,
      attempts: Number(row.attempts),
      leaseId,
      to: (row.email as string | null) ?? null,
      recipientName: row.recipient_name as string,
      externalId: (row.external_id as string | null) ?? null,
      active: Boolean(row.active),
      workspaceName: row.workspace_name as string,
      taskUrlTemplate: (row.task_url_template as string | null) ?? null,
      task: taskOf(row),
    }));
  }

  /** What each claimed digest gathered, oldest first. */
  async digestParts(digestIds: number[]): Promise<DigestPart[]> {
    if (digestIds.length === 0) return [];
    const rows = (
      await this.knex.raw(
        `select o.digest_id, o.kind, o.message, o.task_id, t.identifier as task_identifier, t.title as task_title
         from email_outbox o left join tasks t on t.id = o.task_id and t.workspace_id = o.workspace_id
         where o.digest_id in (${digestIds.map(() => '?').join(', ')})
         order by o.id`,
        digestIds,
      )
    ).rows as Raw[];
    return rows.map((row) => ({ digestId: Number(row.digest_id), kind: row.kind as string, message: row.message as string, task: taskOf(row) }));
  }

  async sent(email: ClaimedEmail): Promise<void> {
    await this.knex.raw(
      `update email_outbox set status = 'sent', sent_at = now(), locked_until = null, last_error = null where id = ? and lease_id = ?`,
      [email.id, email.leaseId],
    );
  }

  /** A failed attempt: retried after `retryAfterSeconds`, or given up on (`failed`) when undefined. */
  async failed(email: ClaimedEmail, error: string, retryAfterSeconds: number | undefined): Promise<void> {
    await this.knex.raw(
      `update email_outbox set status = ?, last_error = ?, locked_until = null,
         next_attempt_at = case when ?::float8 is null then next_attempt_at else now() + make_interval(secs => ?::float8) end
       where id = ? and lease_id = ?`,
      [retryAfterSeconds === undefined ? 'failed' : 'pending', error.slice(0, 1000), retryAfterSeconds ?? null, retryAfterSeconds ?? null, email.id, email.leaseId],
    );
  }
}
