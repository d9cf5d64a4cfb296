import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type { Caller } from '../../domain/caller.js';
import { DomainError, fieldError, forbidden } from '../../domain/errors.js';
import { FileTooLarge, type IncomingFile } from '../../domain/upload.js';
import { User } from '../../models/index.js';
import { ImportForm, type ImportFormInput } from '../../schemas/imports.js';
import { compileValidator } from '../../schemas/validate.js';
import type { ObjectStorage } from '../../storage/index.js';
import type { DataJobQueue, ClaimedJob } from '../dataJobs/queue.js';
import { JobFailure, type JobOutcome } from '../dataJobs/runner.js';
import type { RelationService } from '../relations.js';
import type { TaskService } from '../tasks.js';
import type { CsvMapping } from './records.js';
import type { SetupServices } from './setup.js';
import { readers } from './sources/index.js';
import { ImportWriter, type ImportCheckpoint } from './writer.js';

/** Receives the request's file (streamed to `use`) and answers the form's text fields. */
export type FormReceiver = <T>(limitBytes: number, use: (file: IncomingFile) => Promise<T>) => Promise<{ value: T; fields: Record<string, string> }>;

const validForm = compileValidator(ImportForm, 'body');

interface ImportParams {
  source: ImportFormInput['source'];
  projectId?: number;
  mapping?: CsvMapping;
  dryRun: boolean;
  onError: 'stop' | 'skip';
  filename: string;
  size: number;
}

/**
 * Imports as background jobs: the upload goes to object storage
 * (`imports/<workspaceId>/<uuid>`), a job is queued, and the runner's
 * `import` handler reads it through its source into the writer. The file is
 * removed when the job ends (kept while it may still resume).
 */
export class ImportService {
  private readonly writer: ImportWriter;

  constructor(
    private readonly knex: Knex,
    private readonly queue: DataJobQueue,
    private readonly storage: ObjectStorage,
    private readonly maxBytes: number,
    services: SetupServices & { tasks: TaskService; relations: RelationService },
    private readonly batchSize = 200,
  ) {
    this.writer = new ImportWriter(knex, { ...services, storage });
  }

