import type { TSchema } from '@sinclair/typebox';
import {
  Channel,
  ChannelPatch,
  Channels,
  ChannelsPatchSchema,
  NotificationDefaults,
  NotificationDefaultsUpdate,
  NotificationPreferences,
  NotificationPreferencesUpdate,
  type NotificationDefaultsPatch,
  type NotificationPreferencesPatch,
} from '../schemas/notificationPreferences.js';
import { compileValidator } from '../schemas/validate.js';
import { forbidden } from '../domain/errors.js';
import type { GraphqlContext } from './context.js';
import { asArguments, checkArgument, underArgument } from './errors.js';
import { objectType } from './fromSchemas.js';

const named = new Map<TSchema, string>([
  [Channel, 'NotificationChannel'],
  [Channels, 'NotificationChannels'],
  [ChannelPatch, 'NotificationChannelInput'],
  [ChannelsPatchSchema, 'NotificationChannelsInput'],
]);

export const notificationPreferenceTypeDefs = /* GraphQL */ `
  ${objectType('type', 'NotificationChannel', Channel)}
  ${objectType('type', 'NotificationChannels', Channels, { named })}
  ${objectType('type', 'NotificationPreferences', NotificationPreferences, { named })}
  ${objectType('type', 'NotificationDefaults', NotificationDefaults, { named })}
  ${objectType('input', 'NotificationChannelInput', ChannelPatch)}
  ${objectType('input', 'NotificationChannelsInput', ChannelsPatchSchema, { named })}
  ${objectType('input', 'NotificationPreferencesInput', NotificationPreferencesUpdate, { named })}
  ${objectType('input', 'NotificationDefaultsInput', NotificationDefaultsUpdate, { named })}

  extend type Query {
    "Your notification preferences (GET /api/notifications/preferences)."
    notificationPreferences: NotificationPreferences!
    "The workspace's notification defaults (GET /api/workspace/notification-defaults)."
    notificationDefaults: NotificationDefaults!
  }

  extend type Mutation {
    "Changes your notification preferences, merged kind by kind (PUT /api/notifications/preferences)."
    updateNotificationPreferences(input: NotificationPreferencesInput!): NotificationPreferences!
    "Changes the workspace's notification defaults; admins only (PUT /api/workspace/notification-defaults)."
    updateNotificationDefaults(input: NotificationDefaultsInput!): NotificationDefaults!
  }
`;

const validate = {
  preferences: compileValidator(NotificationPreferencesUpdate, 'body'),
  defaults: compileValidator(NotificationDefaultsUpdate, 'body'),
};
const input = underArgument('input');

/** GraphQL sends null for "not given" where REST leaves the field out. */
function dropNulls(value: unknown, keep: readonly string[] = []): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => v !== null || keep.includes(key))
      .map(([key, v]) => [key, dropNulls(v)]),
  );
}

export const notificationPreferenceResolvers = {
  Query: {
    notificationPreferences: (_: unknown, __: unknown, ctx: GraphqlContext) => ctx.services.notificationPreferences.get(ctx.caller),
    notificationDefaults: (_: unknown, __: unknown, ctx: GraphqlContext) => ctx.services.notificationPreferences.defaults(ctx.caller),
  },
  Mutation: {
    updateNotificationPreferences: (_: unknown, args: { input: object }, ctx: GraphqlContext) => {
      const body = checkArgument<NotificationPreferencesPatch>(validate.preferences, dropNulls(args.input) as object, input);
      return asArguments(input, () => ctx.services.notificationPreferences.update(ctx.caller, body));
    },
    updateNotificationDefaults: (_: unknown, args: { input: object }, ctx: GraphqlContext) => {
      if (ctx.caller.role !== 'admin') throw forbidden('Only admins change the workspace’s notification defaults');
      // taskUrlTemplate: null clears it.
      const body = checkArgument<NotificationDefaultsPatch>(validate.defaults, dropNulls(args.input, ['taskUrlTemplate']) as object, input);
      return asArguments(input, () => ctx.services.notificationPreferences.updateDefaults(ctx.caller, body));
    },
  },
};
