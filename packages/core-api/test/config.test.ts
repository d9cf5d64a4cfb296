import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const SECRET = 'x'.repeat(32);
const dataDir = mkdtempSync(join(tmpdir(), 'taskbase-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Asserts that loading `env` throws a ConfigError naming `variable`. */
function expectConfigError(env: Record<string, string | undefined>, variable: string): void {
  let thrown: unknown;
  try {
    loadConfig({ TASKBASE_DATA_DIR: dataDir, ...env });
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `${JSON.stringify(env)} should be refused`).toBeInstanceOf(ConfigError);
  expect((thrown as ConfigError).variable).toBe(variable);
  expect((thrown as ConfigError).message).toContain(variable);
}

describe('configuration', () => {
  it('email: SMTP_URL must be smtp(s), needs MAIL_FROM; APP_URL must be http(s); unset means no email', () => {
    expectConfigError({ SMTP_URL: 'http://mail.example.com' }, 'SMTP_URL');
    expectConfigError({ SMTP_URL: 'smtp://mail.example.com' }, 'MAIL_FROM');
    expectConfigError({ SMTP_URL: 'smtp://mail.example.com', MAIL_FROM: 'no-at-sign' }, 'MAIL_FROM');
    expectConfigError({ APP_URL: 'tasks.example.com' }, 'APP_URL');
    expectConfigError({ EMAIL_RETRY_SCHEDULE: 'soon' }, 'EMAIL_RETRY_SCHEDULE');
    const email = loadConfig({ TASKBASE_DATA_DIR: dataDir, JWT_SECRET: SECRET, SMTP_URL: 'smtps://u:p@mail.example.com:465', MAIL_FROM: 'Tasks <t@example.com>', APP_URL: 'https://tasks.example.com/' }).email;
    expect(email).toMatchObject({ smtpUrl: 'smtps://u:p@mail.example.com:465', from: 'Tasks <t@example.com>', appUrl: 'https://tasks.example.com', worker: true });
    expect(loadConfig({ TASKBASE_DATA_DIR: dataDir, JWT_SECRET: SECRET }).email.smtpUrl).toBeUndefined();
  });

  it('refuses a bad PORT', () => {
    for (const port of ['abc', '-1', '65536', '80.5', '1e3', '3000abc']) expectConfigError({ PORT: port, JWT_SECRET: SECRET }, 'PORT');
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL', () => {
    for (const url of ['mysql://root@localhost/db', 'localhost:5432/taskbase', 'sqlite:///tmp/x.db', 'http://example.com']) {
      expectConfigError({ DATABASE_URL: url, JWT_SECRET: SECRET }, 'DATABASE_URL');
    }
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/taskbase', JWT_SECRET: SECRET }).databaseUrl).toBe('postgresql://u:p@db:5432/taskbase');
  });

  it('refuses a REDIS_URL that is not a Redis URL, and keeps counts in the database without one', () => {
    for (const url of ['localhost:6379', 'http://cache:6379', 'redis://']) expectConfigError({ REDIS_URL: url, JWT_SECRET: SECRET }, 'REDIS_URL');
    expect(loadConfig({ REDIS_URL: 'rediss://:pw@cache:6380/2', JWT_SECRET: SECRET }).redisUrl).toBe('rediss://:pw@cache:6380/2');
    expect(loadConfig({ REDIS_URL: ' ', JWT_SECRET: SECRET }).redisUrl).toBeUndefined();
  });

  it('refuses a JWT_SECRET shorter than 32 characters', () => {
    expectConfigError({ JWT_SECRET: 'short' }, 'JWT_SECRET');
    expectConfigError({ JWT_SECRET: 'x'.repeat(31), NODE_ENV: 'production' }, 'JWT_SECRET');
    expect(loadConfig({ JWT_SECRET: SECRET, TASKBASE_DATA_DIR: dataDir }).jwt.secret).toBe(SECRET);
  });

  it('requires JWT_SECRET in production', () => {
    expectConfigError({ NODE_ENV: 'production' }, 'JWT_SECRET');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, DATABASE_URL: 'postgres://db.internal/taskbase' }).env).toBe('production');
  });

  it('refuses other malformed values, naming the variable', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
      [{ CORS_ORIGINS: 'https://ok.example, not-an-origin' }, 'CORS_ORIGINS'],
      [{ CORS_ORIGINS: 'https://app.example/path' }, 'CORS_ORIGINS'],
      [{ BCRYPT_COST: '3' }, 'BCRYPT_COST'],
      [{ SEED_DEMO: 'yes please' }, 'SEED_DEMO'],
      [{ MIGRATE_ON_START: 'maybe' }, 'MIGRATE_ON_START'],
      [{ ACCESS_TOKEN_TTL: '5' }, 'ACCESS_TOKEN_TTL'],
      [{ LOGIN_MAX_FAILURES: '0' }, 'LOGIN_MAX_FAILURES'],
      [{ BODY_LIMIT_BYTES: 'lots' }, 'BODY_LIMIT_BYTES'],
    ];
    for (const [env, variable] of cases) expectConfigError({ JWT_SECRET: SECRET, ...env }, variable);
  });

  it('has the documented defaults', () => {
    const config = loadConfig({ TASKBASE_DATA_DIR: dataDir });
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: resolve(dataDir),
      corsOrigins: [],
      logLevel: 'info',
      bodyLimitBytes: 1_048_576,
      bcryptCost: 12,
      migrateOnStart: true,
      // The embedded database seeds a demo workspace by default; a real PostgreSQL does not.
      seedDemo: true,
      jwt: { issuer: 'taskbase', audience: 'taskbase-api', accessTtlSeconds: 900, embedTtlSeconds: 900, refreshTtlSeconds: 30 * 86_400 },
    });
    expect(config.bcryptCost).toBeGreaterThanOrEqual(12);
    expect(loadConfig({ TASKBASE_DATA_DIR: dataDir, DATABASE_URL: 'postgres://localhost/db' }).seedDemo).toBe(false);
    expect(loadConfig({ TASKBASE_DATA_DIR: dataDir, NODE_ENV: 'test' }).logLevel).toBe('silent');
    // Empty values mean "unset".
    expect(loadConfig({ TASKBASE_DATA_DIR: dataDir, PORT: '', HOST: ' ', DATABASE_URL: '' })).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined });
  });

  it('defaults TASKBASE_DATA_DIR to ./.taskbase', () => {
    const config = loadConfig({ JWT_SECRET: SECRET });
    expect(config.dataDir).toBe(resolve('.taskbase'));
  });

  it('generates a development JWT secret once per data folder and keeps it private', () => {
    const first = loadConfig({ TASKBASE_DATA_DIR: dataDir }).jwt.secret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ TASKBASE_DATA_DIR: dataDir }).jwt.secret).toBe(first);
    const file = join(dataDir, 'jwt-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('reads the variables it is given', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '8080',
      HOST: '0.0.0.0',
      JWT_SECRET: SECRET,
      CORS_ORIGINS: 'https://a.example, http://localhost:4200',
      LOG_LEVEL: 'debug',
      SEED_DEMO: 'false',
      MIGRATE_ON_START: '0',
      LOGIN_MAX_FAILURES: '5',
    });
    expect(config).toMatchObject({
      env: 'test',
      port: 8080,
      host: '0.0.0.0',
      corsOrigins: ['https://a.example', 'http://localhost:4200'],
      logLevel: 'debug',
      seedDemo: false,
      migrateOnStart: false,
      loginMaxFailures: 5,
    });
  });
});
