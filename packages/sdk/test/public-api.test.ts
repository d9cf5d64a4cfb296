import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as sdk from '../src/index.js';
import type { components } from '../src/generated/openapi.js';
import {
  createClient,
  type ClientOptions,
  type Page,
  type EventOf,
  type RealtimeMessage,
  type RequestOptions,
  type Task,
  type TaskbaseClient,
  type TaskListQuery,
  type User,
  type WebhookEvent,
} from '../src/index.js';

/** The public API, at the type level (checked by `tsc`) and at runtime. */
describe('public API', () => {
  it('exports exactly the documented values', () => {
    expect(Object.keys(sdk).sort()).toEqual(
      [
        'AbortError', 'AuthenticationError', 'ConflictError', 'ConnectionError', 'DEFAULT_MAX_RETRIES', 'DEFAULT_RECONNECT_BASE_DELAY_MS',
        'DEFAULT_RECONNECT_MAX_DELAY_MS', 'DEFAULT_RETRY_BASE_DELAY_MS', 'DEFAULT_RETRY_MAX_DELAY_MS', 'DEFAULT_STORAGE_KEY', 'DEFAULT_TIMEOUT_MS',
        'DEFAULT_WEBHOOK_TOLERANCE_SECONDS', 'GraphQLError', 'NotFoundError', 'PermissionError', 'RateLimitError', 'ServerError', 'TOKEN_EXPIRY_MARGIN_MS',
        'TaskbaseClient', 'TaskbaseError', 'TimeoutError', 'ValidationError', 'WebhookVerificationError', 'createClient', 'localStorageStorage',
        'memoryStorage', 'verifyWebhook',
      ].sort(),
    );
    for (const name of ['ValidationError', 'AuthenticationError', 'PermissionError', 'NotFoundError', 'ConflictError', 'RateLimitError', 'ServerError', 'ConnectionError', 'AbortError'] as const) {
      expect(new sdk[name]('x')).toBeInstanceOf(sdk.TaskbaseError);
    }
    expect(new sdk.TimeoutError('x')).toBeInstanceOf(sdk.ConnectionError);
  });

  it('types come from the OpenAPI document', () => {
    expectTypeOf<Task>().toEqualTypeOf<components['schemas']['Task']>();
    expectTypeOf<User>().toEqualTypeOf<components['schemas']['User']>();
    expectTypeOf<Parameters<typeof createClient>[0]>().toEqualTypeOf<ClientOptions>();
    expectTypeOf(() => createClient({ url: 'https://example.com', token: 't' })).returns.toEqualTypeOf<TaskbaseClient>();
    // The session option types what a sign-in answers: a browser session's refresh token is in its cookie.
    const browser = () => createClient({ url: 'https://example.com', session: 'browser' });
    expectTypeOf(browser).returns.toEqualTypeOf<TaskbaseClient<'browser'>>();
    expectTypeOf<Awaited<ReturnType<ReturnType<typeof browser>['auth']['signIn']>>>().not.toHaveProperty('refreshToken');
    expectTypeOf<Awaited<ReturnType<TaskbaseClient['auth']['signIn']>>['refreshToken']>().toBeString();
    expectTypeOf<Awaited<ReturnType<TaskbaseClient['auth']['updateMe']>>>().toEqualTypeOf<components['schemas']['UpdatedMe']>();
    type Client = ReturnType<typeof createClient>;
    expectTypeOf<Client['tasks']['list']>().parameters.toEqualTypeOf<[query?: TaskListQuery, options?: RequestOptions]>();
    expectTypeOf<Client['tasks']['list']>().returns.resolves.toEqualTypeOf<Page<Task>>();
    expectTypeOf<Client['tasks']['iterate']>().returns.toEqualTypeOf<AsyncGenerator<Task, void, undefined>>();
    expectTypeOf<Client['tasks']['get']>().returns.resolves.toEqualTypeOf<Task>();
    expectTypeOf<Client['tasks']['remove']>().returns.resolves.toBeVoid();
    expectTypeOf<Client['realtime']['subscribe']>().returns.toEqualTypeOf<() => void>();
    expectTypeOf<TaskListQuery['status']>().toEqualTypeOf<Array<Task['status']> | undefined>();
    expectTypeOf<Extract<RealtimeMessage, { type: 'event' }>['id']>().toBeNumber();
    // Events are a union told apart by their type, each with its payload (from the server's event catalog).
    expectTypeOf<EventOf<'task.created'>['data']['task']['title']>().toBeString();
    expectTypeOf<EventOf<'comment.created'>['data']['task']>().toEqualTypeOf<{ id: number; title: string }>();
    expectTypeOf<Extract<WebhookEvent, { type: 'task.assigned' }>['data']['to']>().toEqualTypeOf<number | null>();
    const verified = () => sdk.verifyWebhook('{}', {}, 'whsec_');
    expectTypeOf(verified).returns.resolves.toEqualTypeOf<WebhookEvent>();
    // @ts-expect-error: unknown fields are refused at compile time too
    void ((input: Parameters<Client['tasks']['create']>[0]) => input)({ title: 'x', colour: 'red' });
    // @ts-expect-error: task ids are numbers (or identifiers such as 'CRM-42')
    void ((id: Parameters<Client['tasks']['get']>[0]) => id)(true);
    expectTypeOf<Parameters<Client['projects']['get']>[0]>().toEqualTypeOf<number | string>();
  });
});

describe('size budget', () => {
  it('the ESM build fits in 12 KB min+gz, createClient + tasks in 8 KB', async () => {
    const script = fileURLToPath(new URL('../scripts/size.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--json']);
    const figures = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(figures.whole.gzip).toBeLessThanOrEqual(12 * 1024);
    expect(figures.createClientAndTasks.gzip).toBeLessThanOrEqual(8 * 1024);
  });
});
