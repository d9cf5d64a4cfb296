import type { Knex } from 'knex';

/**
 * Exports and imports, as background jobs.
 *
 * - `data_jobs`: one row per export or import. A job is claimed by whichever
 *   process gets there first (`… for update skip locked` on `status` and
 *   `lease_until`), so a process that dies mid-job leaves it to another once
 *   the lease lapses. `checkpoint` is where an import resumes (what it has
 *   already written); `progress` is what the API shows; `storage_key` is the
 *   export's archive or the import's uploaded file in object storage.
 * - `import_links`: which row an import made for each record of its source
 *   (`entity`, `external_id`), per workspace. A re-run, or a resumed job,
 *   finds the row instead of making a second one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create table data_jobs (
    id bigserial primary key,
    workspace_id bigint not null references workspaces (id) on delete cascade,
    user_id bigint references users (id) on delete set null,
    kind text not null check (kind in ('export', 'import')),
    status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    params jsonb not null default '{}',
    progress jsonb not null default '{"done":0,"total":null,"phase":"queued"}',
    result jsonb,
    error text,
    checkpoint jsonb,
    storage_key text,
    attempts integer not null default 0,
    lease_until timestamptz(3),
    created_at timestamptz(3) not null default now(),
    started_at timestamptz(3),
    finished_at timestamptz(3),
    expires_at timestamptz(3)
  )`);
  await knex.raw('create index data_jobs_workspace on data_jobs (workspace_id, kind, id)');
  await knex.raw('create index data_jobs_user on data_jobs (user_id) where user_id is not null');
  await knex.raw(`create index data_jobs_pending on data_jobs (id) where status in ('queued', 'running')`);
  await knex.raw('create index data_jobs_expiring on data_jobs (expires_at) where expires_at is not null');

  await knex.raw(`create table import_links (
    workspace_id bigint not null references workspaces (id) on delete cascade,
    entity text not null,
    external_id text not null,
    local_id bigint not null,
    job_id bigint references data_jobs (id) on delete set null,
    primary key (workspace_id, entity, external_id)
  )`);
  await knex.raw('create index import_links_job on import_links (job_id) where job_id is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table import_links');
  await knex.raw('drop table data_jobs');
}
