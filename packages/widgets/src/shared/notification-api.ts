import type { NotificationPreferences } from '@taskbase/sdk';

export type { Notification as NotificationWithKind, NotificationGroup, NotificationPreferences, NotificationPreferencesInput as PreferencesUpdate } from '@taskbase/sdk';
export type Digest = NotificationPreferences['emailDigest'];
/** The channels by kind, read with any kind name (the API's `kinds` may hold one this version does not know). */
export type ChannelsByKind = Record<string, { inApp: boolean; email: boolean }>;
