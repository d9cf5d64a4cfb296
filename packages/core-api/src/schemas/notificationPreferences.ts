import { Type, type Static } from '@sinclair/typebox';
import { StringEnum, Strict, named } from './common.js';

/** The kinds a person can turn on and off, in the order a preference center shows them. */
export const NOTIFICATION_KINDS = ['assigned', 'mentioned', 'commented', 'status_changed', 'due_soon', 'overdue', 'reminder', 'watched_change'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const EMAIL_DIGESTS = ['off', 'hourly', 'daily'] as const;
export type EmailDigest = (typeof EMAIL_DIGESTS)[number];

/** An IANA time zone name (checked against the runtime's zone list too). */
export const TimeZone = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z][A-Za-z0-9_+\\-/]*$', description: 'IANA time zone, e.g. Europe/Berlin' });

export const Channel = Type.Object({ inApp: Type.Boolean(), email: Type.Boolean() });
export const ChannelPatch = Strict({ inApp: Type.Optional(Type.Boolean()), email: Type.Optional(Type.Boolean()) });
const kindsOf = <T extends typeof Channel | typeof ChannelPatch>(schema: T, optional: boolean) =>
  Strict(Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, optional ? Type.Optional(schema) : schema])) as Record<NotificationKind, T>);

export const Channels = named('NotificationChannels', kindsOf(Channel, false));
export type ChannelsDto = Record<NotificationKind, { inApp: boolean; email: boolean }>;
export type ChannelsPatch = Partial<Record<NotificationKind, { inApp?: boolean; email?: boolean }>>;
export const ChannelsPatchSchema = kindsOf(ChannelPatch, true);

export const NotificationPreferences = named(
  'NotificationPreferences',
  Type.Object({
    channels: Channels,
    emailDigest: StringEnum(EMAIL_DIGESTS),
    timezone: Type.String({ description: 'IANA time zone: digests are sent at its local hours' }),
    emailAvailable: Type.Boolean({ description: 'False when the server has no SMTP settings: no email is sent, whatever the channels say' }),
    kinds: Type.Array(Type.String(), { description: 'The kinds, in display order' }),
  }),
);
export type NotificationPreferencesDto = Static<typeof NotificationPreferences>;

export const NotificationPreferencesUpdate = Strict(
  {
    channels: Type.Optional(ChannelsPatchSchema),
    emailDigest: Type.Optional(StringEnum(EMAIL_DIGESTS, { description: 'off: one email per notification; hourly/daily: one email per period, grouped by task (daily at 08:00 local time)' })),
    timezone: Type.Optional(TimeZone),
  },
  { minProperties: 1 },
);
export type NotificationPreferencesPatch = Static<typeof NotificationPreferencesUpdate>;

export const NotificationDefaults = named(
  'NotificationDefaults',
  Type.Object({
    channels: Channels,
    emailDigest: StringEnum(EMAIL_DIGESTS),
    taskUrlTemplate: Type.Union([Type.String(), Type.Null()], {
      description: "Links in emails to embedded users (those with an externalId) point here: the host app's task URL with {identifier} and/or {id}",
    }),
  }),
);
export type NotificationDefaultsDto = Static<typeof NotificationDefaults>;

export const NotificationDefaultsUpdate = Strict(
  {
    channels: Type.Optional(ChannelsPatchSchema),
    emailDigest: Type.Optional(StringEnum(EMAIL_DIGESTS)),
    taskUrlTemplate: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 500, pattern: '^https?://', description: 'An http(s) URL with {identifier} or {id}' }), Type.Null()]),
    ),
  },
  { minProperties: 1 },
);
export type NotificationDefaultsPatch = Static<typeof NotificationDefaultsUpdate>;
