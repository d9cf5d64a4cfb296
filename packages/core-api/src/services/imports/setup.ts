import type { Knex } from 'knex';
import type { Caller } from '../../domain/caller.js';
import { isUniqueViolation } from '../../domain/databaseErrors.js';
import { DomainError } from '../../domain/errors.js';
import { appendEvent } from '../../events/append.js';
import { CustomField, FIELD_COLUMNS, type CustomFieldRow } from '../../models/CustomField.js';
import { Label } from '../../models/Label.js';
import { Project, type ProjectRow } from '../../models/Project.js';
import { User } from '../../models/index.js';
import { FieldCreate } from '../../schemas/fields.js';
import { LabelCreate } from '../../schemas/labels.js';
import { ProjectUpsert } from '../../schemas/projects.js';
import { compileValidator } from '../../schemas/validate.js';
import type { CustomFieldService } from '../customFields.js';
import { toUserDto } from '../dto.js';
import type { LabelService } from '../labels.js';
import type { ProjectService } from '../projects.js';
import type { ImportLinks } from './links.js';
import type { FieldRecord, LabelRecord, ProjectRecord, UserRecord } from './records.js';

const validLabel = compileValidator(LabelCreate, 'body');
const validField = compileValidator(FieldCreate, 'body');
const validProject = compileValidator(ProjectUpsert, 'body');

export interface SetupServices {
  projects: ProjectService;
  labels: LabelService;
  fields: CustomFieldService;
}

/** A project as the task writer needs it. */
export type ImportProject = Pick<ProjectRow, 'id' | 'key' | 'workflow' | 'archivedAt'>;

/**
 * The few records an import makes before its tasks: people, projects,
 * labels and custom fields. Each is matched first (email, key, name, key),
 * made through its service otherwise (its checks and events), and linked.
 * Made one by one, each in its own transaction: there are few of them.
 */
export class ImportSetup {
  /** Label ids by lower-case name; field definitions by key; user ids by lower-case email. */
  readonly labelIds = new Map<string, number>();
  readonly fields = new Map<string, CustomFieldRow>();
  readonly userByEmail = new Map<string, number>();
  /** Projects the file asks to archive once their tasks are in. */
  readonly toArchive = new Set<number>();
  loaded = false;

  constructor(
    private readonly knex: Knex,
    private readonly services: SetupServices,
    private readonly caller: Caller,
    private readonly links: ImportLinks,
    private readonly dryRun: boolean,
  ) {}

