import { PassThrough, Transform, type Readable, type Writable } from 'node:stream';
import type { Knex } from 'knex';
import type { Caller, Role } from '../../domain/caller.js';
import { DomainError, fieldError, notFound } from '../../domain/errors.js';
import { DataJob } from '../../models/DataJob.js';
import { User } from '../../models/User.js';
import { Workspace } from '../../models/Workspace.js';
import type { DataJobDto } from '../../schemas/dataJobs.js';
import type { ExportFormat, ExportInputDto, ExportJobDto } from '../../schemas/exports.js';
import type { TaskCountsInput } from '../../schemas/tasks.js';
import { ObjectNotFound, type ObjectStorage } from '../../storage/storage.js';
import type { DataJobQueue } from '../dataJobs/queue.js';
import { JobFailure, type DataJobHandler } from '../dataJobs/runner.js';
import type { ProjectService } from '../projects.js';
import type { TaskService } from '../tasks.js';
import { writeArchive, type Counts, type OnProgress } from './archive.js';
import { writeCsv } from './csv.js';
import type { DownloadUrls } from './downloadUrls.js';
import { taskTotal, type ExportReader } from './records.js';

/** Exports a user may have queued or running at once: each reads a whole workspace at worst. */
export const MAX_ACTIVE_EXPORTS = 3;

export interface ExportScope {
  projectId?: number | null;
  filters?: TaskCountsInput | null;
}

interface ExportParams {
  format: ExportFormat;
  projectId: number | null;
  filters: TaskCountsInput | null;
  /** The creator's project limit (an embed token's), kept so that the job sees what they could. */
  projectIds?: number[];
}

export interface OpenedExport {
  body: Readable;
  size: number;
  contentType: string;
  filename: string;
}

const CONTENT_TYPES: Record<ExportFormat, string> = { json: 'application/zip', csv: 'text/csv; charset=utf-8' };
const EXTENSIONS: Record<ExportFormat, string> = { json: 'zip', csv: 'csv' };

/**
 * Exports as background jobs (services/dataJobs/): a zip of the workspace's
 * records and files, or a CSV of tasks, written to object storage and
 * downloaded through a short-lived signed URL until it expires. What an
 * export holds is what its creator can see when it runs: an admin's
 * unfiltered export is the whole workspace. The same writers serve
 * `GET /api/tasks.csv` and the command line (no HTTP, no job).
 */
export class ExportService {
  constructor(
    private readonly knex: Knex,
    private readonly storage: ObjectStorage,
    private readonly jobs: DataJobQueue,
    private readonly tasks: TaskService,
    private readonly projects: ProjectService,
    private readonly urls: DownloadUrls,
    private readonly options: { ttlHours: number; /** PostgreSQL: read in one repeatable-read snapshot. */ snapshot: boolean },
  ) {}

  async start(caller: Caller, input: ExportInputDto): Promise<ExportJobDto> {
    const params: ExportParams = { format: input.format, projectId: input.projectId ?? null, filters: input.filters ?? null };
    if (caller.projectIds) params.projectIds = [...caller.projectIds];
    // Refuses now what the job would fail on: a project the caller cannot see, a filter naming nothing.
    await this.reader(caller, params, this.knex, 'body');
    const job = await this.knex.transaction(async (trx) => {
      // Serialises one user's starts so that the limit holds under concurrency.
      await trx.raw(`select pg_advisory_xact_lock(hashtextextended('taskbase.exports.' || ?::text, 0))`, [caller.userId]);
      const active = (await DataJob.rows(trx)
        .where({ workspaceId: caller.workspaceId, userId: caller.userId, kind: 'export' })
        .whereIn('status', ['queued', 'running'])
        .count({ count: '*' })) as Array<{ count: number | string }>;
      if (Number(active[0]!.count) >= MAX_ACTIVE_EXPORTS) {
        throw new DomainError(429, { code: 'too_many_exports', detail: `You have ${MAX_ACTIVE_EXPORTS} exports under way; wait for one to finish`, headers: { 'Retry-After': '30' } });
      }
      return this.jobs.create(trx, { workspaceId: caller.workspaceId, userId: caller.userId, kind: 'export', params: params as unknown as Record<string, unknown> });
    });
    return { ...job, download: null };
  }

