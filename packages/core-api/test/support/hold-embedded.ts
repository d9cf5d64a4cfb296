/**
 * Opens the embedded database in TASKBASE_DATA_DIR, prints "open" and holds it
 * until killed: another process for tests about one data folder, one process.
 * Run with `node --import tsx`.
 */
import { openDatabase } from '../../src/db/database.js';

const database = await openDatabase({ dataDir: process.env.TASKBASE_DATA_DIR });
await database.knex.raw('select 1');
process.stdout.write('open\n');
setInterval(() => {}, 60_000);