  /** The workspace's labels, fields and people, read once. */
  async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const ws = this.caller.workspaceId;
    for (const row of (await Label.rows(this.knex).where({ workspaceId: ws }).select('id', 'name')) as Array<{ id: number; name: string }>) this.labelIds.set(row.name.toLowerCase(), Number(row.id));
    for (const row of (await CustomField.rows(this.knex).where({ workspaceId: ws }).select(FIELD_COLUMNS)) as CustomFieldRow[]) this.fields.set(row.key, row);
    for (const row of (await User.query(this.knex).where({ workspaceId: ws }).whereNotNull('email').select('id', 'email')) as Array<{ id: number; email: string }>) {
      this.userByEmail.set(row.email.toLowerCase(), Number(row.id));
    }
  }

  /** A person: matched by email, else made inactive (an invitation away), with no password. */
  async user(record: UserRecord): Promise<number | undefined> {
    const linked = await this.links.get(this.knex, 'user', record.externalId);
    if (linked !== undefined) return linked;
    const email = record.email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw rowError('email', 'is not an email address');
    const name = record.name.trim().slice(0, 200) || email;
    const found = this.userByEmail.get(email);
    if (this.dryRun) {
      // A dry run's links are its own: the people it would make are known to the tasks that name them.
      this.links.remember('user', record.externalId, found ?? 0);
      return found;
    }
    const id = found ?? (await this.createUser(email, name, record.role ?? 'member'));
    await this.links.put(this.knex, 'user', record.externalId, id);
    return id;
  }

  /** A person known only by email (a CSV's assignee): matched, or made like a user record. */
  async userByEmailOrCreate(email: string): Promise<number | undefined> {
    const key = email.trim().toLowerCase();
    const found = this.userByEmail.get(key);
    if (found !== undefined || this.dryRun) return found;
    return this.user({ kind: 'user', externalId: `email:${key}`, email: key, name: key.split('@')[0]! });
  }

  private async createUser(email: string, name: string, role: 'admin' | 'manager' | 'member'): Promise<number> {
    try {
      const id = await this.knex.transaction(async (trx) => {
        const created = await User.query(trx).insertAndFetch({ workspaceId: this.caller.workspaceId, name, email, passwordHash: null, role, active: false } as Partial<User>);
        await appendEvent(trx, { workspaceId: this.caller.workspaceId, type: 'user.created', actorId: this.caller.userId, payload: { user: toUserDto(created) } });
        return Number(created.id);
      });
      this.userByEmail.set(email, id);
      return id;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const row = (await User.query(this.knex).where({ workspaceId: this.caller.workspaceId }).whereRaw('lower(email) = ?', [email]).select('id').first()) as { id: number } | undefined;
      if (!row) throw error;
      this.userByEmail.set(email, Number(row.id));
      return Number(row.id);
    }
  }

  /** A project: matched by key, else made (with its workflow) and linked; archived at the end if it was. */
  async project(record: ProjectRecord, memberIds: number[]): Promise<{ row: ImportProject | undefined; created: boolean }> {
    const ws = this.caller.workspaceId;
    const linked = await this.links.get(this.knex, 'project', record.externalId);
    let row = linked === undefined ? undefined : await projectRow(this.knex, ws, { id: linked });
    if (!row && record.key) row = await projectRow(this.knex, ws, { key: record.key });
    const input = {
      name: record.name,
      ...(record.key ? { key: record.key } : {}),
      ...(record.description ? { description: record.description.slice(0, 2000) } : {}),
      ...(record.private ? { visibility: 'private' as const } : {}),
      ...(record.statuses?.length ? { statuses: record.statuses.map(({ key, name, category }) => ({ key, name, category })) } : {}),
    };
    try {
      validProject(input);
    } catch (error) {
      throw withPrefix(error, '');
    }
    if (this.dryRun) return { row, created: false };
    let created = false;
    if (!row) {
      const made = await this.services.projects.upsertByExternalId(this.caller, `import:${this.links.source}:${record.externalId}`.slice(0, 200), input);
      row = made.project;
      created = made.created;
    }
    await this.links.put(this.knex, 'project', record.externalId, Number(row.id));
    for (const userId of memberIds) {
      if (record.private) await this.services.projects.addMember(this.caller, Number(row.id), userId).catch(ignoreConflict);
    }
    if (record.archived) this.toArchive.add(Number(row.id));
    return { row, created };
  }

  /** A label: matched by name, else made. */
  async label(record: Pick<LabelRecord, 'name' | 'color'>): Promise<number | undefined> {
    const name = record.name.trim();
    const known = this.labelIds.get(name.toLowerCase());
    if (known !== undefined) return known;
    const input = { name, ...(record.color ? { color: record.color } : {}) };
    try {
      validLabel(input);
    } catch (error) {
      throw withPrefix(error, name ? 'labels' : 'name');
    }
    if (this.dryRun) return undefined;
    try {
      const row = await this.services.labels.create(this.caller, input);
      this.labelIds.set(name.toLowerCase(), Number(row.id));
      return Number(row.id);
    } catch (error) {
      if (!(error instanceof DomainError && error.status === 409)) throw error;
      const row = (await Label.rows(this.knex).where({ workspaceId: this.caller.workspaceId }).whereRaw('lower(name) = ?', [name.toLowerCase()]).first('id')) as { id: number } | undefined;
      if (!row) throw error;
      this.labelIds.set(name.toLowerCase(), Number(row.id));
      return Number(row.id);
    }
  }

  /** A custom field: matched by key, else made (its options too). */
  async field(record: FieldRecord, projectIds: number[]): Promise<void> {
    if (this.fields.has(record.key)) return;
    const input = {
      key: record.key,
      name: record.name,
      type: record.type,
      ...(record.options?.length ? { options: record.options.map((option) => ({ name: option.name, ...(option.color ? { color: option.color } : {}) })) } : {}),
      ...(projectIds.length ? { projectIds } : {}),
    };
    try {
      validField(input);
    } catch (error) {
      throw withPrefix(error, '');
    }
    if (this.dryRun) {
      // Known to the dry run's tasks, which name it, as it would be made.
      this.fields.set(record.key, { key: record.key, name: record.name, type: record.type, options: (record.options ?? []).map((o) => ({ id: o.name, name: o.name })) } as unknown as CustomFieldRow);
      return;
    }
    try {
      this.fields.set(record.key, await this.services.fields.create(this.caller, input));
    } catch (error) {
      if (!(error instanceof DomainError && error.status === 409)) throw error;
      const row = (await CustomField.rows(this.knex).where({ workspaceId: this.caller.workspaceId, key: record.key }).first(FIELD_COLUMNS)) as CustomFieldRow | undefined;
      if (!row) throw error;
      this.fields.set(record.key, row);
    }
  }

  /** After every task: the projects the source had archived are archived here too. */
  async finish(): Promise<void> {
    for (const id of this.toArchive) await this.services.projects.update(this.caller, id, { archived: true }).catch(ignoreConflict);
  }
}

export async function projectRow(db: Knex, workspaceId: number, where: { id: number } | { key: string }): Promise<ImportProject | undefined> {
  return (await Project.rows(db).where({ workspaceId, ...where }).first('id', 'key', 'workflow', 'archivedAt')) as ImportProject | undefined;
}

/** A record the writer refuses, naming its field: reported by line like a source's RowError. */
export class RecordRefused extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const rowError = (field: string, message: string) => new RecordRefused(field, message);

/** A service's validation error as a refusal naming the record's field. */
export function withPrefix(error: unknown, field: string): unknown {
  if (!(error instanceof DomainError) || error.status >= 500) return error;
  const first = error.errors?.[0];
  const path = first?.path ?? '';
  return new RecordRefused(field && path ? `${field}.${path}` : field || path || 'record', first?.message ?? error.message);
}

function ignoreConflict(error: unknown): void {
  if (error instanceof DomainError && error.status === 409) return;
  throw error;
}
