import { inject, Injectable } from '@angular/core';
import type { CsvMapping, ExportJob, ImportJob, ImportPreview, ImportResult, ImportRowError, ImportSource, RealtimeMessage } from '@taskbase/sdk';
import { TASKBASE_CLIENT } from './taskbase-client';

/** A background export or import (`GET /api/exports/{id}`, `GET /api/imports/{id}`). */
export type DataJob = ExportJob | ImportJob;
export type EntityCounts = ImportResult['created'];
export type RowError = ImportRowError;
export type { ExportJob, ImportJob, ImportPreview, ImportSource };

export interface ImportOptions {
  source: ImportSource;
  projectId?: number;
  mapping?: CsvMapping;
  dryRun?: boolean;
  onError?: 'stop' | 'skip';
}

export interface ExportRequest {
  format: 'json' | 'csv';
  projectId?: number;
}

/** The jobs that have ended: nothing more will change. */
export const isFinished = (job: Pick<DataJob, 'status'>) => job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled';

/** The job's progress in percent, or null while its total is unknown. */
export function percent(job: Pick<DataJob, 'status' | 'progress'>): number | null {
  if (job.status === 'succeeded') return 100;
  const { done, total } = job.progress;
  if (!total) return null;
  return Math.min(100, Math.round((done / total) * 100));
}

/** How often a running job is read again when no realtime event has told of it (fallback). */
const POLL_MS = 1500;

/** Exports and imports through the SDK client, and a running job followed live. */
@Injectable({ providedIn: 'root' })
export class DataJobs {
  private readonly client = inject(TASKBASE_CLIENT);

  startExport(request: ExportRequest): Promise<ExportJob> {
    return this.client.exports.create(request);
  }
  getExport(id: number): Promise<ExportJob> {
    return this.client.exports.get(id);
  }
  async recentExports(limit = 10): Promise<ExportJob[]> {
    return (await this.client.exports.list({ limit })).data;
  }
  preview(file: File, source: ImportSource): Promise<ImportPreview> {
    return this.client.imports.preview(file, source);
  }
  startImport(file: File, options: ImportOptions): Promise<ImportJob> {
    return this.client.imports.create(file, { ...options, filename: file.name });
  }
  getImport(id: number): Promise<ImportJob> {
    return this.client.imports.get(id);
  }
  cancelImport(id: number): Promise<ImportJob> {
    return this.client.imports.cancel(id);
  }

  /**
   * Follows a job until it ends: `<kind>.progress|completed|failed` events
   * from realtime (topic `jobs`) as they come, and a read every 1.5 s besides (the socket
   * may be down, and an event may say less than the job). Returns a stop.
   */
  watch<J extends DataJob | ImportJob>(job: J, onChange: (job: J) => void): () => void {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => (job.kind === 'export' ? this.getExport(job.id) : this.getImport(job.id)) as Promise<J>;
    const deliver = (next: J) => {
      if (stopped || next.id !== job.id) return;
      onChange(next);
      if (isFinished(next)) stop();
    };
    const poll = async () => {
      try {
        deliver(await read());
      } catch {
        // A failed read is retried at the next tick; the page keeps the last state.
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    const onMessage = (message: RealtimeMessage) => {
      if (message.type !== 'event' || !message.event.startsWith(`${job.kind}.`)) return;
      const sent = (message as unknown as { data?: { job?: J } }).data?.job;
      if (sent?.id !== job.id) return;
      deliver(sent);
      // The event's job is the whole DTO except an export's download link: read it once more at the end.
      if (isFinished(sent) && job.kind === 'export') void read().then(onChange, () => undefined);
    };
    // `jobs`: the signed-in person's export.* and import.* events.
    const unsubscribe = this.client.realtime.subscribe('jobs', onMessage);
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    return stop;
  }
}
