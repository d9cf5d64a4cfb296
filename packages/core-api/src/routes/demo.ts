import { Type } from '@sinclair/typebox';
import { notFound } from '../domain/errors.js';
import type { Api } from '../http/api.js';
import { named, problem } from '../schemas/common.js';

const DemoSignIns = named(
  'DemoSignIns',
  Type.Object({
    workspace: Type.String(),
    password: Type.String({ description: 'The one password every demo user shares (published: never in production)' }),
    users: Type.Array(Type.Object({ name: Type.String(), email: Type.String(), role: Type.String() })),
  }),
);

/**
 * GET /api/auth/demo: the demo workspace's sign-ins, for the app's sign-in
 * page in development. 404 in production, and wherever the demo workspace
 * was not seeded.
 */
export function registerDemoRoutes(api: Api, demoSignIns: () => Promise<unknown>): void {
  api.route({
    method: 'get',
    path: '/api/auth/demo',
    operationId: 'getDemoSignIns',
    summary: 'The demo sign-ins, in development when the demo workspace exists',
    tags: ['Auth'],
    auth: 'public',
    responses: { 200: { description: 'The demo sign-ins', schema: DemoSignIns }, 404: problem('No demo workspace here (or production)') },
    handler: async (ctx) => {
      const demo = await demoSignIns();
      if (!demo) throw notFound('Demo workspace');
      ctx.body = demo;
    },
  });
}
