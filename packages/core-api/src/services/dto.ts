import type { ApiKey, User, Workspace } from '../models/index.js';

/** Shapes rows into API objects field by field, so a new column never leaks by accident. */
export function toUserDto(user: User) {
  return {
    id: user.id,
    workspaceId: user.workspaceId,
    name: user.name,
    email: user.email,
    role: user.role,
    active: user.active,
    externalId: user.externalId,
    timezone: user.timezone,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export function toWorkspaceDto(workspace: Workspace) {
  return { id: workspace.id, name: workspace.name, createdAt: workspace.createdAt.toISOString() };
}

export function toApiKeyDto(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    allowedOrigins: key.allowedOrigins,
    maxRole: key.maxRole,
    projects: key.projectIds?.map(Number) ?? null,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
