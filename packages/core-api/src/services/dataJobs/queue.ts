import type { Knex } from 'knex';
import type { Caller } from '../../domain/caller.js';
import { notFound } from '../../domain/errors.js';
import { appendEvent } from '../../events/append.js';
import { CLAIMED_JOB_COLUMNS, DATA_JOB_COLUMNS, DataJob, toDataJobDto, type ClaimedJobRow, type DataJobRow } from '../../models/DataJob.js';
import type { DataJobDto, DataJobKind, DataJobProgressDto } from '../../schemas/dataJobs.js';
import { decodeIdCursor, idCursor, toPage } from '../cursor.js';

/** How long a claim holds without news from its runner: a job whose process died runs again after this. */
export const LEASE_MS = 60_000;
/** A job claimed this many times (its process died each time) is failed instead of run again. */
export const MAX_ATTEMPTS = 3;
/** At most one progress event (and one progress write) per job per this many ms, besides every phase change. */
const PROGRESS_EVERY_MS = 1000;

export interface NewDataJob {
  workspaceId: number;
  userId: number | null;
  kind: DataJobKind;
  params: Record<string, unknown>;
  /** An import's uploaded file, already in object storage. */
  storageKey?: string;
}

/** A job a runner has claimed: the DTO's fields and what the handler needs to work. */
export type ClaimedJob = ClaimedJobRow;

/** Thrown by `progress` when the job is no longer this runner's (cancelled, or its lease lapsed and another took it). */
export class JobLost extends Error {
  constructor(readonly jobId: number) {
    super(`Data job ${jobId} is no longer running here`);
    this.name = 'JobLost';
  }
}

type Listener = () => void;

/**
 * Exports and imports as rows of `data_jobs`, one piece of code for both
 * kinds. Any process may claim a queued job (`… for update skip locked`);
 * a claim is a lease its runner extends with each progress report, so a job
 * whose process died is claimed again once the lease lapses (and resumes
 * from its checkpoint). Progress, completion and failure are events
 * (`<kind>.progress`, `.completed`, `.failed`) addressed to the job's
 * creator, so a client can follow a job over realtime instead of polling.
 */
export class DataJobQueue {
  private readonly created = new Set<Listener>();
  /** When each running job last wrote its progress, and in which phase. */
  private readonly reported = new Map<number, { at: number; phase: string }>();

