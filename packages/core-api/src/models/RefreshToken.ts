import { BaseModel } from './BaseModel.js';

/** A refresh token, stored only as a hash; tokens of one sign-in share a family. */
export class RefreshToken extends BaseModel {
  static override tableName = 'refresh_tokens';

  id!: number;
  workspaceId!: number;
  userId!: number;
  familyId!: string;
  tokenHash!: string;
  expiresAt!: Date;
  usedAt!: Date | null;
  revokedAt!: Date | null;
  createdAt!: Date;
}
