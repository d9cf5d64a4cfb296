import DataLoader from 'dataloader';
import type { Caller } from '../domain/caller.js';
import type { Services } from '../services/index.js';
import type { TaskRow } from '../services/taskRows.js';
import type { ProjectDto } from '../schemas/projects.js';
import { toProjectDto } from '../services/projects.js';
import type { ReactionDto } from '../services/reactions.js';
import type { AttachmentDto } from '../schemas/attachments.js';

export type UserDto = Awaited<ReturnType<Services['users']['get']>>;
export type CommentPage = Awaited<ReturnType<Services['comments']['listForTasks']>> extends Map<number, infer P> ? P : never;

/** Which page of a task's comments a field asks for. */
export interface CommentPageKey {
  taskId: number;
  first: number;
  after?: string;
  newestFirst: boolean;
}

/**
 * Per-request batch loaders. Each batch is one service call, and every
 * service query filters by the caller's workspace, so an id from another
 * workspace loads as null, exactly like an unknown one.
 */
export interface Loaders {
  users: DataLoader<number, UserDto | null>;
  tasks: DataLoader<number, TaskRow | null>;
  projects: DataLoader<number, ProjectDto | null>;
  comments: DataLoader<CommentPageKey, CommentPage, string>;
  /** A comment's reactions and files, only when a query asks for them: one query per batch. */
  reactions: DataLoader<number, ReactionDto[]>;
  commentAttachments: DataLoader<number, AttachmentDto[]>;
}

export function createLoaders(services: Services, caller: Caller): Loaders {
  const byId = <T extends { id: number }>(ids: readonly number[], rows: T[]) => {
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  };
  return {
    users: new DataLoader<number, UserDto | null>(async (ids) => byId(ids, await services.users.getMany(caller, ids))),
    tasks: new DataLoader<number, TaskRow | null>(async (ids) => byId(ids, await services.tasks.getMany(caller, ids))),
    projects: new DataLoader<number, ProjectDto | null>(async (ids) => byId(ids, (await services.projects.getMany(caller, ids)).map((row) => toProjectDto(row, caller)))),
    /** Comment pages: one query per distinct (first, after, order) in the batch, whatever the number of tasks. */
    comments: new DataLoader<CommentPageKey, CommentPage, string>(
      async (keys) => {
        const groups = new Map<string, CommentPageKey[]>();
        for (const key of keys) {
          const group = `${key.first}|${key.after ?? ''}|${key.newestFirst}`;
          groups.set(group, [...(groups.get(group) ?? []), key]);
        }
        const pages = new Map<string, CommentPage>();
        await Promise.all(
          [...groups.values()].map(async (group) => {
            const { first, after, newestFirst } = group[0]!;
            const found = await services.comments.listForTasks(
              caller,
              group.map((key) => key.taskId),
              { limit: first, cursor: after, newestFirst, withExtras: false },
            );
            for (const key of group) pages.set(commentKey(key), found.get(key.taskId)!);
          }),
        );
        return keys.map((key) => pages.get(commentKey(key))!);
      },
      { cacheKeyFn: commentKey },
    ),
    reactions: new DataLoader<number, ReactionDto[]>(async (ids) => {
      const found = await services.reactions.forComments(services.knex, caller, ids);
      return ids.map((id) => found.get(id) ?? []);
    }),
    commentAttachments: new DataLoader<number, AttachmentDto[]>(async (ids) => {
      const found = await services.attachments.forComments(caller, ids);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}

function commentKey(key: CommentPageKey): string {
  return `${key.taskId}|${key.first}|${key.after ?? ''}|${key.newestFirst}`;
}
