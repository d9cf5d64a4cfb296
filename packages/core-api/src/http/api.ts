import type Router from '@koa/router';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { Context, Middleware } from 'koa';
import { DomainError, forbidden } from '../domain/errors.js';
import type { Caller, Role } from '../domain/caller.js';
import { compileValidator, type Validator } from '../schemas/validate.js';

export interface AppState {
  requestId: string;
  auth?: Caller;
}

export type AppContext = Context & { state: AppState };

type In<T> = T extends TSchema ? Static<T> : undefined;

export interface ResponseSpec {
  description: string;
  schema?: TSchema;
  /** The body is bytes of any media type (a file), not JSON. */
  binary?: boolean;
  /** The media type of a `binary` body when it is always the same (e.g. `text/calendar`); else any. */
  mediaType?: string;
  headers?: Record<string, { description: string; schema: TSchema; required?: boolean }>;
}

export interface RouteSpec<P extends TSchema | undefined, Q extends TSchema | undefined, B extends TSchema | undefined> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa-style path: `/api/tasks/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** `user` needs an access token; `public` needs nothing; `apiKey` is checked by the handler. */
  auth: 'user' | 'public' | 'apiKey';
  /** Roles allowed to call the route; omitted → any authenticated user. */
  roles?: readonly Role[];
  params?: P;
  query?: Q;
  body?: B;
  /** The route takes one file as `multipart/form-data` (a part named `file`), read by its handler as a stream; this describes it. */
  upload?: string;
  /** Text parts sent next to the file (an object schema of them), for the OpenAPI document: the handler reads and checks them. */
  uploadFields?: TObject;
  /** Request headers the route reads, for the OpenAPI document. */
  headers?: Record<string, { description: string; schema: TSchema; required?: boolean }>;
  responses: Record<number, ResponseSpec>;
  handler: (ctx: AppContext, input: { params: In<P>; query: In<Q>; body: In<B> }) => Promise<void> | void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouteSpec = RouteSpec<any, any, any>;

/**
 * Registers routes on a Koa router from specs that are at once the runtime
 * validation and the source of the OpenAPI document.
 */
export class Api {
  readonly routes: AnyRouteSpec[] = [];

  constructor(
    private readonly router: Router,
    private readonly authenticate: Middleware,
    /** Runs on every authenticated POST (see idempotency.ts). */
    private readonly idempotent: Middleware,
    /** Runs on every route, after authentication (see rateLimit.ts). */
    private readonly rateLimit: Middleware,
  ) {}

  route<P extends TSchema | undefined = undefined, Q extends TSchema | undefined = undefined, B extends TSchema | undefined = undefined>(
    spec: RouteSpec<P, Q, B>,
  ): void {
    this.routes.push(spec);
    const validate = {
      params: spec.params ? compileValidator(spec.params, 'path') : undefined,
      query: spec.query ? compileValidator(spec.query, 'query') : undefined,
      body: spec.body ? compileValidator(spec.body, 'body') : undefined,
    };
    const middlewares: Middleware[] = [];
    if (spec.auth === 'user') middlewares.push(this.authenticate);
    middlewares.push(this.rateLimit);
    if (spec.roles) middlewares.push(requireRole(spec.roles));
    if (spec.method === 'post' && spec.auth === 'user') middlewares.push(this.idempotent);
    middlewares.push(async (ctx) => {
      const multipart = Boolean(ctx.is('multipart/form-data'));
      if (spec.upload && !multipart) throw unsupportedType('multipart/form-data');
      if (!spec.upload && multipart) throw unsupportedType('application/json');
      const input = {
        params: run(validate.params, ctx.params),
        query: run(validate.query, ctx.query),
        body: validate.body ? validate.body(ctx.request.body) : spec.upload ? undefined : rejectBody(ctx),
      };
      await spec.handler(ctx as AppContext, input as never);
    });
    this.router[spec.method](spec.path, ...middlewares);
  }
}

function unsupportedType(expected: string): DomainError {
  return new DomainError(415, {
    code: 'unsupported_media_type',
    detail: `Send the request body as ${expected}`,
    errors: [{ path: 'content-type', in: 'header', message: `must be ${expected}` }],
  });
}

function run(validator: Validator | undefined, value: unknown): unknown {
  return validator ? validator(value) : undefined;
}

function rejectBody(ctx: Context): undefined {
  if (ctx.request.body !== undefined) {
    throw new DomainError(400, {
      code: 'unexpected_body',
      detail: `${ctx.method} ${ctx.path} takes no request body`,
      errors: [{ path: '', in: 'body', message: 'must be empty' }],
    });
  }
  return undefined;
}

function requireRole(roles: readonly Role[]): Middleware {
  return async (ctx, next) => {
    const caller = (ctx.state as AppState).auth;
    if (!caller || !roles.includes(caller.role)) {
      throw forbidden(`This needs the ${roles.join(' or ')} role`);
    }
    await next();
  };
}

/** The caller of a route whose spec says `auth: 'user'`. */
export function caller(ctx: AppContext): Caller {
  const auth = ctx.state.auth;
  if (!auth) throw new Error('caller() used on a route without authentication');
  return auth;
}

declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}
