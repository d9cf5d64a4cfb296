import { describe, expect, it } from 'vitest';
import { createClient, memoryStorage } from '../src/index.js';
import { path, queryString } from '../src/internal/path.js';
import { expiresSoon, tokenExpiry } from '../src/internal/jwt.js';

const url = 'http://127.0.0.1:1';

describe('createClient options', () => {
  it.each([
    [{ url: 'not a url' }, /The url option must be an absolute http\(s\) URL/],
    [{ url: 'ftp://example.com' }, /The url option/],
    [{ url, token: '' }, /The token option must be a non-empty string/],
    [{ url, tokenProvider: 'abc' }, /The tokenProvider option must be a function/],
    [{ url, token: 't', tokenProvider: () => 't' }, /either the token option or the tokenProvider option/],
    [{ url, timeout: -1 }, /The timeout option must be a number between 1 and/],
    [{ url, maxRetries: 1.5 }, /The maxRetries option must be a whole number/],
    [{ url, storage: 'cookies' }, /The storage option must be "memory", "localStorage"/],
    [{ url, storage: 'localStorage' }, /storage option is "localStorage", but this environment has no localStorage/],
    [{ url, fetch: 42 }, /The fetch option must be a fetch function/],
    [{ url, WebSocket: 'ws' }, /The WebSocket option must be a WebSocket constructor/],
    [{ url, headers: null }, /The headers option/],
    [{ url, session: 'cookie' }, /The session option must be "token" or "browser"/],
    [{ url, session: 'browser', storage: 'localStorage' }, /session option "browser" takes no token, tokenProvider, storage or storageKey/],
    [{ url, session: 'browser', token: 't' }, /session option "browser" takes no token/],
  ])('refuses %j with a sentence naming the option', (options, message) => {
    expect(() => createClient(options as never)).toThrow(message);
  });

  it('accepts a custom storage and defaults everything else', () => {
    const client = createClient({ url: `${url}/`, storage: memoryStorage() });
    expect(client.http.options.baseUrl).toBe(url);
    expect(client.http.options.maxRetries).toBe(2);
  });

  it('needs a WebSocket constructor for realtime in Node 20', () => {
    const client = createClient({ url, token: 't' });
    if ((globalThis as { WebSocket?: unknown }).WebSocket) return; // Node ≥ 22 has one
    expect(() => client.realtime.subscribe('tasks', () => {})).toThrow(/pass the WebSocket option/);
  });
});

describe('path', () => {
  it('encodes ids so they cannot add segments or a query', () => {
    const id = '1/../../users?x=1#y';
    expect(path`/api/tasks/${id}/comments`).toBe('/api/tasks/1%2F..%2F..%2Fusers%3Fx%3D1%23y/comments');
    expect(() => path`/api/tasks/${'..'}`).toThrow(TypeError);
    expect(() => path`/api/tasks/${''}`).toThrow(TypeError);
    expect(path`/api/tasks/${42}`).toBe('/api/tasks/42');
  });

  it('builds query strings with comma lists and no undefined', () => {
    expect(queryString({ status: ['todo', 'done'], q: 'a b', limit: 5, cursor: undefined, overdue: true })).toBe('?status=todo%2Cdone&q=a+b&limit=5&overdue=true');
    expect(queryString({})).toBe('');
  });
});

describe('tokenExpiry', () => {
  const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
  it('reads exp without verifying', () => {
    expect(tokenExpiry(jwt({ exp: 123 }))).toBe(123);
    expect(tokenExpiry('opaque')).toBeUndefined();
    expect(expiresSoon(jwt({ exp: Math.floor(Date.now() / 1000) + 30 }), 60_000)).toBe(true);
    expect(expiresSoon(jwt({ exp: Math.floor(Date.now() / 1000) + 3600 }), 60_000)).toBe(false);
  });
});