  constructor(
    private readonly knex: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Calls `listener` after the commit of each job created through this queue (a runner's `wake`). */
  onCreated(listener: Listener): () => void {
    this.created.add(listener);
    return () => this.created.delete(listener);
  }

  async create(trx: Knex.Transaction, input: NewDataJob): Promise<DataJobDto> {
    const [row] = (await DataJob.rows(trx)
      .insert({
        workspaceId: input.workspaceId,
        userId: input.userId,
        kind: input.kind,
        params: JSON.stringify(input.params),
        storageKey: input.storageKey ?? null,
      })
      .returning(DATA_JOB_COLUMNS)) as DataJobRow[];
    const wake = () => this.created.forEach((listener) => listener());
    // After the (outermost) commit: a runner woken before it would not see the row yet.
    let root = trx as unknown as { parentTransaction?: unknown; executionPromise: Promise<unknown> };
    while (root.parentTransaction) root = root.parentTransaction as typeof root;
    void root.executionPromise.then(wake, () => {});
    return toDataJobDto(row!);
  }

  /**
   * One job of `kind` to run: a queued one, or one whose runner's lease lapsed. Undefined when there is none.
   * `workspaceId` limits it to one workspace's jobs (an in-process CLI run, a test on a shared database).
   */
  async claim(kind: DataJobKind, now = this.now(), workspaceId?: number): Promise<ClaimedJob | undefined> {
    for (;;) {
      const pick = DataJob.rows(this.knex)
        .where({ kind, ...(workspaceId === undefined ? {} : { workspaceId }) })
        .where((due) => due.where('status', 'queued').orWhere((lapsed) => lapsed.where('status', 'running').where('leaseUntil', '<', now)))
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .select('id');
      const [job] = (await DataJob.rows(this.knex)
        .whereIn('id', pick)
        .update({
          status: 'running',
          leaseUntil: new Date(now.getTime() + LEASE_MS),
          attempts: this.knex.raw('attempts + 1'),
          startedAt: this.knex.raw('coalesce(started_at, ?)', [now]),
        })
        .returning(CLAIMED_JOB_COLUMNS)) as ClaimedJob[];
      if (!job) return undefined;
      this.reported.delete(job.id);
      if (job.attempts <= MAX_ATTEMPTS) return job;
      await this.fail(job, `Gave up after ${MAX_ATTEMPTS} attempts (the process running it stopped each time)`);
    }
  }

  /**
   * Records progress and extends the lease; with `checkpoint`, also where a
   * resumed run starts. Writes at most once a second per job (and on every
   * phase change or checkpoint), each write with a `<kind>.progress` event.
   * Throws `JobLost` when the job was cancelled or taken over meanwhile.
   */
  async progress(job: ClaimedJob, progress: DataJobProgressDto, checkpoint?: unknown): Promise<void> {
    const at = this.now().getTime();
    const last = this.reported.get(job.id);
    job.progress = progress;
    if (checkpoint === undefined && last && last.phase === progress.phase && at - last.at < PROGRESS_EVERY_MS) return;
    this.reported.set(job.id, { at, phase: progress.phase });
    const changes: Record<string, unknown> = { progress: JSON.stringify(progress), leaseUntil: new Date(at + LEASE_MS) };
    if (checkpoint !== undefined) changes.checkpoint = JSON.stringify(checkpoint);
    await this.knex.transaction(async (trx) => {
      const [row] = (await DataJob.rows(trx).where({ id: job.id, status: 'running', attempts: job.attempts }).update(changes).returning(DATA_JOB_COLUMNS)) as DataJobRow[];
      if (!row) throw new JobLost(job.id);
      await this.event(trx, job, 'progress', row);
    });
  }

  /** Marks the job done with what it made; answers it, or undefined when it was no longer this runner's. */
  async succeed(
    job: ClaimedJob,
    result: Record<string, unknown>,
    stored: { storageKey?: string | null; expiresAt?: Date | null } = {},
  ): Promise<DataJobDto | undefined> {
    const progress = { done: job.progress.done, total: job.progress.total, phase: 'done' };
    return this.finish(job, 'completed', {
      status: 'succeeded',
      result: JSON.stringify(result),
      progress: JSON.stringify(progress),
      ...(stored.storageKey !== undefined ? { storageKey: stored.storageKey } : {}),
      ...(stored.expiresAt !== undefined ? { expiresAt: stored.expiresAt } : {}),
    });
  }

  /** Marks the job failed with a message its creator may read (no internals: say what went wrong in their terms). */
  async fail(job: ClaimedJob, message: string, result?: Record<string, unknown>): Promise<DataJobDto | undefined> {
    return this.finish(job, 'failed', { status: 'failed', error: message.slice(0, 2000), ...(result ? { result: JSON.stringify(result) } : {}) });
  }

  /** Cancels a queued or running job of the caller's (admins: any of the workspace's); its runner stops at its next progress report. */
  async cancel(caller: Caller, kind: DataJobKind, id: number): Promise<DataJobDto> {
    const cancelled = await this.knex.transaction(async (trx) => {
      const [row] = (await this.visible(trx, caller, kind)
        .where({ id })
        .whereIn('status', ['queued', 'running'])
        .update({ status: 'cancelled', finishedAt: this.now(), leaseUntil: null })
        .returning([...DATA_JOB_COLUMNS, 'workspaceId'])) as Array<DataJobRow & { workspaceId: number }>;
      if (row) await this.event(trx, row, 'failed', row);
      return row && toDataJobDto(row);
    });
    // Already over (or not the caller's): cancelling changes nothing; `get` answers it or 404.
    return cancelled ?? this.get(caller, kind, id);
  }

  /** One of the caller's jobs of `kind` (admins: any of the workspace's); 404 otherwise. */
  async get(caller: Caller, kind: DataJobKind, id: number): Promise<DataJobDto> {
    const row = (await this.visible(this.knex, caller, kind).where({ id }).first(DATA_JOB_COLUMNS)) as DataJobRow | undefined;
    if (!row) throw notFound(kind === 'export' ? 'Export' : 'Import');
    return toDataJobDto(row);
  }

  /** The row behind `get`, with where its file is stored (for an export's download). */
  async stored(caller: Caller, kind: DataJobKind, id: number): Promise<(DataJobDto & { storageKey: string | null }) | undefined> {
    const row = (await this.visible(this.knex, caller, kind).where({ id }).first([...DATA_JOB_COLUMNS, 'storageKey'])) as
      | (DataJobRow & { storageKey: string | null })
      | undefined;
    return row && { ...toDataJobDto(row), storageKey: row.storageKey };
  }

  /** The caller's jobs of `kind` (admins: the workspace's), newest first. */
  async list(caller: Caller, kind: DataJobKind, page: { limit?: number; cursor?: string } = {}) {
    const limit = page.limit ?? 50;
    const query = this.visible(this.knex, caller, kind).orderBy('id', 'desc').limit(limit + 1);
    if (page.cursor) query.where('id', '<', decodeIdCursor(page.cursor));
    const rows = (await query.select(DATA_JOB_COLUMNS)) as DataJobRow[];
    return toPage(rows, limit, toDataJobDto, (last) => idCursor(last.id));
  }

  /** Jobs whose stored file expired: their keys, cleared from the rows (the caller removes the objects). */
  async takeExpired(now = this.now(), limit = 100): Promise<string[]> {
    const { rows } = await this.knex.raw<{ rows: Array<{ storageKey: string }> }>(
      `with expiring as (select id, storage_key from data_jobs where storage_key is not null and expires_at <= ? order by id limit ? for update skip locked)
       update data_jobs set storage_key = null from expiring where data_jobs.id = expiring.id returning expiring.storage_key as "storageKey"`,
      [now, limit],
    );
    return rows.map((row) => row.storageKey);
  }

  private visible(db: Knex, caller: Caller, kind: DataJobKind): Knex.QueryBuilder {
    const query = DataJob.rows(db).where({ workspaceId: caller.workspaceId, kind });
    return caller.role === 'admin' ? query : query.where('userId', caller.userId);
  }

  private async finish(job: ClaimedJob, outcome: 'completed' | 'failed', changes: Record<string, unknown>): Promise<DataJobDto | undefined> {
    this.reported.delete(job.id);
    return this.knex.transaction(async (trx) => {
      const [row] = (await DataJob.rows(trx)
        .where({ id: job.id, status: 'running', attempts: job.attempts })
        .update({ ...changes, finishedAt: this.now(), leaseUntil: null })
        .returning(DATA_JOB_COLUMNS)) as DataJobRow[];
      if (!row) return undefined;
      await this.event(trx, job, outcome, row);
      return toDataJobDto(row);
    });
  }

  /** `<kind>.<what>` for the job's creator; a job whose creator is gone has no one to tell. */
  private async event(trx: Knex.Transaction, job: { workspaceId: number }, what: 'progress' | 'completed' | 'failed', row: DataJobRow): Promise<void> {
    if (row.createdBy === null) return;
    await appendEvent(trx, {
      workspaceId: job.workspaceId,
      type: `${row.kind}.${what}`,
      actorId: row.createdBy,
      userId: row.createdBy,
      payload: { job: toDataJobDto(row) },
    });
  }
}
