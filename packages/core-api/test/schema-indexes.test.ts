import { describe, expect, it } from 'vitest';
import { databaseMode, sharedDatabase } from './support/server.js';

interface UnservedForeignKey {
  table: string;
  columns: string;
  referenced: string;
  constraint: string;
}

/**
 * Foreign keys of the current schema that no index serves: deleting a parent
 * row looks its children up by the key's columns alone, once per deleted row,
 * and without an index each lookup reads the whole table.
 *
 * An index serves a key when its leading key columns are the key's columns
 * (in any order) and it is valid and complete — or, for a key of one column,
 * partial on exactly `col is not null` (the lookup's `col = $1` implies it).
 * Expression columns count as attnum 0 and never match.
 */
const UNSERVED_FOREIGN_KEYS = `
  select c.conrelid::regclass::text as "table",
         (select string_agg(a.attname, ', ' order by k.ord)
            from unnest(c.conkey) with ordinality k (attnum, ord)
            join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum) as columns,
         c.confrelid::regclass::text as referenced,
         c.conname::text as "constraint"
    from pg_constraint c
    join pg_namespace n on n.oid = c.connamespace
   where c.contype = 'f'
     and n.nspname = current_schema()
     and not exists (
       select 1
         from pg_index i
        where i.indrelid = c.conrelid
          and i.indisvalid
          and i.indnkeyatts >= cardinality(c.conkey)
          -- int2vector subscripts start at 0
          and (select array_agg(i.indkey[p]::int2 order by i.indkey[p]) from generate_series(0, cardinality(c.conkey) - 1) p)
            = (select array_agg(x order by x) from unnest(c.conkey) x)
          and (i.indpred is null
               or (cardinality(c.conkey) = 1
                   and pg_get_expr(i.indpred, i.indrelid) = format('(%I IS NOT NULL)',
                         (select a.attname from pg_attribute a where a.attrelid = c.conrelid and a.attnum = c.conkey[1])))))
   order by 1, 2`;

describe(`foreign keys and their indexes (${databaseMode()} database)`, () => {
  it('every foreign key has an index that serves its ON DELETE', async () => {
    const { knex } = await sharedDatabase();
    const result = (await knex.raw(UNSERVED_FOREIGN_KEYS)) as { rows: UnservedForeignKey[] };
    const unserved = result.rows.map((row) => `${row.table} (${row.columns}) → ${row.referenced} [${row.constraint}]`);
    expect(unserved, `foreign keys without an index leading with their columns:\n${unserved.join('\n')}`).toEqual([]);
  });

  it('the check itself finds a foreign key without an index, and accepts a partial one on a nullable column', async () => {
    const { knex } = await sharedDatabase();
    const suffix = `${Date.now()}_${process.pid}`;
    const parent = `fk_check_parent_${suffix}`;
    const child = `fk_check_child_${suffix}`;
    try {
      await knex.raw(`create table ${parent} (id bigint primary key)`);
      await knex.raw(`create table ${child} (
        id bigint primary key,
        a bigint not null references ${parent} (id) on delete cascade,
        b bigint references ${parent} (id) on delete set null,
        c bigint not null references ${parent} (id)
      )`);
      await knex.raw(`create index ${child}_b on ${child} (b) where b is not null`);
      // Leads with another column: does not serve c.
      await knex.raw(`create index ${child}_a_c on ${child} (a, c)`);
      const result = (await knex.raw(UNSERVED_FOREIGN_KEYS)) as { rows: UnservedForeignKey[] };
      const mine = result.rows.filter((row) => row.table === child).map((row) => `${row.columns} → ${row.referenced}`);
      expect(mine).toEqual([`c → ${parent}`]);
    } finally {
      await knex.raw(`drop table if exists ${child}`);
      await knex.raw(`drop table if exists ${parent}`);
    }
  });
});