  async get(caller: Caller, id: number): Promise<ExportJobDto> {
    const job = await this.jobs.stored(caller, 'export', id);
    if (!job) throw notFound('Export');
    return this.withDownload(job);
  }

  async list(caller: Caller, page: { limit?: number; cursor?: string }) {
    const listed = await this.jobs.list(caller, 'export', page);
    const keys = new Map(
      ((await DataJob.rows(this.knex).whereIn('id', listed.data.map((job) => job.id)).select('id', 'storageKey')) as Array<{ id: number; storageKey: string | null }>).map((row) => [Number(row.id), row.storageKey]),
    );
    return { data: listed.data.map((job) => this.withDownload({ ...job, storageKey: keys.get(job.id) ?? null })), nextCursor: listed.nextCursor };
  }

  /** The file behind a signed URL: the signature is the only credential. A forged one is 404, an expired one 410. */
  async download(id: number, exp: number, sig: string): Promise<OpenedExport> {
    const verdict = this.urls.verify(id, exp, sig);
    if (verdict === 'invalid') throw notFound('Export');
    const gone = new DomainError(410, { code: 'url_expired', detail: 'This link has expired: ask the API for the export again (GET /api/exports/{id})' });
    if (verdict === 'expired') throw gone;
    const row = (await DataJob.rows(this.knex).where({ id, kind: 'export', status: 'succeeded' }).first('params', 'storageKey')) as
      | { params: ExportParams; storageKey: string | null }
      | undefined;
    if (!row) throw notFound('Export');
    if (!row.storageKey) throw new DomainError(410, { code: 'export_expired', detail: 'This export’s file was removed (exports expire); start a new one' });
    try {
      const object = await this.storage.get(row.storageKey);
      return { ...object, contentType: CONTENT_TYPES[row.params.format], filename: `taskbase-export-${id}.${EXTENSIONS[row.params.format]}` };
    } catch (error) {
      if (error instanceof ObjectNotFound) throw gone;
      throw error;
    }
  }

  /** Runs an export job (registered with the runner for `export`). */
  readonly run: DataJobHandler = async (job, queue) => {
    const params = job.params as unknown as ExportParams;
    const creator = job.createdBy === null ? undefined : ((await User.rows(this.knex).where({ id: job.createdBy, workspaceId: job.workspaceId, active: true }).first('id', 'role', 'name')) as { id: number; role: Role; name: string } | undefined);
    if (!creator) throw new JobFailure('The user who started this export can no longer export');
    const caller: Caller = { userId: Number(creator.id), workspaceId: job.workspaceId, role: creator.role, name: creator.name, via: 'password', projectIds: params.projectIds };
    const key = `exports/${job.workspaceId}/${job.id}.${EXTENSIONS[params.format]}`;
    const onProgress: OnProgress = (progress) => queue.progress(job, progress);
    const body = new PassThrough();
    let size = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    body.on('error', (error) => counted.destroy(error));
    const stored = this.storage.put(key, body.pipe(counted), { contentType: CONTENT_TYPES[params.format] });
    stored.catch(() => {});
    let counts: Counts | { tasks: number };
    try {
      counts = await this.read(caller, params, async (reader) =>
        params.format === 'json' ? writeArchive(reader, this.storage, await this.head(reader, params), body, onProgress) : { tasks: await writeCsv(reader, body, onProgress, await taskTotal(reader)) },
      );
    } catch (error) {
      body.destroy(error as Error);
      await stored.catch(() => {});
      throw error instanceof DomainError && error.status < 500 ? new JobFailure(error.message) : error;
    }
    await stored;
    const expiresAt = new Date(Date.now() + this.options.ttlHours * 3_600_000);
    return { result: { format: params.format, counts, size }, storageKey: key, expiresAt };
  };

