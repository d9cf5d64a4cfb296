import { readFileSync } from 'node:fs';
import { ConfigError, bool, type Config } from '../config.js';

export const GRAPHQL_PATH = '/graphql';

/** GraphQL settings, read from the environment once, when the app is built. */
export interface GraphqlConfig {
  /** Whether `__schema`/`__type` queries are answered. GRAPHQL_INTROSPECTION, default true. */
  introspection: boolean;
  /** Whether "Did you mean …?" hints are sent. Off when NODE_ENV=production. */
  suggestions: boolean;
  /** Whether only persisted operations run. GRAPHQL_PERSISTED_ONLY, default false. */
  persistedOnly: boolean;
  /** Allowed documents by id (their SHA-256 hash), from the GRAPHQL_PERSISTED_DOCUMENTS JSON file. */
  persistedDocuments: Record<string, string>;
  /** Whether GraphiQL is served at /graphiql (graphql/graphiql.ts). GRAPHIQL, default on outside production. */
  graphiql?: boolean;
}

type Env = Record<string, string | undefined>;


function documents(file: string | undefined): Record<string, string> {
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError('GRAPHQL_PERSISTED_DOCUMENTS', `must name a readable JSON file (${(error as Error).message})`);
  }
  const valid =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'string');
  if (!valid) throw new ConfigError('GRAPHQL_PERSISTED_DOCUMENTS', 'must be a JSON object of { "<sha256 hash>": "<document>" }');
  return parsed as Record<string, string>;
}

export function loadGraphqlConfig(env: Env, nodeEnv: Config['env']): GraphqlConfig {
  const persistedOnly = bool(env, 'GRAPHQL_PERSISTED_ONLY', false);
  const file = env.GRAPHQL_PERSISTED_DOCUMENTS?.trim() || undefined;
  if (persistedOnly && !file) {
    throw new ConfigError('GRAPHQL_PERSISTED_DOCUMENTS', 'is required when GRAPHQL_PERSISTED_ONLY=true');
  }
  return {
    introspection: bool(env, 'GRAPHQL_INTROSPECTION', true),
    suggestions: nodeEnv !== 'production',
    persistedOnly,
    persistedDocuments: documents(file),
    graphiql: bool(env, 'GRAPHIQL', nodeEnv !== 'production'),
  };
}
