import { randomUUID } from 'node:crypto';
import { checkConformance } from './conformance.js';

export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as-is, without JSON encoding. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** `manual` answers a redirect itself instead of following it. */
  redirect?: 'follow' | 'manual';
}

/** A tiny HTTP client over fetch for tests: JSON in, JSON (or text) out. */
export class TestClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    // graphql-yoga's types bring in lib.dom, whose BodyInit does not name Buffer.
    const response = await fetch(this.baseUrl + path, { method, headers, body: body as BodyInit | undefined, redirect: options.redirect ?? 'follow' });
    const text = await response.text();
    let parsed: unknown = text;
    if (/json/.test(response.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
    const answer = { status: response.status, headers: response.headers, body: parsed as T };
    await checkConformance(this.baseUrl, method, path, answer);
    return answer;
  }

  get = <T = any>(path: string, options?: RequestOptions) => this.request<T>('GET', path, options);
  post = <T = any>(path: string, body?: unknown, options?: RequestOptions) => this.request<T>('POST', path, { ...options, body });
  put = <T = any>(path: string, body?: unknown, options?: RequestOptions) => this.request<T>('PUT', path, { ...options, body });
  patch = <T = any>(path: string, body?: unknown, options?: RequestOptions) => this.request<T>('PATCH', path, { ...options, body });
  delete = <T = any>(path: string, options?: RequestOptions) => this.request<T>('DELETE', path, options);
}

export interface Member {
  id: number;
  token: string;
  refreshToken: string;
  email: string;
  password: string;
  role: 'admin' | 'manager' | 'member';
}

export interface Team {
  workspaceId: number;
  admin: Member;
  manager: Member;
  member: Member;
  /** A second member, for rules about other people's things. */
  other: Member;
}

export const uniqueEmail = (label = 'user') => `${label}-${randomUUID().slice(0, 12)}@example.test`;

/** Registers a workspace and invites a manager and two members; everyone signed in. */
export async function createTeam(client: TestClient, name = 'Team'): Promise<Team> {
  const password = 'correct horse battery';
  const email = uniqueEmail('admin');
  const registered = await client.post('/api/auth/register', { name: `${name} Admin`, email, password, workspaceName: name });
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const admin: Member = {
    id: registered.body.user.id,
    token: registered.body.accessToken,
    refreshToken: registered.body.refreshToken,
    email,
    password,
    role: 'admin',
  };
  const invite = async (role: Member['role'], label: string): Promise<Member> => {
    const memberEmail = uniqueEmail(label);
    const created = await client.post('/api/users', { name: `${name} ${label}`, email: memberEmail, role, password }, { token: admin.token });
    if (created.status !== 201) throw new Error(`invite failed: ${JSON.stringify(created.body)}`);
    const login = await client.post('/api/auth/login', { email: memberEmail, password });
    if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
    return { id: created.body.user.id, token: login.body.accessToken, refreshToken: login.body.refreshToken, email: memberEmail, password, role };
  };
  return {
    workspaceId: registered.body.workspace.id,
    admin,
    manager: await invite('manager', 'manager'),
    member: await invite('member', 'member'),
    other: await invite('member', 'other'),
  };
}

/** Asserts the shape of an RFC 9457 problem response. */
export function isProblem(response: TestResponse): boolean {
  return (
    (response.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
    typeof response.body?.code === 'string' &&
    typeof response.body?.requestId === 'string' &&
    response.body?.status === response.status
  );
}

/** A `multipart/form-data` body of one file part named `file`, encoded as browsers send it. */
export async function multipartFile(bytes: Uint8Array | string, filename = 'file.bin', fields: Record<string, string> = {}): Promise<RequestOptions> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value); // text parts first, as browsers send a form in order
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)]), filename);
  const encoded = new Response(form);
  return { rawBody: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
}
