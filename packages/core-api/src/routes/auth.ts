import { Type } from '@sinclair/typebox';
import { caller, type Api } from '../http/api.js';
import { bearerToken } from '../http/authenticate.js';
import { EmbedToken, EmbedTokenBody, LoginBody, Me, RefreshBody, RegisterBody, Session, UpdateMeBody, UpdatedMe } from '../schemas/auth.js';
import { problem } from '../schemas/common.js';
import type { Services } from '../services/index.js';
import { browserSession, fromBrowserSession } from './session.js';

export function registerAuthRoutes(api: Api, services: Services): void {
  const tags = ['Auth'];

  api.route({
    method: 'post',
    path: '/api/auth/register',
    operationId: 'register',
    summary: 'Create a workspace and its first admin, and sign them in',
    tags,
    auth: 'public',
    body: RegisterBody,
    responses: {
      201: { description: 'Signed in', schema: Session },
      400: problem('Invalid input'),
      403: problem('Sign-up is turned off (ALLOW_SIGNUP=false)'),
      409: problem('Email taken'),
    },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = await services.auth.register(body);
    },
  });

  api.route({
    method: 'post',
    path: '/api/auth/login',
    operationId: 'login',
    summary: 'Sign in with email and password',
    tags,
    auth: 'public',
    body: LoginBody,
    responses: {
      200: { description: 'Signed in', schema: Session },
      401: problem('Wrong email or password'),
      429: problem('Too many failed attempts'),
    },
    handler: async (ctx, { body }) => {
      ctx.body = await services.auth.login(body, ctx.ip);
    },
  });

  api.route({
    method: 'post',
    path: '/api/auth/refresh',
    operationId: 'refresh',
    summary: 'Exchange a refresh token for a new session (the old token stops working)',
    tags,
    auth: 'public',
    body: RefreshBody,
    responses: { 200: { description: 'New tokens', schema: Session }, 401: problem('Invalid, expired or reused token') },
    handler: async (ctx, { body }) => {
      ctx.body = await services.auth.refresh(body.refreshToken);
    },
  });

  api.route({
    method: 'post',
    path: '/api/auth/logout',
    operationId: 'logout',
    summary: 'End the session a refresh token belongs to',
    tags,
    auth: 'public',
    body: RefreshBody,
    responses: { 204: { description: 'Signed out' } },
    handler: async (ctx, { body }) => {
      await services.auth.logout(body.refreshToken);
      ctx.status = 204;
    },
  });

  api.route({
    method: 'get',
    path: '/api/auth/me',
    operationId: 'getMe',
    summary: 'The signed-in user and their workspace',
    tags,
    auth: 'user',
    responses: { 200: { description: 'The caller', schema: Me }, 401: problem('Not signed in') },
    handler: async (ctx) => {
      ctx.body = await services.auth.me(caller(ctx));
    },
  });

  api.route({
    method: 'patch',
    path: '/api/auth/me',
    operationId: 'updateMe',
    summary: 'Change your name, email or password (email and password need the current password)',
    description:
      'A password change ends every session of the user (refresh tokens, access tokens, sockets, GraphQL streams) and answers a fresh `session` for this client ' +
      '(from the app, with the x-taskbase-session header, its refresh token goes into the session cookie instead). ' +
      'Users created through an embed token have no password here: their email and password belong to the host app (403 identity_managed_by_host), as do changes made with an embed token.',
    tags,
    auth: 'user',
    body: UpdateMeBody,
    responses: {
      200: { description: 'Updated', schema: UpdatedMe },
      403: problem('An embedded identity: email and password are the host app’s'),
      422: problem('Wrong current password'),
    },
    handler: async (ctx, { body }) => {
      const updated = await services.auth.updateMe(caller(ctx), body);
      // The app's browser session keeps its new refresh token in the cookie, out of the page's reach.
      ctx.body =
        updated.session && fromBrowserSession(ctx)
          ? { ...updated, session: browserSession(ctx, updated.session, services.config.jwt.refreshTtlSeconds) }
          : updated;
    },
  });

  api.route({
    method: 'post',
    path: '/api/auth/embed-token',
    operationId: 'createEmbedToken',
    summary: "Mint a short-lived access token for a host app's user (server-to-server, with an API key)",
    description:
      'Call this from your backend with `Authorization: Bearer tb_sk_…`. The user is created or updated by `externalId`. Never send the API key to a browser.',
    tags,
    auth: 'apiKey',
    headers: { authorization: { description: 'Bearer followed by the API key', schema: Type.String(), required: true } },
    body: EmbedTokenBody,
    responses: {
      200: { description: 'Token for the host user', schema: EmbedToken },
      401: problem('Missing or invalid API key'),
      403: problem('Role above what the key may mint'),
    },
    handler: async (ctx, { body }) => {
      ctx.body = await services.apiKeys.embedToken(bearerToken(ctx.get('authorization')), body);
    },
  });
}
