import { Type } from '@sinclair/typebox';
import { Id, Name, Role, Strict, Timestamp, named } from './common.js';

const Origin = Type.String({ maxLength: 200, pattern: '^https?://[^/\\s]+$' });

export const ApiKey = named(
  'ApiKey',
  Type.Object({
    id: Id,
    name: Type.String(),
    prefix: Type.String({ description: 'The public start of the key, to recognise it' }),
    allowedOrigins: Type.Array(Type.String()),
    maxRole: Role,
    createdAt: Timestamp,
    lastUsedAt: Type.Union([Timestamp, Type.Null()]),
    revokedAt: Type.Union([Timestamp, Type.Null()]),
  }),
);

export const ApiKeyCreate = Strict({
  name: Name,
  allowedOrigins: Type.Optional(Type.Array(Origin, { maxItems: 20, uniqueItems: true })),
  maxRole: Type.Optional(Role),
});

export const CreatedApiKey = named(
  'CreatedApiKey',
  Type.Object({
    apiKey: ApiKey,
    key: Type.String({ description: 'The secret key. It is shown only once.' }),
  }),
);
