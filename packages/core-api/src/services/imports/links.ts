import type { Knex } from 'knex';
import type { ImportSource } from './records.js';

/** What an import links a source record to: one of these per `import_links` row. */
export type LinkedEntity = 'user' | 'project' | 'label' | 'field' | 'task' | 'comment' | 'attachment';

/**
 * The `import_links` of one workspace and one source: which local row each
 * source record became. The entity is stored as `<source>:<kind>` so that a
 * CSV's "1" and a Trello card's "1" never meet. Lookups are cached (a job's
 * maps of users, projects and tasks), and a miss reads the table: a resumed
 * job starts with an empty cache.
 */
export class ImportLinks {
  private readonly cache = new Map<string, number>();

  constructor(
    readonly workspaceId: number,
    readonly source: ImportSource,
    readonly jobId: number | null,
  ) {}

  private entity(kind: LinkedEntity): string {
    return `${this.source}:${kind}`;
  }

  /** The local id of a record, from the cache or the table. */
  async get(db: Knex, kind: LinkedEntity, externalId: string): Promise<number | undefined> {
    const key = `${kind}\u0000${externalId}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const row = (await db('import_links').where({ workspaceId: this.workspaceId, entity: this.entity(kind), externalId }).first('localId')) as { localId: string | number } | undefined;
    if (!row) return undefined;
    const id = Number(row.localId);
    this.remember(kind, externalId, id);
    return id;
  }

  /** Many at once (a batch's tasks): the ones linked, by external id. */
  async getMany(db: Knex, kind: LinkedEntity, externalIds: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const missing: string[] = [];
    for (const externalId of new Set(externalIds)) {
      const cached = this.cache.get(`${kind}\u0000${externalId}`);
      if (cached !== undefined) found.set(externalId, cached);
      else missing.push(externalId);
    }
    for (let start = 0; start < missing.length; start += 500) {
      const rows = (await db('import_links')
        .where({ workspaceId: this.workspaceId, entity: this.entity(kind) })
        .whereIn('externalId', missing.slice(start, start + 500))
        .select('externalId', 'localId')) as Array<{ externalId: string; localId: string | number }>;
      for (const row of rows) {
        found.set(row.externalId, Number(row.localId));
        this.remember(kind, row.externalId, Number(row.localId));
      }
    }
    return found;
  }

  /** Records the link inside the transaction that wrote the row, so a crash keeps both or neither. */
  async put(db: Knex, kind: LinkedEntity, externalId: string, localId: number): Promise<void> {
    await db('import_links')
      .insert({ workspaceId: this.workspaceId, entity: this.entity(kind), externalId, localId, jobId: this.jobId })
      .onConflict(['workspaceId', 'entity', 'externalId'])
      .merge(['localId', 'jobId']);
    this.remember(kind, externalId, localId);
  }

  /** Many links in one statement (a batch of new tasks). */
  async putMany(db: Knex, kind: LinkedEntity, pairs: Array<[string, number]>): Promise<void> {
    for (let start = 0; start < pairs.length; start += 1000) {
      const rows = pairs.slice(start, start + 1000).map(([externalId, localId]) => ({ workspaceId: this.workspaceId, entity: this.entity(kind), externalId, localId, jobId: this.jobId }));
      await db('import_links').insert(rows).onConflict(['workspaceId', 'entity', 'externalId']).merge(['localId', 'jobId']);
    }
    for (const [externalId, localId] of pairs) this.remember(kind, externalId, localId);
  }

  /** Cache only (after a rolled-back savepoint the cache must forget: see `forget`). */
  remember(kind: LinkedEntity, externalId: string, localId: number): void {
    // Tasks are the many: past a million cached links, the oldest go (a miss reads the table).
    if (this.cache.size > 1_000_000) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(`${kind}\u0000${externalId}`, localId);
  }

  forget(kind: LinkedEntity, externalId: string): void {
    this.cache.delete(`${kind}\u0000${externalId}`);
  }
}
