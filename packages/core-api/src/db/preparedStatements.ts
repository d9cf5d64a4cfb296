import { createHash } from 'node:crypto';
import type pg from 'pg';

/** A text run this many times in this process is worth keeping parsed and planned. */
const HOT_AFTER = 3;
/** Statements one connection keeps at most: PostgreSQL holds each one's plan for the session. */
export const MAX_STATEMENTS_PER_CONNECTION = 200;
/** Texts counted at most; past it the counts start over (one-off texts must not grow memory). */
const MAX_COUNTED_TEXTS = 5_000;

/**
 * Which statement texts deserve a name: those run again and again. A named
 * statement is parsed and planned once per connection; after a few runs
 * PostgreSQL settles on a plan it reuses. The task list's text (with its
 * label, subtask and series subqueries) took longer to plan than to run,
 * and planning is CPU the API shares with the database on the same
 * machine. Shared by every connection of a pool.
 */
export class HotStatements {
  private readonly counts = new Map<string, { runs: number; name?: string }>();

  /** The name to run `text` under, once it is hot. */
  nameFor(text: string): string | undefined {
    let entry = this.counts.get(text);
    if (!entry) {
      if (this.counts.size >= MAX_COUNTED_TEXTS) this.counts.clear();
      entry = { runs: 0 };
      this.counts.set(text, entry);
    }
    if (entry.name) return entry.name;
    if (++entry.runs < HOT_AFTER) return undefined;
    // The name follows from the text alone, so every connection and process agrees on it.
    entry.name = `tb_${createHash('sha1').update(text).digest('base64url')}`;
    return entry.name;
  }
}

/**
 * Named statements keep one generic plan instead of planning each run.
 * PostgreSQL's own choice kept re-planning the task list at every run (its
 * generic estimate, blind to the LIMIT's value, looked costlier), and that
 * planning (0.8 ms) was most of the list's time in the database; the
 * generic plan is the same index scan (0.2 ms to bind). Statements sent
 * unnamed are planned at each run whatever this says.
 */
export const GENERIC_PLANS = 'set plan_cache_mode = force_generic_plan';

type QueryConfig = pg.QueryConfig & { name?: string };

/**
 * Makes a pooled connection run hot statements as named (prepared) ones.
 * Only statements with parameters are named: BEGIN, COMMIT and the like
 * have nothing to plan. A connection names at most
 * MAX_STATEMENTS_PER_CONNECTION texts and runs the rest as before.
 */
export function prepareHotStatements(client: pg.Client, hot: HotStatements): void {
  const named = new Set<string>();
  const query = client.query.bind(client) as (config: unknown, ...rest: unknown[]) => unknown;
  (client as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
    if (isParameterized(config) && config.name === undefined) {
      const name = hot.nameFor(config.text);
      if (name && (named.has(name) || named.size < MAX_STATEMENTS_PER_CONNECTION)) {
        named.add(name);
        return query({ ...config, name }, ...rest);
      }
    }
    return query(config, ...rest);
  };
}

function isParameterized(config: unknown): config is QueryConfig {
  return typeof config === 'object' && config !== null && typeof (config as QueryConfig).text === 'string' && ((config as QueryConfig).values?.length ?? 0) > 0;
}
