import type { RunningServer } from '@taskbase/core-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AbortError, ConnectionError, createClient, RateLimitError, ServerError, TimeoutError, ValidationError, type TaskbaseClient } from '../src/index.js';
import { startProxy } from './support/proxy.js';
import { adminClient, startTestServer } from './support/server.js';

/** Retries, timeouts and aborts, with faults injected by a proxy in front of a real core-api. */
describe('retries and failures', () => {
  let server: RunningServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let client: TaskbaseClient;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    proxy = await startProxy(server.url);
    token = (await adminClient(server.url)).session.accessToken;
  });
  beforeEach(() => {
    proxy.seen.length = 0;
    proxy.rule = () => 'forward';
    client = createClient({ url: proxy.url, token, retryBaseDelay: 10, retryMaxDelay: 2_000 });
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });

  it('retries a 503 and then succeeds', async () => {
    proxy.rule = (_request, index) => (index === 0 ? 'fail503' : 'forward');
    const page = await client.tasks.list();
    expect(page.data).toEqual([]);
    expect(proxy.seen.map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('gives up after maxRetries with a ServerError carrying the request id', async () => {
    proxy.rule = () => 'fail503';
    const error = await client.tasks.list({}, { maxRetries: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 503, code: 'unavailable', requestId: 'proxy-2' });
    expect(proxy.seen).toHaveLength(2);
  });

  it('honours Retry-After on a 429', async () => {
    proxy.rule = (_request, index) => (index === 0 ? 'rateLimit' : 'forward');
    const started = Date.now();
    await client.tasks.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(proxy.seen).toHaveLength(2);
  });

  it('does not wait for a Retry-After longer than retryMaxDelay', async () => {
    proxy.rule = () => 'rateLimit';
    const strict = createClient({ url: proxy.url, token, retryMaxDelay: 500 });
    const error = await strict.tasks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterSeconds).toBe(1);
    expect(proxy.seen).toHaveLength(1);
  });

  it('does not retry a 400', async () => {
    const error = await client.tasks.create({ title: '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect(proxy.seen).toHaveLength(1);
  });

  it('retries a POST whose answer was lost, and the Idempotency-Key makes it one task', async () => {
    proxy.rule = (request, index) => (index === 0 && request.method === 'POST' ? 'dropResponse' : 'forward');
    const title = `once-${Date.now()}`;
    const task = await client.tasks.create({ title });
    const posts = proxy.seen.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0]!.headers['idempotency-key']).toBeTruthy();
    expect(posts[1]!.headers['idempotency-key']).toBe(posts[0]!.headers['idempotency-key']);
    const matching = (await client.tasks.list({ q: title })).data;
    expect(matching.map((t) => t.id)).toEqual([task.id]);
  });

  it('does not retry a PATCH whose answer was lost', async () => {
    const task = await client.tasks.create({ title: 'patch me' });
    proxy.seen.length = 0;
    proxy.rule = () => 'dropResponse';
    await expect(client.tasks.update(task.id, { title: 'patched' })).rejects.toBeInstanceOf(ConnectionError);
    expect(proxy.seen).toHaveLength(1);
  });

  it('times out each attempt', async () => {
    proxy.rule = () => 'hang';
    const error = await client.tasks.list({}, { timeout: 150, maxRetries: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', status: undefined });
    expect(proxy.seen).toHaveLength(2);
  });

  it('aborts through an AbortSignal, without retrying', async () => {
    const controller = new AbortController();
    proxy.rule = () => {
      queueMicrotask(() => controller.abort());
      return 'hang';
    };
    const error = await client.tasks.get(1, { signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AbortError);
    expect(proxy.seen).toHaveLength(1);
    await expect(client.tasks.list({}, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
  });

  it('reports an unreachable server as a ConnectionError after retrying', async () => {
    const down = createClient({ url: 'http://127.0.0.1:9', token, retryBaseDelay: 1, maxRetries: 2 });
    const error = await down.tasks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'connection_error', requestId: undefined });
  });
});
