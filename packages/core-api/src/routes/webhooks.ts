import { Type } from '@sinclair/typebox';
import { caller, type Api } from '../http/api.js';
import { IdParams, Page, Problem } from '../schemas/common.js';
import {
  CreatedWebhookEndpoint,
  DeliveryListQuery,
  DeliveryParams,
  RotateWebhookSecret,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointUpdate,
  WebhookEventType,
  WebhookSecret,
} from '../schemas/webhooks.js';
import type { Services } from '../services/index.js';

/** Webhook administration: endpoints, secrets, test events and the delivery log. */
export function registerWebhookRoutes(api: Api, services: Services): void {
  const tags = ['Webhooks'];
  const roles = ['admin'] as const;
  const common = { tags, auth: 'user' as const, roles };
  const missing = { 404: { description: 'No such endpoint in this workspace', schema: Problem } };
  const { webhooks, webhookDeliveries } = services;

  // Before /:id, so the router never reads "event-types" as an id.
  api.route({
    ...common,
    method: 'get',
    path: '/api/webhooks/event-types',
    operationId: 'listWebhookEventTypes',
    summary: 'The event types an endpoint can receive',
    responses: { 200: { description: 'Catalog', schema: Type.Object({ data: Type.Array(WebhookEventType) }) } },
    handler: (ctx) => {
      ctx.body = webhooks.eventTypes();
    },
  });

  api.route({
    ...common,
    method: 'get',
    path: '/api/webhooks',
    operationId: 'listWebhookEndpoints',
    summary: "List the workspace's webhook endpoints",
    responses: { 200: { description: 'Endpoints', schema: Page(WebhookEndpoint) } },
    handler: async (ctx) => {
      ctx.body = await webhooks.list(caller(ctx));
    },
  });

  api.route({
    ...common,
    method: 'post',
    path: '/api/webhooks',
    operationId: 'createWebhookEndpoint',
    summary: 'Create an endpoint; the response holds its signing secret',
    description: 'Private, loopback and link-local destinations are refused unless the server allows them.',
    body: WebhookEndpointCreate,
    responses: {
      201: { description: 'Created', schema: CreatedWebhookEndpoint },
      409: { description: 'The workspace has the most endpoints it may have', schema: Problem },
      422: { description: 'The URL is not allowed', schema: Problem },
    },
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = await webhooks.create(caller(ctx), body);
    },
  });

  api.route({
    ...common,
    method: 'get',
    path: '/api/webhooks/:id',
    operationId: 'getWebhookEndpoint',
    summary: 'Get an endpoint',
    params: IdParams,
    responses: { 200: { description: 'Endpoint', schema: WebhookEndpoint }, ...missing },
    handler: async (ctx, { params }) => {
      ctx.body = await webhooks.get(caller(ctx), params.id);
    },
  });

  api.route({
    ...common,
    method: 'patch',
    path: '/api/webhooks/:id',
    operationId: 'updateWebhookEndpoint',
    summary: 'Change an endpoint, or enable/disable it with `enabled`',
    params: IdParams,
    body: WebhookEndpointUpdate,
    responses: {
      200: { description: 'Updated', schema: WebhookEndpoint },
      422: { description: 'The URL is not allowed', schema: Problem },
      ...missing,
    },
    handler: async (ctx, { params, body }) => {
      ctx.body = await webhooks.update(caller(ctx), params.id, body);
    },
  });

  api.route({
    ...common,
    method: 'delete',
    path: '/api/webhooks/:id',
    operationId: 'deleteWebhookEndpoint',
    summary: 'Delete an endpoint and its delivery log',
    params: IdParams,
    responses: { 204: { description: 'Deleted' }, ...missing },
    handler: async (ctx, { params }) => {
      await webhooks.remove(caller(ctx), params.id);
      ctx.status = 204;
    },
  });

  api.route({
    ...common,
    method: 'get',
    path: '/api/webhooks/:id/secret',
    operationId: 'getWebhookSecret',
    summary: "An endpoint's signing secret (and the previous one during a rotation)",
    params: IdParams,
    responses: { 200: { description: 'Secret', schema: WebhookSecret }, ...missing },
    handler: async (ctx, { params }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await webhooks.secret(caller(ctx), params.id);
    },
  });

  api.route({
    ...common,
    method: 'post',
    path: '/api/webhooks/:id/rotate-secret',
    operationId: 'rotateWebhookSecret',
    summary: 'Replace the secret; the old one also signs for `overlapSeconds`',
    params: IdParams,
    body: RotateWebhookSecret,
    responses: { 200: { description: 'The new secret', schema: WebhookSecret }, ...missing },
    handler: async (ctx, { params, body }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await webhooks.rotateSecret(caller(ctx), params.id, body.overlapSeconds);
    },
  });

  api.route({
    ...common,
    method: 'post',
    path: '/api/webhooks/:id/test',
    operationId: 'sendWebhookTest',
    summary: 'Queue a webhook.test event to the endpoint',
    params: IdParams,
    responses: { 202: { description: 'Queued', schema: WebhookDelivery }, ...missing },
    handler: async (ctx, { params }) => {
      ctx.status = 202;
      ctx.body = await webhookDeliveries.sendTest(caller(ctx), params.id);
    },
  });

  api.route({
    ...common,
    method: 'get',
    path: '/api/webhooks/:id/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: "An endpoint's deliveries, newest first",
    params: IdParams,
    query: DeliveryListQuery,
    responses: { 200: { description: 'Deliveries', schema: Page(WebhookDelivery) }, ...missing },
    handler: async (ctx, { params, query }) => {
      ctx.body = await webhookDeliveries.list(caller(ctx), params.id, query);
    },
  });

  api.route({
    ...common,
    method: 'get',
    path: '/api/webhooks/:id/deliveries/:deliveryId',
    operationId: 'getWebhookDelivery',
    summary: 'A delivery with its payload and every attempt',
    params: DeliveryParams,
    responses: { 200: { description: 'Delivery', schema: WebhookDeliveryDetail }, 404: { description: 'No such delivery', schema: Problem } },
    handler: async (ctx, { params }) => {
      ctx.body = await webhookDeliveries.get(caller(ctx), params.id, params.deliveryId);
    },
  });

  api.route({
    ...common,
    method: 'post',
    path: '/api/webhooks/:id/deliveries/:deliveryId/resend',
    operationId: 'resendWebhookDelivery',
    summary: 'Send a delivery again now, with the same webhook-id',
    params: DeliveryParams,
    responses: { 202: { description: 'Queued', schema: WebhookDelivery }, 404: { description: 'No such delivery', schema: Problem } },
    handler: async (ctx, { params }) => {
      ctx.status = 202;
      ctx.body = await webhookDeliveries.resend(caller(ctx), params.id, params.deliveryId);
    },
  });
}
