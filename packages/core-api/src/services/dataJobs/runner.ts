import type { DataJobKind } from '../../schemas/dataJobs.js';
import type { ObjectStorage } from '../../storage/storage.js';
import { JobLost, type ClaimedJob, type DataJobQueue } from './queue.js';

/** What a handler made: the result shown in the job, and the file it stored (an export's archive). */
export interface JobOutcome {
  result: Record<string, unknown>;
  storageKey?: string | null;
  expiresAt?: Date | null;
}

/** Runs one claimed job to its end, reporting progress through the queue (which also keeps its lease). */
export type DataJobHandler = (job: ClaimedJob, queue: DataJobQueue) => Promise<JobOutcome>;

/** A failure whose message the job's creator may read (a bad file, a project gone); any other error reads as internal. */
export class JobFailure extends Error {
  constructor(
    message: string,
    readonly result?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}

/**
 * Claims and runs exports and imports, one at a time per process, safe to
 * run in every process at once (like services/attachments/jobs.ts). Each
 * kind's work is a handler registered with `handle`. Between jobs it also
 * removes the files of jobs that expired (an export's archive).
 */
export class DataJobRunner {
  private readonly handlers = new Map<DataJobKind, DataJobHandler>();
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly queue: DataJobQueue,
    private readonly storage: ObjectStorage,
    private readonly onError: (error: unknown, job?: ClaimedJob) => void = () => {},
    /** Only this workspace's jobs (an in-process CLI run, a test on a shared database); every workspace's when unset. */
    private readonly workspaceId?: number,
  ) {}

  handle(kind: DataJobKind, handler: DataJobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Runs soon; a call while running makes it run once more after. */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runUntilIdle().finally(() => (this.running = undefined));
  }

  /** Finishes whatever is due now (tests and the CLI await it). */
  async runOnce(): Promise<void> {
    await this.running;
    await this.runUntilIdle();
  }

  schedule(intervalMs: number): () => void {
    const timer = setInterval(() => this.wake(), intervalMs);
    timer.unref();
    this.wake();
    return () => clearInterval(timer);
  }

  /** Waits for the current run (on shutdown). */
  async idle(): Promise<void> {
    await this.running;
  }

  private async runUntilIdle(): Promise<void> {
    do {
      this.again = false;
      try {
        for (let ran = true; ran; ) {
          ran = false;
          for (const [kind, handler] of this.handlers) {
            const job = await this.queue.claim(kind, undefined, this.workspaceId);
            if (job) {
              ran = true;
              await this.run(job, handler);
            }
          }
        }
        await this.removeExpired();
      } catch (error) {
        this.onError(error);
      }
    } while (this.again);
  }

  private async run(job: ClaimedJob, handler: DataJobHandler): Promise<void> {
    let outcome: JobOutcome;
    try {
      outcome = await handler(job, this.queue);
    } catch (error) {
      if (error instanceof JobLost) return; // cancelled, or another process holds it now
      if (!(error instanceof JobFailure)) this.onError(error, job);
      await this.queue.fail(job, error instanceof JobFailure ? error.message : 'The job failed unexpectedly; try again, or ask an administrator to look at the server’s log', error instanceof JobFailure ? error.result : undefined);
      return;
    }
    const done = await this.queue.succeed(job, outcome.result, { storageKey: outcome.storageKey, expiresAt: outcome.expiresAt });
    // Cancelled meanwhile: what it stored goes.
    if (!done && outcome.storageKey) await this.storage.remove([outcome.storageKey]);
  }

  private async removeExpired(): Promise<void> {
    for (let keys = await this.queue.takeExpired(); keys.length > 0; keys = await this.queue.takeExpired()) {
      await this.storage.remove(keys);
    }
  }
}
