import type { Knex } from 'knex';
import type { WebhookConfig } from '../../config.js';
import type { Caller } from '../../domain/caller.js';
import { DomainError, fieldError, notFound } from '../../domain/errors.js';
import { appendEvent } from '../../events/append.js';
import { WEBHOOK_EVENT_TYPES, type EventType } from '../../schemas/eventCatalog.js';
import { toEndpointDto } from './dto.js';
import { UnsafeDestinationError, assertSafeUrl } from './destinations.js';
import { resumePaused } from './paused.js';
import { generateSecret } from './signing.js';
import { WEBHOOK_ENDPOINT_COLUMNS, WebhookEndpoint, type WebhookEndpointRow } from '../../models/WebhookEndpoint.js';
import { Project } from '../../models/Project.js';

/** Most endpoints one workspace may have. */
export const MAX_ENDPOINTS_PER_WORKSPACE = 20;
/** How long the old secret keeps signing after a rotation, unless told otherwise. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 86_400;

export interface EndpointInput {
  url: string;
  description?: string;
  eventTypes?: string[];
  changedFields?: string[];
  projectIds?: number[] | null;
  enabled?: boolean;
}

/** Webhook endpoints of a workspace and their secrets. Admin-only, enforced by the routes. */
export class WebhookEndpointService {
  constructor(
    private readonly knex: Knex,
    private readonly config: WebhookConfig,
  ) {}

  eventTypes() {
    return { data: WEBHOOK_EVENT_TYPES.map((entry) => ({ ...entry })) };
  }

  async list(caller: Caller) {
    const rows = (await WebhookEndpoint.rows(this.knex)
      .where('workspaceId', caller.workspaceId)
      .orderBy('id')
      .select(WEBHOOK_ENDPOINT_COLUMNS)) as WebhookEndpointRow[];
    return { data: rows.map(toEndpointDto), nextCursor: null };
  }

  async get(caller: Caller, id: number) {
    return toEndpointDto(await this.find(this.knex, caller, id));
  }

  async create(caller: Caller, input: EndpointInput) {
    const url = await this.checkedUrl(input.url);
    const secret = generateSecret();
    const row = await this.knex.transaction(async (trx) => {
      // Serialises creations per workspace so the limit holds under concurrency.
      await trx.raw(`select pg_advisory_xact_lock(hashtextextended('taskbase.webhooks.' || ?::text, 0))`, [caller.workspaceId]);
      const counted = (await WebhookEndpoint.rows(trx).where('workspaceId', caller.workspaceId).count({ count: '*' })) as Array<{ count: number }>;
      if (Number(counted[0]!.count) >= MAX_ENDPOINTS_PER_WORKSPACE) {
        throw new DomainError(409, {
          code: 'limit_reached',
          detail: `A workspace may have at most ${MAX_ENDPOINTS_PER_WORKSPACE} webhook endpoints`,
        });
      }
      const [created] = (await WebhookEndpoint.rows(trx)
        .insert({
          workspaceId: caller.workspaceId,
          url,
          description: input.description?.trim() ?? '',
          eventTypes: input.eventTypes ?? [],
          changedFields: input.changedFields ?? [],
          projectIds: input.projectIds ? await this.checkedProjects(trx, caller, input.projectIds) : null,
          enabled: input.enabled ?? true,
          secret,
          createdBy: caller.userId,
        })
        .returning(WEBHOOK_ENDPOINT_COLUMNS)) as WebhookEndpointRow[];
      await this.event(trx, caller, 'webhook.endpoint_created', created!);
      return created!;
    });
    return { endpoint: toEndpointDto(row), secret };
  }

