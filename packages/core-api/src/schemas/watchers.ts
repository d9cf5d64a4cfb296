import { Type, type Static } from '@sinclair/typebox';
import { Id, Strict, Timestamp, named } from './common.js';
import { TaskRefParams } from './tasks.js';

export const Watcher = named('Watcher', Type.Object({ userId: Id, name: Type.String(), createdAt: Timestamp }));
export type WatcherDto = Static<typeof Watcher>;

export const WatcherList = named('WatcherList', Type.Object({ data: Type.Array(Watcher), watching: Type.Boolean({ description: 'Whether the caller watches the task' }) }));

export const WatcherAdd = Strict({ userId: Type.Optional(Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991, description: 'Who starts watching; yourself when left out (managers and admins may add anyone who sees the task)' })) });

export const WatcherParams = Strict({
  id: TaskRefParams.properties.id,
  userId: Type.String({ pattern: '^(me|[1-9][0-9]{0,15})$', description: '`me` or a user id' }),
});
export type WatcherAddInput = Static<typeof WatcherAdd>;
