import pg from 'pg';

/** Where PostgreSQL listens; the benchmarks only ever talk to 127.0.0.1. */
export const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function urlFor(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates an empty database named taskbase_bench_<timestamp>; `drop()` removes it (idempotent). */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `taskbase_bench_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
  await withAdmin((client) => client.query(`create database "${name}"`));
  let dropped = false;
  return {
    name,
    url: urlFor(name),
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin((client) => client.query(`drop database if exists "${name}" with (force)`));
    },
  };
}