  async update(caller: Caller, id: number, input: Partial<EndpointInput>) {
    const url = input.url === undefined ? undefined : await this.checkedUrl(input.url);
    const row = await this.knex.transaction(async (trx) => {
      const current = await this.find(trx, caller, id, true);
      const patch: Record<string, unknown> = { updatedAt: trx.fn.now(3) };
      if (url !== undefined) patch.url = url;
      if (input.description !== undefined) patch.description = input.description.trim();
      if (input.eventTypes !== undefined) patch.eventTypes = input.eventTypes;
      if (input.changedFields !== undefined) patch.changedFields = input.changedFields;
      if (input.projectIds !== undefined) patch.projectIds = input.projectIds && (await this.checkedProjects(trx, caller, input.projectIds));
      if (input.enabled !== undefined) {
        patch.enabled = input.enabled;
        // Enabling starts afresh; disabling by hand gives no machine reason.
        patch.disabledReason = input.enabled ? null : 'Disabled by an administrator';
        if (input.enabled && !current.enabled) patch.failingSince = null;
      }
      const [updated] = (await WebhookEndpoint.rows(trx)
        .where({ workspaceId: caller.workspaceId, id })
        .update(patch)
        .returning(WEBHOOK_ENDPOINT_COLUMNS)) as WebhookEndpointRow[];
      if (input.enabled && !current.enabled) await resumePaused(trx, caller.workspaceId, id, this.config.pausedDays);
      await this.event(trx, caller, 'webhook.endpoint_updated', updated!);
      return updated!;
    });
    return toEndpointDto(row);
  }

  async remove(caller: Caller, id: number): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = await this.find(trx, caller, id, true);
      await WebhookEndpoint.rows(trx).where({ workspaceId: caller.workspaceId, id }).delete();
      await this.event(trx, caller, 'webhook.endpoint_deleted', row);
    });
  }

  /** The signing secrets, for an admin configuring a receiver. */
  async secret(caller: Caller, id: number) {
    const row = await this.find(this.knex, caller, id);
    const overlapping = row.previousSecretExpiresAt !== null && row.previousSecretExpiresAt > new Date();
    return {
      secret: row.secret,
      previousSecret: overlapping ? row.previousSecret : null,
      previousSecretExpiresAt: overlapping ? row.previousSecretExpiresAt!.toISOString() : null,
    };
  }

  /**
   * Replaces the secret. For `overlapSeconds` the old one keeps signing too
   * (two signatures per request), so receivers can switch without a gap.
   */
  async rotateSecret(caller: Caller, id: number, overlapSeconds = DEFAULT_ROTATION_OVERLAP_SECONDS) {
    const secret = generateSecret();
    await this.knex.transaction(async (trx) => {
      const row = await this.find(trx, caller, id, true);
      const [updated] = (await WebhookEndpoint.rows(trx)
        .where({ workspaceId: caller.workspaceId, id })
        .update({
          secret,
          previousSecret: overlapSeconds > 0 ? row.secret : null,
          previousSecretExpiresAt: overlapSeconds > 0 ? trx.raw('now() + make_interval(secs => ?)', [overlapSeconds]) : null,
          updatedAt: trx.fn.now(3),
        })
        .returning(WEBHOOK_ENDPOINT_COLUMNS)) as WebhookEndpointRow[];
      await this.event(trx, caller, 'webhook.secret_rotated', updated!);
    });
    return this.secret(caller, id);
  }

  private async checkedUrl(raw: string): Promise<string> {
    try {
      return (await assertSafeUrl(raw, this.config.allowPrivate)).toString();
    } catch (error) {
      if (error instanceof UnsafeDestinationError) throw fieldError('url', error.message);
      throw error;
    }
  }

  private async find(db: Knex, caller: Caller, id: number, lock = false): Promise<WebhookEndpointRow> {
    const query = WebhookEndpoint.rows(db).where({ workspaceId: caller.workspaceId, id }).first(WEBHOOK_ENDPOINT_COLUMNS);
    if (lock) query.forUpdate();
    const row = (await query) as WebhookEndpointRow | undefined;
    if (!row) throw notFound('Webhook endpoint');
    return row;
  }

  private event(trx: Knex.Transaction, caller: Caller, type: EventType, row: WebhookEndpointRow) {
    return appendEvent(trx, { workspaceId: caller.workspaceId, type, actorId: caller.userId, payload: { endpoint: toEndpointDto(row) } });
  }

  /** Project ids of the caller's workspace, or a 422 naming the first that is not. */
  private async checkedProjects(trx: Knex, caller: Caller, ids: number[]): Promise<number[]> {
    const found = new Set(((await Project.rows(trx).where('workspaceId', caller.workspaceId).whereIn('id', ids).select('id')) as Array<{ id: number }>).map((row) => Number(row.id)));
    const missing = ids.findIndex((id) => !found.has(id));
    if (missing >= 0) throw fieldError(`projectIds/${missing}`, 'is not a project of this workspace');
    return ids;
  }
}
