import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { fieldError, notFound } from '../domain/errors.js';
import { appendEvent } from '../events/append.js';
import {
  NOTIFICATION_KINDS,
  type ChannelsPatch,
  type EmailDigest,
  type NotificationDefaultsDto,
  type NotificationDefaultsPatch,
  type NotificationKind,
  type NotificationPreferencesDto,
  type NotificationPreferencesPatch,
} from '../schemas/notificationPreferences.js';
import { BUILT_IN_CHANNELS, isTimeZone, mergeChannels, type StoredDefaults } from './notificationChannels.js';

interface Stored {
  timezone: string;
  channels: ChannelsPatch | null;
  emailDigest: EmailDigest | null;
  defaults: StoredDefaults | null;
  taskUrlTemplate: string | null;
}

/** Only what a patch names, as stored: a user's overrides stay overrides when the workspace's defaults move. */
function mergePatch(stored: ChannelsPatch | null | undefined, patch: ChannelsPatch | undefined): ChannelsPatch {
  const result: ChannelsPatch = {};
  for (const kind of NOTIFICATION_KINDS) {
    const entry = { ...stored?.[kind], ...patch?.[kind] };
    if (Object.keys(entry).length) result[kind] = entry;
  }
  return result;
}

/**
 * Who hears of what, and how: a user's choices per kind and channel over
 * the workspace's defaults (admins set them) over the built-in ones
 * (services/notificationChannels.ts), the email digest and the user's time zone.
 */
export class NotificationPreferenceService {
  constructor(
    private readonly knex: Knex,
    /** Whether the server can send email (SMTP_URL and MAIL_FROM set). */
    private readonly emailAvailable: boolean,
  ) {}

  async get(caller: Caller): Promise<NotificationPreferencesDto> {
    return this.toDto(await this.read(this.knex, caller.workspaceId, caller.userId));
  }

  update(caller: Caller, patch: NotificationPreferencesPatch): Promise<NotificationPreferencesDto> {
    if (patch.timezone !== undefined && !isTimeZone(patch.timezone)) throw fieldError('timezone', 'is not a known IANA time zone');
    return this.write(caller.workspaceId, caller.userId, caller.userId, patch);
  }

  /** The one-click unsubscribe (signed link, no session): that kind's email off, or all email for a digest. */
  unsubscribe(workspaceId: number, userId: number, kind: NotificationKind | 'all') {
    const kinds = kind === 'all' ? NOTIFICATION_KINDS : [kind];
    const channels = Object.fromEntries(kinds.map((k) => [k, { email: false }])) as NotificationPreferencesPatch['channels'];
    return this.write(workspaceId, userId, userId, { channels });
  }

  async defaults(caller: Caller): Promise<NotificationDefaultsDto> {
    const row = (await this.knex('workspaces').where({ id: caller.workspaceId }).first('notificationDefaults', 'taskUrlTemplate')) as
      | { notificationDefaults: StoredDefaults | null; taskUrlTemplate: string | null }
      | undefined;
    if (!row) throw notFound('Workspace');
    return toDefaultsDto(row.notificationDefaults, row.taskUrlTemplate);
  }

  /** Admins only (the route says so). Users' own choices keep winning over these. */
  updateDefaults(caller: Caller, patch: NotificationDefaultsPatch): Promise<NotificationDefaultsDto> {
    if (patch.taskUrlTemplate && !/\{(identifier|id)\}/.test(patch.taskUrlTemplate)) {
      throw fieldError('taskUrlTemplate', 'must contain {identifier} or {id}');
    }
    return this.knex.transaction(async (trx) => {
      const row = (await trx('workspaces').where({ id: caller.workspaceId }).forUpdate().first('notificationDefaults', 'taskUrlTemplate')) as {
        notificationDefaults: StoredDefaults | null;
        taskUrlTemplate: string | null;
      };
      const stored: StoredDefaults = {
        channels: mergePatch(row.notificationDefaults?.channels, patch.channels),
        ...(patch.emailDigest ?? row.notificationDefaults?.emailDigest ? { emailDigest: patch.emailDigest ?? row.notificationDefaults?.emailDigest } : {}),
      };
      const taskUrlTemplate = patch.taskUrlTemplate === undefined ? row.taskUrlTemplate : patch.taskUrlTemplate;
      await trx('workspaces').where({ id: caller.workspaceId }).update({ notificationDefaults: JSON.stringify(stored), taskUrlTemplate });
      const defaults = toDefaultsDto(stored, taskUrlTemplate);
      await appendEvent(trx, {
        workspaceId: caller.workspaceId,
        type: 'workspace.notification_defaults_updated',
        actorId: caller.userId,
        payload: { defaults },
      });
      return defaults;
    });
  }

  private write(workspaceId: number, userId: number, actorId: number, patch: NotificationPreferencesPatch): Promise<NotificationPreferencesDto> {
    return this.knex.transaction(async (trx) => {
      const before = await this.read(trx, workspaceId, userId, true);
      if (patch.timezone !== undefined && patch.timezone !== before.timezone) {
        await trx('users').where({ workspaceId, id: userId }).update({ timezone: patch.timezone, updatedAt: new Date() });
      }
      const channels = mergePatch(before.channels, patch.channels);
      const emailDigest = patch.emailDigest ?? before.emailDigest;
      await trx('notificationPreferences')
        .insert({ workspaceId, userId, channels: JSON.stringify(channels), emailDigest, updatedAt: new Date() })
        .onConflict('userId')
        .merge(['channels', 'emailDigest', 'updatedAt']);
      const preferences = this.toDto({ ...before, timezone: patch.timezone ?? before.timezone, channels, emailDigest });
      await appendEvent(trx, { workspaceId, type: 'notification.preferences_updated', actorId, userId, payload: { preferences } });
      return preferences;
    });
  }

  private async read(db: Knex, workspaceId: number, userId: number, lock = false): Promise<Stored> {
    const query = db('users as u')
      .join('workspaces as w', 'w.id', 'u.workspaceId')
      .leftJoin('notificationPreferences as p', 'p.userId', 'u.id')
      .where({ 'u.workspaceId': workspaceId, 'u.id': userId })
      .first('u.timezone', 'p.channels', 'p.emailDigest', 'w.notificationDefaults as defaults', 'w.taskUrlTemplate');
    // Two writes at once must not lose one's kinds: the user's row serializes them.
    if (lock) query.forUpdate('u');
    const row = (await query) as Stored | undefined;
    if (!row) throw notFound('User');
    return row;
  }

  private toDto(stored: Stored): NotificationPreferencesDto {
    return {
      channels: mergeChannels(BUILT_IN_CHANNELS, stored.defaults?.channels, stored.channels),
      emailDigest: stored.emailDigest ?? stored.defaults?.emailDigest ?? 'off',
      timezone: stored.timezone,
      emailAvailable: this.emailAvailable,
      kinds: [...NOTIFICATION_KINDS],
    };
  }
}

function toDefaultsDto(stored: StoredDefaults | null, taskUrlTemplate: string | null): NotificationDefaultsDto {
  return {
    channels: mergeChannels(BUILT_IN_CHANNELS, stored?.channels),
    emailDigest: stored?.emailDigest ?? 'off',
    taskUrlTemplate,
  };
}
