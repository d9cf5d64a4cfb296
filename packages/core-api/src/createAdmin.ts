import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ConfigError, type Config } from './config.js';
import { migrateLatest, openDatabase } from './db/database.js';
import type { Logger } from './logger.js';
import { createServices } from './services/index.js';

/**
 * `taskbase create-admin --email E --name N [--workspace W]`: the first admin
 * of a self-hosted install, where public sign-up is off. The password comes
 * from TASKBASE_ADMIN_PASSWORD (so it never lands in shell history), or is
 * made up and printed once.
 */
export async function createAdmin(config: Config, logger: Logger, argv: string[], givenPassword: string | undefined) {
  const { values } = parseArgs({ args: argv, options: { email: { type: 'string' }, name: { type: 'string' }, workspace: { type: 'string' } } });
  if (!values.email?.includes('@')) throw new ConfigError('--email', 'must be an email address');
  if (!values.name?.trim()) throw new ConfigError('--name', 'must name the admin');
  if (givenPassword !== undefined && givenPassword.length < 8) throw new ConfigError('TASKBASE_ADMIN_PASSWORD', 'must be at least 8 characters');
  const password = givenPassword ?? randomBytes(12).toString('base64url');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  try {
    await migrateLatest(database.knex);
    const services = createServices(database.knex, config, logger);
    const workspaceName = values.workspace?.trim() || `${values.name.trim()}'s workspace`;
    try {
      const session = await services.auth.createWorkspace({ name: values.name, email: values.email, password, workspaceName });
      return { workspace: session.workspace.name, email: session.user.email, password: givenPassword === undefined ? password : undefined };
    } finally {
      await services.rateLimiter.stop(); // closes its Redis connection, when there is one
    }
  } finally {
    await database.close();
  }
}
