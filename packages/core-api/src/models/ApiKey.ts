import type { Role } from '../domain/caller.js';
import { BaseModel } from './BaseModel.js';

/** A workspace's server-side key for minting embed tokens; the secret is only hashed. */
export class ApiKey extends BaseModel {
  static override tableName = 'api_keys';

  id!: number;
  workspaceId!: number;
  name!: string;
  prefix!: string;
  keyHash!: string;
  allowedOrigins!: string[];
  maxRole!: Role;
  /** Projects the key's embed tokens are limited to; null: all. */
  projectIds!: number[] | null;
  createdBy!: number | null;
  lastUsedAt!: Date | null;
  revokedAt!: Date | null;
  createdAt!: Date;
}
