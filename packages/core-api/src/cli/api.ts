import { UsageError, text, type Parsed } from './args.js';

/** Options every command against a running server takes. */
export const SERVER_OPTIONS = { url: { type: 'string' }, token: { type: 'string' } } as const;

/** An answer the server refused, with its problem's detail and field errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The refusal of `what`, from its problem document. */
  static async from(response: Response, what: string): Promise<ApiError> {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string; errors?: Array<{ path?: string; message?: string }> };
    const fields = (problem.errors ?? []).map((error) => `\n  ${error.path ?? ''}: ${error.message ?? ''}`).join('');
    return new ApiError(response.status, `${what} was refused (${response.status}): ${problem.detail ?? response.statusText}${fields}`);
  }
}

export interface DataJob {
  id: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { done: number; total: number | null; phase: string };
  result: Record<string, unknown> | null;
  error: string | null;
  download?: { url: string; expiresAt: string } | null;
}

/** A small client over the HTTP API (an API key or a session token as the bearer). */
export class ServerApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static from(parsed: Parsed): ServerApi {
    const url = text(parsed, 'url') ?? process.env.TASKBASE_URL?.trim() ?? 'http://127.0.0.1:3000';
    const token = text(parsed, 'token') ?? process.env.TASKBASE_TOKEN?.trim();
    if (!token) throw new UsageError('give an API key or a session token with --token or TASKBASE_TOKEN');
    if (!/^https?:\/\//.test(url)) throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
    return new ServerApi(url.replace(/\/+$/, ''), token);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    } catch (error) {
      throw new ApiError(0, `Cannot reach ${this.baseUrl}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`);
    }
    if (!response.ok) throw await ApiError.from(response, `${method} ${path}`);
    return (await response.json()) as T;
  }

  /** A URL the server handed out (a signed download), relative or absolute. */
  resolve(url: string): string {
    return new URL(url, `${this.baseUrl}/`).toString();
  }

  /** Polls a job until it ends, reporting its progress. */
  async follow(kind: 'exports' | 'imports', job: DataJob, onProgress: (job: DataJob) => void, intervalMs = 500): Promise<DataJob> {
    let current = job;
    for (;;) {
      onProgress(current);
      if (['succeeded', 'failed', 'cancelled'].includes(current.status)) return current;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      current = await this.request<DataJob>('GET', `/api/${kind}/${current.id}`);
    }
  }

  /** A project's id from its key (or id). */
  async projectId(ref: string): Promise<number> {
    const project = await this.request<{ id: number }>('GET', `/api/projects/${encodeURIComponent(ref)}`);
    return project.id;
  }
}
