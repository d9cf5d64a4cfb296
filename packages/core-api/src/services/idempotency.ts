import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { IdempotencyKey } from '../models/Infrastructure.js';

/** A response as stored for replay. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** What a claim of an `Idempotency-Key` found. */
export type Claim =
  | { kind: 'claimed' }
  | { kind: 'reused' } // the key was used with another request
  | { kind: 'running' } // the first request has not answered yet
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'notKept'; status: number }; // done, but its response was over the size cap

/** The stand-in stored for a response over the cap: the request is done, its answer is not kept. */
const NOT_KEPT = { headers: {}, body: null, notKept: true };

/**
 * The records behind `Idempotency-Key` (http/idempotency.ts reads the
 * header): one per workspace, user and key, holding the first successful
 * response for 24 hours.
 */
export class IdempotencyRecords {
  constructor(
    private readonly knex: Knex,
    /** Largest response (as JSON) kept for replay: every key a member makes up stores one. */
    readonly maxResponseBytes = 65_536,
  ) {}

  /**
   * Claims a key for a request with this fingerprint. An expired record, or
   * one abandoned mid-request (two minutes without an answer), may be
   * claimed again.
   */
  async claim(caller: Caller, key: string, fingerprint: string): Promise<Claim> {
    const claimed = await this.knex.raw(
      `insert into ${IdempotencyKey.tableName} (workspace_id, user_id, key, fingerprint) values (?, ?, ?, ?)
       on conflict (workspace_id, user_id, key) do update
         set fingerprint = excluded.fingerprint, status = null, response = null, created_at = now()
         where idempotency_keys.created_at < now() - interval '24 hours'
            or (idempotency_keys.status is null and idempotency_keys.created_at < now() - interval '2 minutes')
       returning 1`,
      [caller.workspaceId, caller.userId, key, fingerprint],
    );
    if (claimed.rows.length > 0) return { kind: 'claimed' };
    const stored = (await this.record(caller, key).first('fingerprint', 'status', 'response')) as IdempotencyKey;
    if (stored.fingerprint !== fingerprint) return { kind: 'reused' };
    if (stored.status === null || !stored.response) return { kind: 'running' };
    if ((stored.response as { notKept?: boolean }).notKept) return { kind: 'notKept', status: stored.status };
    return { kind: 'replay', response: { status: stored.status, headers: stored.response.headers, body: stored.response.body } };
  }

  /** Frees a claimed key: the request was refused or failed, and may be retried. */
  async release(caller: Caller, key: string): Promise<void> {
    await this.record(caller, key).delete();
  }

  /**
   * Stores the answer of a claimed key, for replay; one over the size cap is
   * not kept, only that the request is done (so a retry cannot repeat it).
   */
  async complete(caller: Caller, key: string, response: StoredResponse): Promise<void> {
    const stored = { headers: response.headers, body: response.body };
    const fits = Buffer.byteLength(JSON.stringify(stored)) <= this.maxResponseBytes;
    await this.record(caller, key).update({ status: response.status, response: fits ? stored : NOT_KEPT });
  }

  private record(caller: Caller, key: string) {
    return IdempotencyKey.rows(this.knex).where({ workspaceId: caller.workspaceId, userId: caller.userId, key });
  }
}
