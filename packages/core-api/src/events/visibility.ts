import type { Knex } from 'knex';
import type { Caller } from '../domain/caller.js';
import { EVENT_CATALOG, type EventType } from '../schemas/eventCatalog.js';
import { canSeeProject, visibleProjectIds, seesEveryProject } from '../models/Project.js';
import type { BusEvent } from './bus.js';

/** Who is looking: the same rules serve WebSockets, GET /api/events, GraphQL and webhooks. */
export type Viewer = Pick<Caller, 'userId' | 'workspaceId' | 'role' | 'projectIds'>;

/** Event types every member of a workspace may see (the catalog's `workspace` audience). */
const SHARED_TYPES: readonly string[] = (Object.keys(EVENT_CATALOG) as EventType[]).filter((type) => EVENT_CATALOG[type].audience === 'workspace');

/**
 * Whether a viewer may see an event, as JavaScript (live delivery). Its SQL
 * twin is `visibleTo` below; one test holds the two equal.
 *
 * Same workspace; an event addressed to one user (a notification) only for
 * that user; administration (keys, the workspace, webhook endpoints) only
 * for admins. A type the catalog does not know is for admins only. An
 * event of a project only for those who see the project (private projects:
 * members and admins; a caller limited to projects: those).
 */
export function canSee(viewer: Viewer, event: Pick<BusEvent, 'workspaceId' | 'userId' | 'type' | 'projectId' | 'privateMembers'>): boolean {
  if (event.workspaceId !== viewer.workspaceId) return false;
  if (event.projectId !== null && !canSeeProject(viewer, { projectId: event.projectId, privateMembers: event.privateMembers ?? null })) return false;
  if (event.userId !== null) return event.userId === viewer.userId;
  return viewer.role === 'admin' || SHARED_TYPES.includes(event.type);
}

/** `canSee` as SQL: narrows a query of the events table to what the viewer may see. */
export function visibleTo<Q extends Knex.QueryBuilder>(query: Q, viewer: Viewer): Q {
  if (!seesEveryProject(viewer)) {
    query.where((project) => project.whereNull('projectId').orWhereIn('projectId', visibleProjectIds(viewer)));
  }
  return query.where('workspaceId', viewer.workspaceId).where((visible) => {
    visible.where('userId', viewer.userId).orWhere((shared) => {
      shared.whereNull('userId');
      if (viewer.role !== 'admin') shared.whereIn('type', SHARED_TYPES);
    });
  }) as Q;
}