  /** The workspace, or a project or filters of it, as an archive written to `out` (the CLI; no job, no caller). */
  async writeArchive(workspaceId: number, scope: ExportScope, out: Writable, onProgress?: OnProgress): Promise<Counts> {
    const params: ExportParams = { format: 'json', projectId: scope.projectId ?? null, filters: scope.filters ?? null };
    return this.read(operator(workspaceId), params, async (reader) => writeArchive(reader, this.storage, await this.head(reader, params), out, onProgress));
  }

  /** The same as CSV; answers how many tasks it wrote. */
  async writeCsv(workspaceId: number, scope: ExportScope, out: Writable, onProgress?: OnProgress): Promise<number> {
    const params: ExportParams = { format: 'csv', projectId: scope.projectId ?? null, filters: scope.filters ?? null };
    return this.read(operator(workspaceId), params, (reader) => writeCsv(reader, out, onProgress));
  }

  /** GET /api/tasks.csv: checks the filters now (a 4xx before any byte is sent), then answers the writer. */
  async tasksCsv(caller: Caller, filters: TaskCountsInput): Promise<(out: Writable) => Promise<number>> {
    const params: ExportParams = { format: 'csv', projectId: null, filters };
    await this.reader(caller, params, this.knex, 'query');
    return (out) => this.read(caller, params, (reader) => writeCsv(reader, out));
  }

  private withDownload(job: DataJobDto & { storageKey: string | null }): ExportJobDto {
    const { storageKey, ...dto } = job;
    const download = dto.status === 'succeeded' && storageKey ? this.urls.url(dto.id, dto.expiresAt ? new Date(dto.expiresAt) : null) : null;
    return { ...dto, download: download && { url: download.url, expiresAt: download.expiresAt.toISOString() } };
  }

  /** Reads in one snapshot on PostgreSQL (every file agrees with the others); the embedded database has one connection to share. */
  private async read<T>(caller: Caller, params: ExportParams, write: (reader: ExportReader) => Promise<T>): Promise<T> {
    if (!this.options.snapshot) return write(await this.reader(caller, params, this.knex, 'body'));
    return this.knex.transaction(async (trx) => write(await this.reader(caller, params, trx, 'body')), { isolationLevel: 'repeatable read', readOnly: true });
  }

  private async reader(caller: Caller, params: ExportParams, db: Knex, location: 'body' | 'query'): Promise<ExportReader> {
    const projectId = params.projectId;
    const whole = caller.role === 'admin' && !caller.projectIds && projectId === null && params.filters === null;
    if (whole) return { db, caller, whole, projectId, select: (query) => query.where('workspaceId', caller.workspaceId) };
    if (projectId !== null) {
      try {
        await this.projects.get(caller, projectId);
      } catch (error) {
        if (error instanceof DomainError && error.status === 404) throw fieldError('projectId', 'is not a project you can see');
        throw error;
      }
    }
    const filters = { ...(params.filters ?? {}), ...(projectId === null ? {} : { project: String(projectId) }) };
    try {
      return { db, caller, whole, projectId, select: await this.tasks.selection(caller, filters) };
    } catch (error) {
      // The list's errors name query parameters; in a body they are members of `filters`.
      if (location === 'body' && error instanceof DomainError && error.errors) {
        throw new DomainError(error.status, { code: error.code, detail: error.message, errors: error.errors.map((e) => ({ ...e, path: `filters.${e.path}`, in: 'body' })) });
      }
      throw error;
    }
  }

  private async head(reader: ExportReader, params: ExportParams) {
    const workspace = (await Workspace.rows(reader.db).where('id', reader.caller.workspaceId).first('id', 'name')) as { id: number; name: string };
    return {
      workspace: { id: Number(workspace.id), name: workspace.name },
      scope: { projectId: params.projectId, filters: params.filters as Record<string, unknown> | null },
    };
  }
}

/** Whoever runs the CLI on the data folder: every project of the workspace (a `me` filter matches no one). */
const operator = (workspaceId: number): Caller => ({ userId: 0, workspaceId, role: 'admin', name: 'export', via: 'password' });
