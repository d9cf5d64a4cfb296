import {
  NOTIFICATION_KINDS,
  type ChannelsDto,
  type ChannelsPatch,
  type EmailDigest,
  type NotificationKind,
} from '../schemas/notificationPreferences.js';

/** Which preference a notification type counts under; unknown types are 'other' (in-app only). */
const TYPE_KINDS: Record<string, NotificationKind> = {
  'task.assigned': 'assigned',
  'comment.mention': 'mentioned',
  'comment.created': 'commented',
  'task.status_changed': 'status_changed',
  'task.due_soon': 'due_soon',
  'task.overdue': 'overdue',
  'task.reminder': 'reminder',
  'task.watched_change': 'watched_change',
};

export function kindOf(type: string): NotificationKind | 'other' {
  return TYPE_KINDS[type] ?? 'other';
}

/**
 * Built-in defaults: everything in the bell; email only for what asks for
 * the person (assignments, mentions, their reminders, overdue work). The
 * chattier kinds — comments, status changes, due soon, other edits of
 * watched tasks — stay in the bell unless turned on.
 */
const EMAIL_BY_DEFAULT = new Set<NotificationKind>(['assigned', 'mentioned', 'reminder', 'overdue']);
export const BUILT_IN_CHANNELS: ChannelsDto = Object.fromEntries(
  NOTIFICATION_KINDS.map((kind) => [kind, { inApp: true, email: EMAIL_BY_DEFAULT.has(kind) }]),
) as ChannelsDto;

/** Daily digests go out at this local hour. */
export const DAILY_DIGEST_HOUR = 8;

/** Layers partial channel settings over a full set (unknown kinds and non-booleans are ignored). */
export function mergeChannels(base: ChannelsDto, ...layers: Array<ChannelsPatch | null | undefined>): ChannelsDto {
  const result = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, { ...base[kind] }])) as ChannelsDto;
  for (const layer of layers) {
    if (!layer || typeof layer !== 'object') continue;
    for (const kind of NOTIFICATION_KINDS) {
      const entry = layer[kind];
      if (!entry) continue;
      if (typeof entry.inApp === 'boolean') result[kind].inApp = entry.inApp;
      if (typeof entry.email === 'boolean') result[kind].email = entry.email;
    }
  }
  return result;
}

/** A workspace's stored defaults (`workspaces.notification_defaults`). */
export interface StoredDefaults {
  channels?: ChannelsPatch;
  emailDigest?: EmailDigest;
}

/** Where a kind goes for one recipient, from the workspace's defaults and the user's own choices. */
export function routeFor(
  kind: NotificationKind | 'other',
  defaults: StoredDefaults | null | undefined,
  own: { channels?: ChannelsPatch | null; emailDigest?: EmailDigest | null },
): { inApp: boolean; email: boolean; digest: EmailDigest } {
  const digest = own.emailDigest ?? defaults?.emailDigest ?? 'off';
  if (kind === 'other') return { inApp: true, email: false, digest };
  const channels = mergeChannels(BUILT_IN_CHANNELS, defaults?.channels, own.channels);
  return { ...channels[kind], digest };
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Milliseconds the zone's wall clock is ahead of UTC at `at`. */
export function zoneOffsetMs(timeZone: string, at: number): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant a wall-clock time (as UTC milliseconds) happens in a zone; in a DST gap, the hour after. */
function wallToInstant(timeZone: string, wall: number): number {
  const guess = wall - zoneOffsetMs(timeZone, wall);
  return wall - zoneOffsetMs(timeZone, guess);
}

/**
 * When a digest holding something queued at `now` goes out: the next local
 * full hour (hourly), or the next DAILY_DIGEST_HOUR:00 local time (daily).
 */
export function digestReleaseAt(now: Date, timeZone: string, digest: 'hourly' | 'daily'): Date {
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  const wallNow = now.getTime() + zoneOffsetMs(zone, now.getTime());
  const hour = 3_600_000;
  if (digest === 'hourly') return new Date(wallToInstant(zone, Math.floor(wallNow / hour) * hour + hour));
  const day = 86_400_000;
  let wall = Math.floor(wallNow / day) * day + DAILY_DIGEST_HOUR * hour;
  if (wall <= wallNow) wall += day;
  return new Date(wallToInstant(zone, wall));
}