  async start(caller: Caller, receive: FormReceiver) {
    assertAdmin(caller);
    const key = `imports/${caller.workspaceId}/${randomUUID()}`;
    let received: { value: { size: number; filename: string }; fields: Record<string, string> };
    try {
      received = await receive(this.maxBytes, async (file) => {
        let size = 0;
        const counted = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            size += chunk.length;
            done(null, chunk);
          },
        });
        // A failure upstream (the size limit, a dropped client) must fail the write, not end it early.
        file.stream.on('error', (error) => counted.destroy(error));
        await this.storage.put(key, file.stream.pipe(counted), { contentType: 'application/octet-stream' });
        return { size, filename: file.filename };
      });
    } catch (error) {
      await this.storage.remove([key]).catch(() => {});
      if (error instanceof FileTooLarge) throw new DomainError(413, { code: 'file_too_large', detail: `An import file may be at most ${this.maxBytes} bytes (IMPORT_MAX_BYTES)`, errors: [{ path: 'file', in: 'body', message: `is larger than ${this.maxBytes} bytes` }] });
      throw error;
    }
    try {
      const params = parseForm(received.fields);
      if (received.value.size === 0) throw fieldError('file', 'is empty');
      if (params.source === 'csv' && !params.mapping) throw fieldError('mapping', 'is required for a CSV: which column is the title, the status, …');
      if (params.projectId !== undefined && !(await this.knex('projects').where({ workspaceId: caller.workspaceId, id: params.projectId }).first('id'))) throw fieldError('projectId', 'is not a project of this workspace');
      const full: ImportParams = { ...params, filename: received.value.filename.slice(0, 200), size: received.value.size };
      return await this.knex.transaction((trx) => this.queue.create(trx, { workspaceId: caller.workspaceId, userId: caller.userId, kind: 'import', params: full as unknown as Record<string, unknown>, storageKey: key }));
    } catch (error) {
      await this.storage.remove([key]).catch(() => {});
      throw error;
    }
  }

  get(caller: Caller, id: number) {
    assertAdmin(caller);
    return this.queue.get(caller, 'import', id);
  }

  list(caller: Caller, page: { limit?: number; cursor?: string }) {
    assertAdmin(caller);
    return this.queue.list(caller, 'import', page);
  }

  async cancel(caller: Caller, id: number) {
    assertAdmin(caller);
    const job = await this.queue.cancel(caller, 'import', id);
    // A queued job never runs now: its file goes at once (a running one's handler removes it when it stops).
    if (job.status === 'cancelled' && job.startedAt === null) {
      const stored = await this.queue.stored(caller, 'import', id);
      if (stored?.storageKey) await this.storage.remove([stored.storageKey]).catch(() => {});
    }
    return job;
  }

  /** The runner's handler for `import` jobs. */
  readonly handle = async (job: ClaimedJob, queue: DataJobQueue): Promise<JobOutcome> => {
    const params = job.params as unknown as ImportParams;
    const caller = await this.callerOf(job);
    if (!job.storageKey) throw new JobFailure('The uploaded file is gone');
    const folder = await mkdtemp(join(tmpdir(), 'taskbase-import-'));
    let ended = true;
    try {
      const path = join(folder, 'upload');
      const object = await this.storage.get(job.storageKey);
      await pipeline(object.body, createWriteStream(path));
      const reader = readers[params.source];
      let lastCheckpoint = 0;
      let lastPhase = '';
      const result = await this.writer.run({
        caller,
        source: params.source,
        jobId: job.id,
        projectId: params.projectId,
        dryRun: params.dryRun,
        onError: params.onError,
        read: () => reader(path, params.mapping ? { mapping: params.mapping } : {}),
        checkpoint: (job.checkpoint as ImportCheckpoint | null) ?? null,
        batchSize: this.batchSize,
        progress: async (done, total, phase, checkpoint) => {
          // A checkpoint forces a write and an event: one a second is enough (the links cover the rest).
          const now = Date.now();
          const save = phase !== lastPhase || now - lastCheckpoint >= 1000;
          if (save) lastCheckpoint = now;
          lastPhase = phase;
          await queue.progress(job, { done, total, phase }, save && phase !== 'checking' ? checkpoint : undefined);
        },
      });
      if (!params.dryRun && params.onError === 'stop' && result.errorCount > 0) {
        throw new JobFailure(`${result.errorCount} record${result.errorCount === 1 ? ' has' : 's have'} errors: nothing was imported (fix them, or import with onError=skip)`, result as unknown as Record<string, unknown>);
      }
      return { result: result as unknown as Record<string, unknown> };
    } catch (error) {
      // Lost to another process (its lease lapsed): that one needs the file; cancelled: nobody does.
      if (error instanceof Error && error.name === 'JobLost') ended = (await this.knex('data_jobs').where({ id: job.id }).first('status'))?.status === 'cancelled';
      throw error;
    } finally {
      await rm(folder, { recursive: true, force: true });
      if (ended) await this.storage.remove([job.storageKey]).catch(() => {});
    }
  };

  /** The job's creator, as the import's author: still an active admin of the workspace. */
  private async callerOf(job: ClaimedJob): Promise<Caller> {
    const user = job.createdBy === null ? undefined : ((await User.query(this.knex).where({ id: job.createdBy, workspaceId: job.workspaceId }).first()) as User | undefined);
    if (!user || !user.active || user.role !== 'admin') throw new JobFailure('Only an active admin’s import runs: the one who started it no longer is');
    return { userId: Number(user.id), workspaceId: job.workspaceId, role: 'admin', name: user.name, via: 'password' };
  }
}

function assertAdmin(caller: Caller): void {
  if (caller.role !== 'admin' || caller.projectIds) throw forbidden('Only workspace admins may import');
}

/** The form's text fields, typed: booleans and numbers arrive as text. */
function parseForm(fields: Record<string, string>): Omit<ImportParams, 'filename' | 'size'> {
  const form: Record<string, unknown> = {};
  for (const name of ['source', 'projectId', 'mapping', 'dryRun', 'onError']) {
    const text = fields[name];
    if (text === undefined || text === '') continue;
    if (name === 'projectId') form[name] = /^[0-9]{1,16}$/.test(text) ? Number(text) : text;
    else if (name === 'dryRun') form[name] = text === 'true' ? true : text === 'false' ? false : text;
    else if (name === 'mapping') {
      try {
        form[name] = JSON.parse(text);
      } catch {
        throw fieldError('mapping', 'is not JSON (an object of column → target)');
      }
    } else form[name] = text;
  }
  const unknown = Object.keys(fields).find((name) => !['source', 'projectId', 'mapping', 'dryRun', 'onError'].includes(name));
  if (unknown) throw fieldError(unknown, 'is not a field of an import');
  const input = validForm(form) as ImportFormInput;
  return { source: input.source, ...(input.projectId ? { projectId: input.projectId } : {}), ...(input.mapping ? { mapping: input.mapping as CsvMapping } : {}), dryRun: input.dryRun ?? false, onError: input.onError ?? 'stop' };
}
