import type { TObject, TSchema } from '@sinclair/typebox';
import { Problem, schemaName } from '../schemas/common.js';
import type { AnyRouteSpec } from './api.js';
import { RATE_LIMIT_HEADERS, STANDARD_RESPONSE_NAMES, standardRequestHeaders, withStandardResponses } from './standardResponses.js';

type JsonObject = Record<string, unknown>;

/**
 * Builds the OpenAPI 3.1 document from the route specs. Schemas registered
 * with `named()` become components; everything else is inlined.
 */
export function buildOpenApi(
  routes: AnyRouteSpec[],
  info: { title: string; version: string },
  extras: {
    /** What the API POSTs to webhook endpoints, by event type (OpenAPI 3.1 `webhooks`). */
    webhooks?: Record<string, { description: string; body: TSchema }>;
    /** Named schemas no route mentions that clients still need (e.g. the union of webhook bodies). */
    schemas?: TSchema[];
  } = {},
): JsonObject {
  const components: Record<string, unknown> = {};

  const toJson = (schema: TSchema, top = false): unknown => {
    const name = schemaName(schema);
    if (name && !top) {
      if (!(name in components)) {
        components[name] = null; // reserve first: guards against cycles
        components[name] = toJson(schema, true);
      }
      return { $ref: `#/components/schemas/${name}` };
    }
    return walk(schema);
  };

  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((item) => (isSchema(item) ? toJson(item) : walk(item)));
    if (!value || typeof value !== 'object') return value;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = isSchema(child) ? toJson(child) : walk(child);
    }
    return out;
  };

  const paths: Record<string, JsonObject> = {};
  const sharedResponses: Record<string, unknown> = {
    Error: {
      description: 'An error (RFC 9457 problem details)',
      headers: {
        'Retry-After': { description: 'Seconds to wait, when waiting helps', required: false, schema: { type: 'integer' } },
        ...Object.fromEntries(Object.entries(RATE_LIMIT_HEADERS).map(([name, header]) => [name, { description: header.description, required: false, schema: { type: 'integer' } }])),
      },
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    },
  };
  /** Header objects met more than once become components (`RateLimit-Limit`, `RateLimit-Limit.optional`…). */
  const sharedHeaders: Record<string, unknown> = {};
  const sharedHeader = (name: string, header: { description: string; required: boolean; schema: unknown }) => {
    const key = header.required ? name : `${name}.optional`;
    const known = sharedHeaders[key];
    if (known === undefined) sharedHeaders[key] = header;
    else if (JSON.stringify(known) !== JSON.stringify(header)) return header; // a route's own wording stays inline
    return { $ref: `#/components/headers/${key}` };
  };
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [location, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      if (!schema) continue;
      const properties = (schema as { properties?: Record<string, TSchema> }).properties ?? {};
      const required = new Set((schema as { required?: string[] }).required ?? []);
      for (const [name, property] of Object.entries(properties)) {
        const isArray = (property as { type?: string }).type === 'array';
        parameters.push({
          name,
          in: location,
          required: location === 'path' || required.has(name),
          schema: toJson(property),
          ...(isArray ? { style: 'form', explode: false } : {}),
          ...((property as { description?: string }).description ? { description: (property as { description?: string }).description } : {}),
        });
      }
    }
    for (const [name, header] of Object.entries({ ...standardRequestHeaders(route), ...route.headers })) {
      if (name.toLowerCase() === 'authorization') continue; // described by the security scheme
      parameters.push({ name, in: 'header', required: header.required ?? false, description: header.description, schema: toJson(header.schema) });
    }
    const responses: JsonObject = {};
    const { responses: specs, standard } = withStandardResponses(route);
    for (const [status, response] of Object.entries(specs)) {
      const isProblem = Number(status) >= 400;
      const json = {
        description: response.description,
        ...(response.headers && Object.keys(response.headers).length
          ? {
              headers: Object.fromEntries(
                // A header a route declares is always sent unless it says otherwise; shared headers are components.
                Object.entries(response.headers).map(([h, spec]) => [h, sharedHeader(h, { description: spec.description, required: spec.required ?? true, schema: toJson(spec.schema) })]),
              ),
            }
          : {}),
        ...(response.schema
          ? { content: { [isProblem ? 'application/problem+json' : 'application/json']: { schema: toJson(response.schema) } } }
          : {}),
        ...(response.binary ? { content: { [response.mediaType ?? '*/*']: { schema: { type: 'string', format: 'binary' } } } } : {}),
      };
      const name = standard.has(Number(status)) ? STANDARD_RESPONSE_NAMES[Number(status)] : undefined;
      if (name) {
        sharedResponses[name] ??= json;
        responses[status] = { $ref: `#/components/responses/${name}` };
      } else {
        responses[status] = json;
      }
    }
    responses.default = { $ref: '#/components/responses/Error' };
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: route.tags,
      ...(route.auth === 'user' ? { security: [{ bearerAuth: [] }] } : route.auth === 'apiKey' ? { security: [{ apiKey: [] }] } : { security: [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: toJson(route.body) } } } } : {}),
      ...(route.upload ? { requestBody: uploadBody(route.upload, route.uploadFields) } : {}),
      responses,
    };
  }
  toJson(Problem); // referenced by every default response
  for (const schema of extras.schemas ?? []) toJson(schema);
  const webhookOperations = Object.fromEntries(
    Object.entries(extras.webhooks ?? {}).map(([type, webhook]) => [
      type,
      {
        post: {
          operationId: `webhook:${type}`,
          summary: webhook.description,
          description: 'Signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature); answer 2xx within the timeout, or it is retried.',
          requestBody: { required: true, content: { 'application/json': { schema: toJson(webhook.body) } } },
          responses: { '2XX': { description: 'Received' } },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: { ...info, description: 'Taskbase: an embeddable, headless task-management backend.' },
    servers: [{ url: '/' }],
    paths,
    ...(Object.keys(webhookOperations).length ? { webhooks: webhookOperations } : {}),
    components: {
      schemas: components,
      responses: sharedResponses,
      headers: sharedHeaders,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'http', scheme: 'bearer', description: 'A workspace API key (tb_sk_…), server-to-server only' },
      },
    },
  };
}

function isSchema(value: unknown): value is TSchema {
  return !!value && typeof value === 'object' && schemaName(value as TSchema) !== undefined;
}

/** A multipart body of one file part named `file`. */
function uploadBody(description: string, fields?: TObject) {
  const extra = fields ? (JSON.parse(JSON.stringify(fields)) as { properties: Record<string, unknown>; required?: string[] }) : { properties: {} };
  return {
    required: true,
    content: {
      'multipart/form-data': {
        schema: { type: 'object', required: ['file', ...(extra.required ?? [])], properties: { file: { type: 'string', format: 'binary', description }, ...extra.properties } },
        encoding: { file: { contentType: 'application/octet-stream' } },
      },
    },
  };
}
