import type { Knex } from 'knex';
import type { Caller, Role } from '../domain/caller.js';
import { DomainError, fieldError, forbidden, notFound, unauthorized } from '../domain/errors.js';
import { ApiKey, User } from '../models/index.js';
import { randomSecret, safeEqual, sha256 } from './crypto.js';
import { toApiKeyDto, toUserDto } from './dto.js';
import type { ProjectViewer } from '../models/Project.js';
import type { ProjectService } from './projects.js';
import { appendEvent } from '../events/append.js';
import { lowerRole, roleAtLeast } from './roles.js';
import type { AccessTokens } from './tokens.js';
import type { UserStatusCache } from './userStatus.js';

const KEY_PATTERN = /^(tb_sk_[A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{43})$/;

export interface EmbedUserInput {
  externalId: string;
  name: string;
  email?: string;
  role?: Role;
  projects?: string[];
}

/**
 * Server-side API keys and the embed-token exchange. A key reads
 * `tb_sk_<8-char prefix>_<secret>`: the prefix finds the row, the whole key
 * is compared by hash in constant time.
 */
export class ApiKeyService {
  private originsCache: { origins: Set<string>; expires: number } | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly tokens: AccessTokens,
    private readonly embedTtlSeconds: number,
    private readonly userStatus: UserStatusCache,
    private readonly projects: ProjectService,
  ) {}

  async create(caller: Caller, input: { name: string; allowedOrigins?: string[]; maxRole?: Role; projects?: string[] }) {
    const projectIds = input.projects ? await this.projectIds(caller, input.projects) : null;
    const prefix = `tb_sk_${randomSecret(6)}`;
    const key = `${prefix}_${randomSecret(32)}`;
    const row = await this.knex.transaction(async (trx) => {
      const created = await ApiKey.query(trx).insertAndFetch({
        workspaceId: caller.workspaceId,
        name: input.name.trim(),
        prefix,
        keyHash: sha256(key),
        allowedOrigins: input.allowedOrigins ?? [],
        maxRole: input.maxRole ?? 'member',
        projectIds,
        createdBy: caller.userId,
      });
      await appendEvent(trx, {
        workspaceId: caller.workspaceId,
        type: 'api_key.created',
        actorId: caller.userId,
        payload: { apiKey: toApiKeyDto(created) },
      });
      return created;
    });
    this.originsCache = undefined;
    return { apiKey: toApiKeyDto(row), key };
  }

  async list(caller: Caller) {
    const rows = await ApiKey.query(this.knex).where('workspaceId', caller.workspaceId).orderBy('id', 'desc');
    return { data: rows.map(toApiKeyDto), nextCursor: null };
  }

  async revoke(caller: Caller, id: number): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const key = await ApiKey.query(trx).where({ id, workspaceId: caller.workspaceId }).first();
      if (!key) throw notFound('API key');
      if (key.revokedAt) return;
      await ApiKey.query(trx).patch({ revokedAt: new Date() }).where({ id, workspaceId: caller.workspaceId });
      await appendEvent(trx, {
        workspaceId: caller.workspaceId,
        type: 'api_key.revoked',
        actorId: caller.userId,
        payload: { apiKey: { id, name: key.name, prefix: key.prefix } },
      });
    });
    this.originsCache = undefined;
  }

  /** Finds the active key a presented secret belongs to, or throws 401. */
  async authenticate(presented: string | undefined): Promise<ApiKey> {
    const invalid = unauthorized('The API key is missing, malformed, revoked or unknown', 'invalid_api_key');
    const match = presented ? KEY_PATTERN.exec(presented) : null;
    if (!match) throw invalid;
    const key = await ApiKey.query(this.knex).where('prefix', match[1]!).first();
    if (!key || key.revokedAt || !safeEqual(key.keyHash, sha256(presented!))) throw invalid;
    return key;
  }

  /** Upserts the host app's user in the key's workspace and mints a short-lived token for them. */
  async embedToken(presentedKey: string | undefined, input: EmbedUserInput) {
    const key = await this.authenticate(presentedKey);
    const role = input.role ?? 'member';
    if (!roleAtLeast(key.maxRole, role)) {
      throw forbidden(`This API key may mint tokens up to the ${key.maxRole} role`);
    }
    const projectIds = await this.tokenProjects(key, input.projects);
    const user = await this.knex.transaction(async (trx) => {
      await ApiKey.query(trx).patch({ lastUsedAt: new Date() }).where({ id: key.id, workspaceId: key.workspaceId });
      const before = await User.query(trx).where({ workspaceId: key.workspaceId, externalId: input.externalId }).forUpdate().first();
      // One statement, so two first requests for the same host user cannot both insert.
      const result = await trx.raw(
        `insert into users (workspace_id, external_id, name, email, role) values (?, ?, ?, ?, ?)
         on conflict (workspace_id, external_id) where external_id is not null
         do update set name = excluded.name, email = excluded.email, updated_at = now(),
           -- The host app owns its users' roles, but cannot demote the workspace's last active admin.
           role = case when users.role = 'admin' and excluded.role <> 'admin' and not exists (
             select 1 from users other where other.workspace_id = users.workspace_id
               and other.role = 'admin' and other.active and other.id <> users.id
           ) then users.role else excluded.role end
         where users.active
         returning id, (xmax = 0) as inserted`,
        [key.workspaceId, input.externalId, input.name.trim(), input.email?.trim().toLowerCase() ?? null, role],
      );
      const row = (result.rows as Array<{ id: number; inserted: boolean }>)[0];
      if (!row) throw new DomainError(403, { code: 'account_deactivated', detail: 'This user has been deactivated' });
      const upserted = await User.query(trx).findById(row.id).throwIfNotFound();
      if (row.inserted) {
        await appendEvent(trx, {
          workspaceId: key.workspaceId,
          type: 'user.created',
          actorId: null,
          payload: { user: toUserDto(upserted), via: 'embed' },
        });
      } else if (before && (before.role !== upserted.role || before.name !== upserted.name || before.email !== upserted.email)) {
        // The host app changed its user (a role, a name): open sockets and streams learn it as from any other change.
        await appendEvent(trx, { workspaceId: key.workspaceId, type: 'user.updated', actorId: null, payload: { user: toUserDto(upserted) } });
      }
      return upserted;
    });
    this.userStatus.invalidate(user.id);
    const accessToken = this.tokens.sign(
      {
        userId: user.id,
        workspaceId: user.workspaceId,
        role: lowerRole(user.role, key.maxRole),
        origins: key.allowedOrigins,
        ...(projectIds ? { projectIds } : {}),
        embed: { apiKeyId: key.id, maxRole: key.maxRole },
      },
      this.embedTtlSeconds,
    );
    return { accessToken, tokenType: 'Bearer' as const, expiresIn: this.embedTtlSeconds, user: toUserDto(user), projects: projectIds };
  }

  /** Project references (ids, keys, `ext:…`) as ids of the caller's workspace; an unknown one answers 422 naming it. */
  private async projectIds(viewer: ProjectViewer, refs: string[], field = 'projects'): Promise<number[]> {
    const ids: number[] = [];
    for (const [index, ref] of refs.entries()) {
      try {
        ids.push((await this.projects.get(viewer, ref)).id);
      } catch (error) {
        if (error instanceof DomainError && error.status === 404) throw fieldError(`${field}/${index}`, `is not a project of this workspace: ${ref}`);
        throw error;
      }
    }
    return [...new Set(ids)];
  }

  /** The projects a token is limited to: those asked for, within the key's own limit (or the key's limit). */
  private async tokenProjects(key: ApiKey, refs: string[] | undefined): Promise<number[] | null> {
    const keyLimit = key.projectIds?.map(Number) ?? null;
    if (!refs) return keyLimit;
    const asked = await this.projectIds({ userId: 0, workspaceId: key.workspaceId, role: 'admin' }, refs);
    const outside = keyLimit ? asked.filter((id) => !keyLimit.includes(id)) : [];
    if (outside.length > 0) throw new DomainError(403, { code: 'project_not_allowed', detail: `This API key is limited to other projects than ${outside.join(', ')}` });
    return asked;
  }

  /** Every origin any active key allows, for CORS preflights (cached briefly). */
  async allowedOrigins(): Promise<Set<string>> {
    if (this.originsCache && this.originsCache.expires > Date.now()) return this.originsCache.origins;
    const rows: Array<{ origin: string }> = await ApiKey.rows(this.knex)
      .whereNull('revoked_at')
      .distinct(this.knex.raw('unnest(allowed_origins) as origin'));
    const origins = new Set(rows.map((row) => row.origin));
    this.originsCache = { origins, expires: Date.now() + 10_000 };
    return origins;
  }
}
