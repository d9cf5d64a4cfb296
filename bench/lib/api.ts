/** Minimal JSON client for the Taskbase REST API. */
export interface Session {
  accessToken: string;
  user: { id: number };
  workspace: { id: number };
}

export async function apiRequest<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; expect?: number } = {},
): Promise<T> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const expected = options.expect ?? (method === 'POST' ? 201 : 200);
  if (response.status !== expected) {
    throw new Error(`${method} ${path} answered ${response.status} (expected ${expected}): ${text.slice(0, 300)}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export const BENCH_PASSWORD = 'bench-password-123';

/** Registers a new workspace and its admin; returns the session. */
export function registerWorkspace(baseUrl: string, label: string): Promise<Session> {
  return apiRequest<Session>(baseUrl, 'POST', '/api/auth/register', {
    body: {
      name: `Bench Admin ${label}`,
      email: `admin-${label}-${Date.now()}@bench.example.com`,
      password: BENCH_PASSWORD,
      workspaceName: `Bench ${label}`,
    },
  });
}
