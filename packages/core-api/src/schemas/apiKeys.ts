import { Type } from '@sinclair/typebox';
import { Id, Name, Role, Strict, Timestamp, named } from './common.js';
import { ProjectRef } from './projects.js';

/** Projects a key or token is limited to, each by id, key or `ext:<externalId>`. */
export const limitedProjects = (description = 'Limit to these projects (ids, keys or `ext:<externalId>`)') =>
  Type.Array(ProjectRef, { minItems: 1, maxItems: 100, uniqueItems: true, description });

const Origin = Type.String({ maxLength: 200, pattern: '^https?://[^/\\s]+$' });

export const ApiKey = named(
  'ApiKey',
  Type.Object({
    id: Id,
    name: Type.String(),
    prefix: Type.String({ description: 'The public start of the key, to recognise it' }),
    allowedOrigins: Type.Array(Type.String()),
    maxRole: Role,
    projects: Type.Union([Type.Array(Id), Type.Null()], { description: 'The projects the key (and every embed token it mints) is limited to; null: all' }),
    createdAt: Timestamp,
    lastUsedAt: Type.Union([Timestamp, Type.Null()]),
    revokedAt: Type.Union([Timestamp, Type.Null()]),
  }),
);

export const ApiKeyCreate = Strict({
  name: Name,
  allowedOrigins: Type.Optional(Type.Array(Origin, { maxItems: 20, uniqueItems: true })),
  maxRole: Type.Optional(Role),
  projects: Type.Optional(limitedProjects()),
});

export const CreatedApiKey = named(
  'CreatedApiKey',
  Type.Object({
    apiKey: ApiKey,
    key: Type.String({ description: 'The secret key. It is shown only once.' }),
  }),
);
