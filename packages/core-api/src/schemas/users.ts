import { Type, type Static } from '@sinclair/typebox';
import { Email, Id, Name, Password, Role, Strict, Timestamp, named } from './common.js';

export const User = named(
  'User',
  Type.Object({
    id: Id,
    workspaceId: Id,
    name: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    role: Role,
    active: Type.Boolean(),
    externalId: Type.Union([Type.String(), Type.Null()]),
    timezone: Type.String({ description: 'IANA time zone: digests, reminders and recurrences follow its local time' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export type UserDto = Static<typeof User>;

export const UserCreate = Strict({
  name: Name,
  email: Email,
  role: Role,
  password: Type.Optional(Password),
});

export const UserUpdate = Strict(
  {
    name: Type.Optional(Name),
    role: Type.Optional(Role),
    active: Type.Optional(Type.Boolean()),
  },
  { minProperties: 1 },
);

export const CreatedUser = Type.Object({
  user: User,
  temporaryPassword: Type.Optional(Type.String({ description: 'Shown once when no password was given' })),
});

export const UserListQuery = Strict({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  role: Type.Optional(Role),
  active: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});
