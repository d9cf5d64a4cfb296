import type { Knex } from 'knex';
import type { Caller } from '../../domain/caller.js';
import type { ObjectStorage } from '../../storage/index.js';
import type { TaskService } from '../tasks.js';
import { ImportLinks } from './links.js';
import { linkParent, linkRelation } from './linking.js';
import type { CommentRecord, ImportRecord, ImportSource, TaskRecord } from './records.js';
import { ImportSetup, projectRow, rowError, type ImportProject, type SetupServices } from './setup.js';
import { TaskWriter, type Outcome } from './taskWriter.js';
import { asRefusal, writeCommentRun, writeTaskRun, type BatchRun } from './batches.js';
import type { RelationService } from '../relations.js';

export const COUNTED = ['users', 'projects', 'labels', 'fields', 'tasks', 'comments', 'relations', 'attachments'] as const;
type Counted = (typeof COUNTED)[number];
export type Counts = Record<Counted, number>;

export interface ImportError {
  line: number;
  field: string;
  message: string;
}

export interface ImportResult {
  dryRun: boolean;
  created: Counts;
  updated: Counts;
  skipped: number;
  errorCount: number;
  errors: ImportError[];
}

/** Where a job is: the pass (1: records, 2: parents and relations) and how many of its records are done. */
export interface ImportCheckpoint {
  pass: 1 | 2;
  records: number;
}

export interface ImportRun {
  caller: Caller;
  source: ImportSource;
  jobId: number | null;
  projectId?: number | undefined;
  dryRun: boolean;
  onError: 'stop' | 'skip';
  /** Opens the source again from its start (a write reads it twice: records, then links). */
  read: () => AsyncIterable<ImportRecord>;
  checkpoint?: ImportCheckpoint | null;
  /** Told after every batch (and each phase change); may throw to stop the job (cancelled, lease lost). */
  progress?: (done: number, total: number | null, phase: string, checkpoint: ImportCheckpoint) => Promise<void>;
  batchSize?: number;
}

const MAX_ERRORS = 1000;
const KIND_COUNT: Record<string, Counted> = { user: 'users', project: 'projects', label: 'labels', field: 'fields', task: 'tasks', comment: 'comments', relation: 'relations', attachment: 'attachments' };

/**
 * Turns a source's records into rows of one workspace. A dry run (and, with
 * onError=stop, the first step of a real run) checks every record without
 * writing, so a run that would fail writes nothing. The write then reads
 * the source twice: records (tasks batched, a transaction per batch, a
 * savepoint per record), then parents and relations, once every task
 * exists. Every row is linked to its record in `import_links` in the
 * transaction that writes it, so a re-run or a resumed job (from its
 * checkpoint) never makes a second one.
 */
export class ImportWriter {
  constructor(
    private readonly knex: Knex,
    private readonly services: SetupServices & { tasks: TaskService; relations: RelationService; storage: ObjectStorage },
  ) {}

  async run(run: ImportRun): Promise<ImportResult> {
    const links = new ImportLinks(run.caller.workspaceId, run.source, run.jobId);
    const result: ImportResult = { dryRun: run.dryRun, created: zero(), updated: zero(), skipped: 0, errorCount: 0, errors: [] };
    const report = (error: ImportError) => {
      result.errorCount += 1;
      if (result.errors.length < MAX_ERRORS) result.errors.push(error);
    };
    let total: number | null = null;
    const resumed = run.checkpoint ?? null;
    if (run.dryRun || (run.onError === 'stop' && !resumed)) {
      total = await this.pass(run, new ImportLinks(run.caller.workspaceId, run.source, null), true, result, report, null, null);
      if (run.dryRun || result.errorCount > 0) return result;
      Object.assign(result, { created: zero(), updated: zero(), skipped: 0 });
    }
    const first = await this.pass(run, links, false, result, report, total, resumed?.pass === 1 ? resumed.records : resumed ? Infinity : 0);
    await this.links(run, links, result, report, first, resumed?.pass === 2 ? resumed.records : 0);
    return result;
  }

