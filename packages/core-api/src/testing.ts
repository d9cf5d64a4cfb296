/**
 * The environment for a core-api started by a test suite (ours, or an
 * integrator's): a random port, fast password hashing, quiet logs, no demo
 * data, and rate limits out of reach. Pass the result to `loadConfig`, or
 * to a spawned `taskbase` process.
 *
 * The limits matter on PostgreSQL: request counts are shared through the
 * database, so every suite's sign-ups and logins from 127.0.0.1 would spend
 * one budget, and the default 600 anonymous requests a minute would fail an
 * unrelated test with 429. Limits themselves are tested on their own.
 */
export function testEnvironment(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    PORT: '0',
    JWT_SECRET: 'taskbase-test-secret-that-is-long-enough-for-hs256',
    BCRYPT_COST: '4',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    RATE_LIMIT_PER_MINUTE: '10000000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10000000',
    // Suites open many sockets as a handful of users from 127.0.0.1; the caps are tested on their own.
    REALTIME_MAX_SOCKETS_PER_USER: '100000',
    REALTIME_MAX_SOCKETS_PER_ADDRESS: '1000000',
    REALTIME_MESSAGES_PER_SECOND: '10000',
    DATABASE_URL: process.env.DATABASE_URL,
    ...overrides,
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
