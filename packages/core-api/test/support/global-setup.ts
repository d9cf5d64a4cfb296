import { migrateLatest, openDatabase } from '../../src/db/database.js';

/** On PostgreSQL, migrate once before the workers start (they share the database). */
export default async function setup(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) return;
  const database = await openDatabase({ databaseUrl });
  try {
    await migrateLatest(database.knex);
  } finally {
    await database.close();
  }
}
