import { Type } from '@sinclair/typebox';
import type { Context } from 'koa';
import { DomainError, unauthorized } from '../domain/errors.js';
import type { Api } from '../http/api.js';
import { LoginBody, Session } from '../schemas/auth.js';
import { problem } from '../schemas/common.js';
import type { Services } from '../services/index.js';

const COOKIE = 'tb_refresh';
const PATH = '/api/auth/session';
/** Sent by the app with every cookie-session call: a custom header makes a cross-site form or fetch impossible without a preflight. */
const CSRF_HEADER = 'x-taskbase-session';
const CSRF_REFUSED = 'The x-taskbase-session header is missing (code csrf)';

/** A browser session: the access token in the body, the refresh token only in an HttpOnly cookie. */
const BrowserSession = Type.Omit(Session, ['refreshToken']);

/**
 * Sign-in for the app in a browser: the refresh token never reaches
 * JavaScript (an `HttpOnly; SameSite=Strict` cookie scoped to these routes),
 * so a script injected into the page cannot carry a session away. The token
 * routes (`/api/auth/login`, `/refresh`, `/logout`) stay for SDK and
 * server-side clients.
 */
/** Whether a request comes from the app's browser session (it sends the header; a cross-site page cannot). */
export const fromBrowserSession = (ctx: Context) => ctx.get(CSRF_HEADER) !== '';

/**
 * A session as a browser session answers it: the refresh token goes into
 * the cookie, the rest into the body (also after a password change, which
 * starts a new session: PATCH /api/auth/me).
 */
export function browserSession<S extends { refreshToken: string }>(ctx: Context, session: S, ttlSeconds: number): Omit<S, 'refreshToken'> {
  const { refreshToken, ...rest } = session;
  ctx.cookies.set(COOKIE, refreshToken, { httpOnly: true, sameSite: 'strict', path: PATH, secure: ctx.secure, maxAge: ttlSeconds * 1000, overwrite: true });
  ctx.set('Cache-Control', 'no-store');
  return rest;
}

export function registerSessionRoutes(api: Api, services: Services): void {
  const tags = ['Auth'];
  const headers = { [CSRF_HEADER]: { description: 'Any value: proves the request comes from a page of this origin', schema: Type.String(), required: true } };
  const ttlSeconds = services.config.jwt.refreshTtlSeconds;

  const clearCookie = (ctx: Context) => ctx.cookies.set(COOKIE, '', { httpOnly: true, sameSite: 'strict', path: PATH, secure: ctx.secure, maxAge: 0, overwrite: true });
  const requireHeader = (ctx: Context) => {
    if (!fromBrowserSession(ctx)) {
      throw new DomainError(403, { code: 'csrf', detail: `Send the ${CSRF_HEADER} header`, errors: [{ path: CSRF_HEADER, in: 'header', message: 'is required' }] });
    }
  };
  const answer = (ctx: Context, session: { refreshToken: string }) => {
    ctx.body = browserSession(ctx, session, ttlSeconds);
  };

  api.route({
    method: 'post',
    path: PATH,
    operationId: 'startBrowserSession',
    summary: 'Sign in from the app: the refresh token is set as an HttpOnly cookie',
    tags,
    auth: 'public',
    headers,
    body: LoginBody,
    responses: { 200: { description: 'Signed in', schema: BrowserSession }, 401: problem('Wrong email or password'), 403: problem(CSRF_REFUSED), 429: problem('Too many attempts') },
    handler: async (ctx, { body }) => {
      requireHeader(ctx);
      answer(ctx, await services.auth.login(body, ctx.ip));
    },
  });

  api.route({
    method: 'post',
    path: `${PATH}/refresh`,
    operationId: 'refreshBrowserSession',
    summary: 'A new access token for the session in the cookie (the cookie rotates)',
    tags,
    auth: 'public',
    headers,
    responses: { 200: { description: 'New access token', schema: BrowserSession }, 401: problem('No session, or it ended'), 403: problem(CSRF_REFUSED) },
    handler: async (ctx) => {
      requireHeader(ctx);
      const presented = ctx.cookies.get(COOKIE);
      if (!presented) throw unauthorized('There is no session to refresh; sign in', 'no_session');
      try {
        answer(ctx, await services.auth.refresh(presented));
      } catch (error) {
        clearCookie(ctx);
        throw error;
      }
    },
  });

  api.route({
    method: 'delete',
    path: PATH,
    operationId: 'endBrowserSession',
    summary: 'Sign out from the app: ends the session and clears the cookie',
    tags,
    auth: 'public',
    headers,
    responses: { 204: { description: 'Signed out' }, 403: problem(CSRF_REFUSED) },
    handler: async (ctx) => {
      requireHeader(ctx);
      const presented = ctx.cookies.get(COOKIE);
      if (presented) await services.auth.logout(presented);
      clearCookie(ctx);
      ctx.status = 204;
    },
  });
}
