import { inject, Injectable } from '@angular/core';
import type { RealtimeMessage, RealtimeTopic } from '@taskbase/sdk';
import { TASKBASE_CLIENT } from './taskbase-client';

/** A background export or import (`GET /api/exports/{id}`, `GET /api/imports/{id}`). */
export interface DataJob {
  id: number;
  kind: 'export' | 'import';
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  params: Record<string, unknown>;
  progress: { done: number; total: number | null; phase: string };
  result: Record<string, unknown> | null;
  error: string | null;
  createdBy: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  expiresAt: string | null;
}

export interface ExportJob extends DataJob {
  download: { url: string; expiresAt: string } | null;
}

export type ImportSource = 'taskbase' | 'csv' | 'trello' | 'asana';
export type EntityCounts = Record<'users' | 'projects' | 'labels' | 'fields' | 'tasks' | 'comments' | 'relations' | 'attachments', number>;
export interface RowError {
  line: number;
  field: string;
  message: string;
}
export interface ImportResult {
  dryRun: boolean;
  created: EntityCounts;
  updated: EntityCounts;
  skipped: number;
  errorCount: number;
  /** The first 1000. */
  errors: RowError[];
}
export interface ImportJob extends Omit<DataJob, 'result'> {
  result: ImportResult | null;
}

/** The wizard's mapping step: a CSV's columns, a few rows and the mapping the server guesses. */
export interface ImportPreview {
  columns: string[];
  sample: string[][];
  rows: number | null;
  suggested: Record<string, string>;
}

export interface ImportOptions {
  source: ImportSource;
  projectId?: number;
  mapping?: Record<string, string>;
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

interface Paged<T> {
  data: T[];
  nextCursor: string | null;
}

/** The SDK's resources for issue 21 (`client.exports`, `client.imports`). */
interface JobResources {
  exports: {
    create(body: ExportRequest): Promise<ExportJob>;
    get(id: number): Promise<ExportJob>;
    list(query?: { limit?: number }): Promise<Paged<ExportJob>>;
  };
  imports: {
    create(file: Blob, options: ImportOptions & { filename?: string }): Promise<ImportJob>;
    get(id: number): Promise<ImportJob>;
    list(query?: { limit?: number }): Promise<Paged<ImportJob>>;
    cancel(id: number): Promise<ImportJob>;
    preview(file: Blob, source: ImportSource): Promise<ImportPreview>;
  };
}

/** How often a running job is read again when no realtime event has told of it (fallback). */
const POLL_MS = 1500;

/** Exports and imports through the SDK client, and a running job followed live. */
@Injectable({ providedIn: 'root' })
export class DataJobs {
  private readonly client = inject(TASKBASE_CLIENT);
  /** A method of the SDK's resource when it has it, else the same call made directly. */
  private call<R extends keyof JobResources, M extends keyof JobResources[R]>(resource: R, method: M): JobResources[R][M] {
    const sdk = (this.client as unknown as Partial<JobResources>)[resource];
    const own = (sdk as Record<PropertyKey, unknown> | undefined)?.[method] as ((...args: unknown[]) => unknown) | undefined;
    return (own ? own.bind(sdk) : (this.direct[resource] as JobResources[R])[method]) as JobResources[R][M];
  }

  /** The same calls through the client's HTTP layer (its token and renewal), for an SDK from before issue 21. */
  private readonly direct: JobResources = (() => {
    const http = this.client.http;
    const form = (file: Blob, fields: Record<string, string | undefined>, filename?: string) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) if (value !== undefined) body.append(name, value);
      body.append('file', file, filename ?? (file as File).name ?? 'file');
      return body;
    };
    return {
      exports: {
        create: (body) => http.request({ method: 'POST', path: '/api/exports', body }),
        get: (id) => http.request({ method: 'GET', path: `/api/exports/${id}` }),
        list: (query) => http.request({ method: 'GET', path: '/api/exports', query }),
      },
      imports: {
        create: (file, { filename, mapping, projectId, dryRun, ...options }) =>
          http.request({
            method: 'POST',
            path: '/api/imports',
            form: form(file, { ...options, projectId: projectId?.toString(), dryRun: dryRun?.toString(), mapping: mapping && JSON.stringify(mapping) }, filename),
          }),
        get: (id) => http.request({ method: 'GET', path: `/api/imports/${id}` }),
        list: (query) => http.request({ method: 'GET', path: '/api/imports', query }),
        cancel: (id) => http.request({ method: 'POST', path: `/api/imports/${id}/cancel` }),
        preview: (file, source) => http.request({ method: 'POST', path: '/api/imports/preview', form: form(file, { source }) }),
      },
    };
  })();

  startExport(request: ExportRequest): Promise<ExportJob> {
    return this.call('exports', 'create')(request);
  }
  getExport(id: number): Promise<ExportJob> {
    return this.call('exports', 'get')(id);
  }
  async recentExports(limit = 10): Promise<ExportJob[]> {
    return (await this.call('exports', 'list')({ limit })).data;
  }
  preview(file: File, source: ImportSource): Promise<ImportPreview> {
    return this.call('imports', 'preview')(file, source);
  }
  startImport(file: File, options: ImportOptions): Promise<ImportJob> {
    return this.call('imports', 'create')(file, { ...options, filename: file.name });
  }
  getImport(id: number): Promise<ImportJob> {
    return this.call('imports', 'get')(id);
  }
  cancelImport(id: number): Promise<ImportJob> {
    return this.call('imports', 'cancel')(id);
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
    const unsubscribe = this.client.realtime.subscribe('jobs' as RealtimeTopic, onMessage);
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    };
    timer = setTimeout(() => void poll(), POLL_MS);
    return stop;
  }
}
