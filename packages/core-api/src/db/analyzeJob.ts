import type { Knex } from 'knex';

/** What a task import writes to: a burst of imported rows analyzes these. */
export const BULK_ANALYZE_TABLES = ['tasks', 'task_field_values', 'task_watchers', 'events', 'notifications'] as const;

export interface AnalyzeJobOptions {
  /** A whole-database `ANALYZE` this often (ms) when anything was written since the last one; 0: never on a timer. */
  intervalMs: number;
  /** This many rows written since the last `ANALYZE` run one at once (of `burstTables`)… */
  burstRows: number;
  /** …but not sooner than this after the previous one (ms): it is then run when the gap is over. */
  minGapMs: number;
  /** What a burst analyzes; the whole database when omitted. */
  burstTables?: readonly string[];
  onError(error: unknown): void;
  onAnalyzed?(what: string, ms: number): void;
}

/**
 * Keeps planner statistics current where nothing else does: the embedded
 * database (PGlite) has no autovacuum daemon, so without this a table loaded
 * after the last `ANALYZE` is planned as if it were empty (the task list then
 * reads every matching row and sorts). On PostgreSQL autovacuum analyzes on
 * its own, eventually; a large import is analyzed at once instead.
 *
 * Runs outside any request's transaction, one `ANALYZE` at a time, and never
 * makes a caller wait: `wrote()` returns at once and failures go to `onError`.
 */
export class AnalyzeJob {
  private written = 0;
  private lastRun = 0;
  private running: Promise<void> | undefined;
  private deferred: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly knex: Knex,
    private readonly options: AnalyzeJobOptions,
  ) {}

  /** Counts rows just committed; enough of them analyze the burst tables (no sooner than `minGapMs` after the last run). */
  wrote(rows: number): void {
    if (this.stopped || !(rows > 0)) return;
    this.written += rows;
    if (this.written < this.options.burstRows || this.running || this.deferred) return;
    const wait = this.lastRun + this.options.minGapMs - Date.now();
    if (wait <= 0) {
      void this.run(this.options.burstTables);
      return;
    }
    this.deferred = setTimeout(() => {
      this.deferred = undefined;
      if (!this.stopped && this.written >= this.options.burstRows) void this.run(this.options.burstTables);
    }, wait);
    this.deferred.unref();
  }

  /** Starts the periodic whole-database run (if `intervalMs` > 0); returns what stops the job. */
  start(): () => void {
    if (this.options.intervalMs > 0) {
      this.timer = setInterval(() => {
        if (this.written > 0) void this.run();
      }, this.options.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.stopped = true;
      clearInterval(this.timer);
      clearTimeout(this.deferred);
      this.deferred = undefined;
    };
  }

  /** One `ANALYZE` (of `tables`, or the whole database); joins the one running, if any. Never rejects. */
  run(tables?: readonly string[]): Promise<void> {
    if (this.running) return this.running;
    this.written = 0;
    const what = tables?.length ? tables.join(', ') : 'database';
    const started = Date.now();
    this.running = (async () => {
      try {
        await this.knex.raw(tables?.length ? `analyze ${tables.join(', ')}` : 'analyze');
        this.options.onAnalyzed?.(what, Date.now() - started);
      } catch (error) {
        this.options.onError(error);
      } finally {
        this.lastRun = Date.now();
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Resolves when no `ANALYZE` is running (before the database is closed). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }
}