  /** Pass 1: every record but relations and parents. Answers how many records the source has. */
  private async pass(run: ImportRun, links: ImportLinks, dryRun: boolean, result: ImportResult, report: (e: ImportError) => void, total: number | null, skipFirst: number | null): Promise<number> {
    const setup = new ImportSetup(this.knex, this.services, run.caller, links, dryRun);
    await setup.load();
    const projects = new Map<string, ImportProject>();
    const fallback = run.projectId === undefined ? undefined : await projectRow(this.knex, run.caller.workspaceId, { id: run.projectId });
    const defaultProject = fallback ?? (await this.knex('projects').where({ workspaceId: run.caller.workspaceId, isDefault: true }).first('id', 'key', 'workflow', 'archivedAt'));
    const projectOf = async (db: Knex, record: TaskRecord): Promise<ImportProject> => {
      if (record.projectExternalId === undefined) {
        if (!defaultProject) throw rowError('project', 'no project given and the workspace has no default project');
        return defaultProject as ImportProject;
      }
      const known = projects.get(record.projectExternalId);
      if (known) return known;
      const id = await links.get(db, 'project', record.projectExternalId);
      const row = id === undefined ? undefined : await projectRow(db, run.caller.workspaceId, { id });
      if (!row) throw rowError('project', `${record.projectExternalId} is not a project of this import`);
      projects.set(record.projectExternalId, row);
      return row;
    };
    const writer = new TaskWriter(run.caller, setup, links, this.services.tasks, this.services.storage, projectOf);
    const size = run.batchSize ?? 200;
    let batch: ImportRecord[] = [];
    let seen = 0;
    let done = 0;
    const phase = dryRun ? 'checking' : 'writing';
    const tell = async () => {
      if (!dryRun) await run.progress?.(done, total, phase, { pass: 1, records: done });
      else await run.progress?.(done, null, phase, { pass: 1, records: 0 });
    };
    const batchRun = (trx: Knex.Transaction): BatchRun => ({ trx, writer, links, result, attempt: (record, work, undo) => this.attempt(record, result, report, work, undo) });
    const flush = async () => {
      if (batch.length === 0) return;
      const records = batch;
      batch = [];
      if (dryRun) {
        for (const record of records) await this.attempt(record, result, report, () => this.check(writer, record));
      } else {
        await this.prepare(setup, records, result, report);
        await this.knex.transaction(async (trx) => {
          for (let start = 0; start < records.length; ) {
            const record = records[start]!;
            if (record.kind === 'comment') {
              let end = start;
              while (end < records.length && records[end]!.kind === 'comment') end += 1;
              await writeCommentRun(batchRun(trx), records.slice(start, end) as CommentRecord[]);
              start = end;
              continue;
            }
            if (record.kind !== 'task') {
              await this.attempt(record, result, report, () => trx.transaction((savepoint) => write(writer, savepoint, record)), () => forgetRecord(links, record));
              start += 1;
              continue;
            }
            let end = start;
            while (end < records.length && records[end]!.kind === 'task') end += 1;
            await writeTaskRun(batchRun(trx), setup, records.slice(start, end) as TaskRecord[]);
            start = end;
          }
        });
      }
      done = seen;
      await tell();
    };
    await tell();
    for await (const record of run.read()) {
      seen += 1;
      if (record.kind === 'error') {
        if (skipFirst === null || seen > skipFirst) {
          report({ line: record.line, field: record.field, message: record.message });
          result.skipped += 1;
        }
        continue;
      }
      if (record.kind === 'relation') continue;
      const setupKind = record.kind === 'user' || record.kind === 'project' || record.kind === 'label' || record.kind === 'field';
      // Setup records are matched again on a resume (the maps live in memory); bulk records already written are passed by.
      if (!setupKind && skipFirst !== null && seen <= skipFirst) continue;
      if (setupKind) {
        await flush();
        await this.attempt(record, result, report, () => this.setupRecord(setup, links, record, projects, dryRun));
        continue;
      }
      batch.push(record);
      // An attachment's bytes are read while the source is still open at it (a zip closes when its reader ends).
      if (batch.length >= size || record.kind === 'attachment') await flush();
    }
    await flush();
    done = seen;
    if (!dryRun) await setup.finish();
    return seen;
  }

  /** Pass 2: subtasks under their parents, then relations. */
  private async links(run: ImportRun, links: ImportLinks, result: ImportResult, report: (e: ImportError) => void, total: number, skipFirst: number): Promise<void> {
    let seen = 0;
    let done = 0;
    await run.progress?.(0, total, 'linking', { pass: 2, records: skipFirst });
    for await (const record of run.read()) {
      seen += 1;
      if (seen <= skipFirst) continue;
      if (record.kind === 'task' && record.parentExternalId) {
        await this.attempt({ ...record, kind: 'parent' } as never, result, report, () => linkParent(this.knex, this.services.tasks, run.caller, links, record));
      } else if (record.kind === 'relation') {
        await this.attempt(record, result, report, () => linkRelation(this.knex, this.services.relations, run.caller, links, record));
      } else continue;
      done += 1;
      if (done % 200 === 0) await run.progress?.(seen, total, 'linking', { pass: 2, records: seen });
    }
    await run.progress?.(total, total, 'linking', { pass: 2, records: seen });
  }

