import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Middleware } from 'koa';
import { DomainError } from '../domain/errors.js';
import { bearerToken } from './authenticate.js';

const isLoopback = (address: string | undefined) =>
  !!address && (address === '::1' || /^(::ffff:)?127\./.test(address)) && isIP(address.replace(/^::ffff:/, '')) !== 0;

/**
 * Who may read /metrics. With METRICS_TOKEN set: a request bearing it
 * (compared in constant time). Without: only a client on this machine that
 * came straight in, not through a proxy (a proxy on the same host would
 * otherwise make every visitor look local).
 */
export function metricsAccess(token: string | undefined): Middleware {
  const expected = token ? Buffer.from(token) : undefined;
  return async (ctx, next) => {
    if (expected) {
      const presented = Buffer.from(bearerToken(ctx.get('authorization')) ?? '');
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
        throw new DomainError(401, { code: 'unauthorized', detail: 'GET /metrics needs METRICS_TOKEN as a bearer token', headers: { 'WWW-Authenticate': 'Bearer' } });
      }
    } else if (!isLoopback(ctx.req.socket.remoteAddress) || ctx.get('x-forwarded-for') || ctx.get('forwarded')) {
      throw new DomainError(404, { code: 'not_found', detail: 'Set METRICS_TOKEN to read /metrics from another machine' });
    }
    await next();
  };
}
