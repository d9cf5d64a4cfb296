import type { Knex } from 'knex';

/**
 * An index for every foreign key that had none serving it.
 *
 * Deleting (or re-keying) a referenced row makes PostgreSQL look up the
 * referencing rows by the foreign key's columns alone (`… where task_id = $1`),
 * once per deleted row, for `on delete cascade / set null` and for the
 * `no action` check alike. Without an index whose leading columns are those
 * columns each lookup reads the whole table: deleting 100k tasks scanned
 * `task_comments` (its index leads with `workspace_id`) 100k times. Users are
 * only ever deleted with their workspace, but then every user's deletion
 * checked `tasks.created_by`, `task_comments.user_id`, … by scanning them.
 *
 * Nullable columns get a partial index (`where col is not null`): the lookup
 * compares with `=`, which implies it, and rows without a parent stay out.
 * test/schema-indexes.test.ts fails when a foreign key has no such index.
 *
 * Plain `create index` (it blocks writes to the table while it builds): the
 * tables are small at migration time for most installs. A large install can
 * build them beforehand without blocking, with the same names, e.g.
 * `create index concurrently if not exists task_comments_task_id_fk on task_comments (task_id)`,
 * and this migration then skips them (`if not exists`).
 */
const INDEXES: Array<[table: string, column: string, nullable: boolean]> = [
  // Deleting tasks: comments, notifications and aliases cascade from each task.
  ['task_comments', 'task_id', false],
  ['notifications', 'task_id', true],
  ['task_aliases', 'task_id', false],
  // Retention deletes webhook deliveries (attempts cascade); deleting an endpoint cascades to its deliveries.
  ['webhook_attempts', 'delivery_id', false],
  ['webhook_deliveries', 'endpoint_id', false],
  // Deleting a custom field, a project.
  ['task_field_values', 'field_id', false],
  ['project_key_aliases', 'project_id', false],
  ['saved_views', 'project_id', true],
  // Deleting a workspace cascades to these directly (their other indexes lead with task_id).
  ['task_relations', 'workspace_id', false],
  ['task_watchers', 'workspace_id', false],
  // Deleting users (with their workspace): cascade, set null or the no-action check.
  ['tasks', 'created_by', false],
  ['tasks', 'assigned_to', true],
  ['task_comments', 'user_id', false],
  ['notifications', 'user_id', false],
  ['notifications', 'actor_id', true],
  ['refresh_tokens', 'user_id', false],
  ['project_members', 'user_id', false],
  ['saved_views', 'owner_id', false],
  ['projects', 'lead_id', true],
  ['api_keys', 'created_by', true],
  ['attachments', 'created_by', true],
  ['task_relations', 'created_by', true],
  ['webhook_endpoints', 'created_by', true],
];

const indexName = (table: string, column: string) => `${table}_${column}_fk`;

export async function up(knex: Knex): Promise<void> {
  for (const [table, column, nullable] of INDEXES) {
    const where = nullable ? ` where ${column} is not null` : '';
    await knex.raw(`create index if not exists ${indexName(table, column)} on ${table} (${column})${where}`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, column] of INDEXES) await knex.raw(`drop index if exists ${indexName(table, column)}`);
}