  /** Runs one record's work; a refusal (or, with skip, a failed write) is reported by line and the record skipped. */
  private async attempt(record: ImportRecord, result: ImportResult, report: (e: ImportError) => void, work: () => Promise<Outcome | undefined>, undo?: () => void): Promise<void> {
    try {
      const outcome = await work();
      const counted = KIND_COUNT[record.kind];
      if (counted && outcome === 'created') result.created[counted] += 1;
      else if (counted && outcome === 'updated') result.updated[counted] += 1;
    } catch (error) {
      undo?.();
      const refusal = asRefusal(error);
      if (!refusal) throw error;
      report({ line: record.line ?? 0, field: refusal.field, message: refusal.message });
      result.skipped += 1;
    }
  }

  private async check(writer: TaskWriter, record: ImportRecord): Promise<undefined> {
    if (record.kind === 'task') await writer.resolve(this.knex, record);
    return undefined;
  }

  /** People and labels the batch names are made before its transaction (they have their own). */
  private async prepare(setup: ImportSetup, records: ImportRecord[], result: ImportResult, report: (e: ImportError) => void): Promise<void> {
    for (const record of records) {
      await this.attempt(record, result, report, async () => {
        if (record.kind === 'task') {
          for (const name of record.labels ?? []) if (await isNew(setup, name)) result.created.labels += 1;
          if (record.assigneeEmail && !record.assigneeExternalId) await setup.userByEmailOrCreate(record.assigneeEmail);
        } else if (record.kind === 'comment' && record.authorEmail && !record.authorExternalId) {
          await setup.userByEmailOrCreate(record.authorEmail);
        }
        return undefined;
      });
    }
  }

  private async setupRecord(setup: ImportSetup, links: ImportLinks, record: ImportRecord, projects: Map<string, ImportProject>, dryRun: boolean): Promise<Outcome> {
    switch (record.kind) {
      case 'user': {
        const before = setup.userByEmail.size;
        await setup.user(record);
        return setup.userByEmail.size > before ? 'created' : 'unchanged';
      }
      case 'project': {
        const members: number[] = [];
        for (const id of record.memberExternalIds ?? []) {
          const local = await links.get(this.knex, 'user', id);
          if (local !== undefined) members.push(local);
        }
        const { row, created } = await setup.project(record, members);
        if (row) projects.set(record.externalId, row);
        else if (dryRun) projects.set(record.externalId, dryRunProject(record));
        return created ? 'created' : 'unchanged';
      }
      case 'label':
        return (await isNew(setup, record.name, record.color)) ? 'created' : 'unchanged';
      case 'field': {
        const known = setup.fields.has(record.key);
        const projectIds: number[] = [];
        for (const id of record.projectExternalIds ?? []) {
          const local = await links.get(this.knex, 'project', id);
          if (local !== undefined) projectIds.push(local);
        }
        await setup.field(record, projectIds);
        return known ? 'unchanged' : 'created';
      }
      default:
        return 'unchanged';
    }
  }
}

async function write(writer: TaskWriter, trx: Knex.Transaction, record: ImportRecord): Promise<Outcome | undefined> {
  switch (record.kind) {
    case 'task':
      return writer.task(trx, record);
    case 'comment':
      return writer.comment(trx, record);
    case 'attachment':
      return writer.attachment(trx, record);
    default:
      return undefined;
  }
}

async function isNew(setup: ImportSetup, name: string, color?: string): Promise<boolean> {
  const known = setup.labelIds.has(name.trim().toLowerCase());
  await setup.label({ name, ...(color ? { color } : {}) });
  return !known;
}

function forgetRecord(links: ImportLinks, record: ImportRecord): void {
  if (record.kind === 'task' || record.kind === 'comment' || record.kind === 'attachment') links.forget(record.kind, record.externalId);
}

/** A dry run's project that does not exist yet: its tasks are checked against the workflow the file gives. */
function dryRunProject(record: Extract<ImportRecord, { kind: 'project' }>): ImportProject {
  const workflow = record.statuses?.length ? record.statuses.map((s) => ({ ...s, color: '#64748b' })) : DEFAULT_STATUSES;
  return { id: 0, key: record.key ?? 'NEW', workflow, archivedAt: null } as ImportProject;
}

const DEFAULT_STATUSES = [
  { key: 'todo', name: 'To do', category: 'unstarted' as const, color: '#64748b' },
  { key: 'in_progress', name: 'In progress', category: 'started' as const, color: '#64748b' },
  { key: 'in_review', name: 'In review', category: 'started' as const, color: '#64748b' },
  { key: 'done', name: 'Done', category: 'completed' as const, color: '#64748b' },
];

const zero = (): Counts => ({ users: 0, projects: 0, labels: 0, fields: 0, tasks: 0, comments: 0, relations: 0, attachments: 0 });
