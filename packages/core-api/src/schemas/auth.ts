import { Type } from '@sinclair/typebox';
import { limitedProjects } from './apiKeys.js';
import { Email, Name, Password, Role, Strict, Timestamp, named, Id } from './common.js';
import { User } from './users.js';
import { TimeZone } from './notificationPreferences.js';

export const Workspace = named(
  'Workspace',
  Type.Object({ id: Id, name: Type.String(), createdAt: Timestamp }),
);

export const WorkspaceUpdate = Strict({ name: Name });

export const RegisterBody = Strict({
  name: Name,
  email: Email,
  password: Password,
  workspaceName: Name,
});

export const LoginBody = Strict({
  email: Type.String({ minLength: 1, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 128 }),
});

export const RefreshBody = Strict({ refreshToken: Type.String({ minLength: 1, maxLength: 256 }) });

export const Session = named(
  'Session',
  Type.Object({
    accessToken: Type.String(),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
    refreshToken: Type.String(),
    user: User,
    workspace: Workspace,
  }),
);

export const Me = named('Me', Type.Object({ user: User, workspace: Workspace }));

/** PATCH /api/auth/me: the caller, and after a password change a fresh session (every earlier one has ended). */
export const UpdatedMe = named(
  'UpdatedMe',
  Type.Object({
    user: User,
    workspace: Workspace,
    session: Type.Optional(Type.Composite([Type.Omit(Session, ['refreshToken']), Type.Object({ refreshToken: Type.Optional(Type.String()) })])),
  }),
);

export const UpdateMeBody = Strict(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    newPassword: Type.Optional(Password),
    timezone: Type.Optional(TimeZone),
  },
  { minProperties: 1 },
);

export const EmbedTokenBody = Strict({
  externalId: Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' }),
  name: Name,
  email: Type.Optional(Email),
  role: Type.Optional(Role),
  projects: Type.Optional(limitedProjects('Narrow the token to these projects (within the key’s own limit): it then sees and creates tasks only there')),
});

export const EmbedToken = named(
  'EmbedToken',
  Type.Object({
    accessToken: Type.String(),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer(),
    user: User,
    projects: Type.Union([Type.Array(Id), Type.Null()], { description: 'The projects the token is limited to; null: every project the user sees' }),
  }),
);
