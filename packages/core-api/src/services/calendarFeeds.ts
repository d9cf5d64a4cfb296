import type { Knex } from 'knex';
import ical from 'ical-generator';
import type { Caller, Role } from '../domain/caller.js';
import { DomainError, fieldError, notFound } from '../domain/errors.js';
import { appendEvent } from '../events/append.js';
import { CALENDAR_FEED_COLUMNS, CalendarFeed, toCalendarFeedDto, type CalendarFeedRow } from '../models/CalendarFeed.js';
import { Project, whereProjectVisible, type ProjectViewer } from '../models/Project.js';
import { Task } from '../models/Task.js';
import { User } from '../models/User.js';
import type { CalendarFeedInputDto, CalendarFeedScope } from '../schemas/calendarFeeds.js';
import { randomSecret, safeEqual, sha256 } from './crypto.js';

export const MAX_FEEDS_PER_USER = 20;
/** Events per feed: tasks due from `WINDOW_PAST_DAYS` ago on, earliest first. */
export const MAX_FEED_EVENTS = 5000;
const WINDOW_PAST_DAYS = 90;
/** `tbcal_` and 32 random bytes as base64url: the whole secret of a feed's URL. */
const SECRET_PATTERN = /^tbcal_[A-Za-z0-9_-]{43}$/;

interface StoredFeed extends CalendarFeedRow {
  workspaceId: number;
  userId: number;
  projectIds: number[] | null;
  tokenHash: string;
}

interface FeedTask {
  id: number;
  identifier: string;
  title: string;
  dueDate: Date;
  status: string;
  statusCategory: string;
  updatedAt: Date;
  createdAt: Date;
  /** Set on the latest occurrence of a running recurring series: its rule and the time zone it follows. */
  seriesRule: string | null;
  seriesTimezone: string | null;
}

/**
 * Calendar feeds: a secret `.ics` URL per feed, for calendar apps that
 * cannot send a bearer token. Only the secret's SHA-256 is stored and looked
 * up; what a feed shows is decided at every read, by its owner's current
 * role and project access (a deactivated owner's feeds answer 404).
 */
export class CalendarFeedService {
  constructor(
    private readonly knex: Knex,
    /** PUBLIC_URL when set: the URLs handed out then name it, not the origin a request came through. */
    private readonly publicUrl = '',
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(caller: Caller) {
    const rows = (await CalendarFeed.rows(this.knex)
      .where({ workspaceId: caller.workspaceId, userId: caller.userId })
      .orderBy('id', 'desc')
      .select(CALENDAR_FEED_COLUMNS)) as CalendarFeedRow[];
    return { data: rows.map(toCalendarFeedDto), nextCursor: null };
  }

  /** Creates a feed; `origin` is this API's as the request reached it (the URL embeds the secret, shown only in this answer). */
  async create(caller: Caller, input: CalendarFeedInputDto, origin: string) {
    if (input.scope === 'project' && input.projectId === undefined) throw fieldError('projectId', 'is required for the project scope');
    if (input.scope !== 'project' && input.projectId !== undefined) throw fieldError('projectId', 'is only for the project scope');
    const secret = `tbcal_${randomSecret(32)}`;
    const row = await this.knex.transaction(async (trx) => {
      // Serialises one user's creations so the limit holds under concurrency.
      await trx.raw(`select pg_advisory_xact_lock(hashtextextended('taskbase.calendar_feeds.' || ?::text, 0))`, [caller.userId]);
      if (input.projectId !== undefined) {
        const project = await whereProjectVisible(Project.rows(trx).where({ workspaceId: caller.workspaceId, id: input.projectId }), caller, 'id').first('id');
        if (!project) throw fieldError('projectId', 'is not a project you can see');
      }
      const counted = (await CalendarFeed.rows(trx).where({ workspaceId: caller.workspaceId, userId: caller.userId }).count({ count: '*' })) as Array<{ count: number }>;
      if (Number(counted[0]!.count) >= MAX_FEEDS_PER_USER) {
        throw new DomainError(409, { code: 'limit_reached', detail: `You may have at most ${MAX_FEEDS_PER_USER} calendar feeds; revoke one first` });
      }
      const [created] = (await CalendarFeed.rows(trx)
        .insert({
          workspaceId: caller.workspaceId,
          userId: caller.userId,
          scope: input.scope,
          projectId: input.projectId ?? null,
          projectIds: caller.projectIds ? [...caller.projectIds] : null,
          name: input.name?.trim() ?? '',
          tokenHash: sha256(secret),
        })
        .returning(CALENDAR_FEED_COLUMNS)) as CalendarFeedRow[];
      await this.event(trx, caller, 'calendar_feed.created', created!);
      return created!;
    });
    return { ...toCalendarFeedDto(row), url: `${this.publicUrl || origin}/api/calendar/${secret}.ics` };
  }

  async revoke(caller: Caller, id: number): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const [row] = (await CalendarFeed.rows(trx)
        .where({ workspaceId: caller.workspaceId, userId: caller.userId, id })
        .delete()
        .returning(CALENDAR_FEED_COLUMNS)) as CalendarFeedRow[];
      if (!row) throw notFound('Calendar feed');
      await this.event(trx, caller, 'calendar_feed.revoked', row);
    });
  }

  /**
   * The feed's calendar, or 404 for a malformed, unknown or revoked secret
   * and for an owner who was deactivated (all alike). Events link to the
   * task's page in the app served at `origin` (or PUBLIC_URL).
   */
  async render(presented: string, origin: string): Promise<{ body: string; lastModified: Date | null }> {
    const taskUrl = (identifier: string) => `${this.publicUrl || origin}/tasks/${encodeURIComponent(identifier)}`;
    const missing = notFound('Calendar feed');
    if (!SECRET_PATTERN.test(presented)) throw missing;
    const hash = sha256(presented);
    const feed = (await CalendarFeed.rows(this.knex).where('tokenHash', hash).first([...CALENDAR_FEED_COLUMNS, 'workspaceId', 'userId', 'projectIds', 'tokenHash'])) as
      | StoredFeed
      | undefined;
    // The equality lookup compares hashes, never the secret; this re-check is belt and braces.
    if (!feed || !safeEqual(feed.tokenHash, hash)) throw missing;
    const owner = (await User.rows(this.knex).where({ id: feed.userId, workspaceId: feed.workspaceId, active: true }).first('id', 'role', 'name')) as
      | { id: number; role: Role; name: string }
      | undefined;
    if (!owner) throw missing;
    const viewer: ProjectViewer = {
      userId: Number(owner.id),
      workspaceId: Number(feed.workspaceId),
      role: owner.role,
      projectIds: feed.projectIds?.map(Number),
    };
    const tasks = await this.tasks(feed, viewer);
    const calendar = ical({
      name: feed.name || `Taskbase: ${SCOPE_NAMES[feed.scope]}`,
      prodId: { company: 'Taskbase', product: 'Taskbase', language: 'EN' },
      ttl: 60 * 60,
    });
    let lastModified: Date | null = null;
    for (const task of tasks) {
      if (!lastModified || task.updatedAt > lastModified) lastModified = task.updatedAt;
      const rule = rruleOf(task.seriesRule);
      calendar.createEvent({
        id: `task-${task.id}@taskbase`,
        // A recurring task's event runs on its series' wall clock (TZID), so its RRULE keeps the local time across DST changes.
        ...(rule && task.seriesTimezone ? { start: wallClock(task.dueDate, task.seriesTimezone), timezone: task.seriesTimezone } : { start: task.dueDate }),
        summary: `${task.identifier} ${task.title}`,
        description: `${task.identifier} · ${task.status}\n${taskUrl(task.identifier)}`,
        url: taskUrl(task.identifier),
        stamp: task.updatedAt,
        created: task.createdAt,
        lastModified: task.updatedAt,
        ...(rule ? { repeating: rule } : {}),
      });
    }
    return { body: calendar.toString(), lastModified };
  }

  private tasks(feed: StoredFeed, viewer: ProjectViewer): Promise<FeedTask[]> {
    const since = new Date(this.now().getTime() - WINDOW_PAST_DAYS * 86_400_000);
    const query = whereProjectVisible(Task.rows(this.knex).where('tasks.workspaceId', viewer.workspaceId), viewer, 'tasks.projectId')
      .whereNotNull('tasks.dueDate')
      .where('tasks.dueDate', '>=', since)
      .whereNot('tasks.statusCategory', 'canceled')
      .orderBy([{ column: 'tasks.dueDate' }, { column: 'tasks.id' }])
      .limit(MAX_FEED_EVENTS)
      // Only the latest occurrence of a running series carries the RRULE: earlier ones are events of their own, and
      // later ones do not exist yet (each occurrence is a task once created, so an RRULE on every one would repeat them).
      .leftJoin('task_series as s', (join) =>
        join.on('s.id', '=', 'tasks.recurrenceOf').andOn('s.latestTaskId', '=', 'tasks.id').andOnNull('s.stoppedAt').andOnNull('s.endedAt'),
      )
      .select('tasks.id', 'tasks.identifier', 'tasks.title', 'tasks.dueDate', 'tasks.status', 'tasks.statusCategory', 'tasks.updatedAt', 'tasks.createdAt')
      .select('s.rule as seriesRule', 's.timezone as seriesTimezone');
    if (feed.scope === 'assigned') query.where('tasks.assignedTo', viewer.userId);
    if (feed.scope === 'watching') {
      query.whereExists(function watched(this: Knex.QueryBuilder) {
        this.from('task_watchers').whereRaw('task_watchers.task_id = tasks.id').where('task_watchers.user_id', viewer.userId).select('task_watchers.user_id');
      });
    }
    if (feed.scope === 'project') query.where('tasks.projectId', feed.projectId!);
    return query as unknown as Promise<FeedTask[]>;
  }

  private event(trx: Knex.Transaction, caller: Caller, type: 'calendar_feed.created' | 'calendar_feed.revoked', row: CalendarFeedRow) {
    return appendEvent(trx, {
      workspaceId: caller.workspaceId,
      type,
      actorId: caller.userId,
      userId: caller.userId,
      payload: { calendarFeed: toCalendarFeedDto(row) },
    });
  }
}

const SCOPE_NAMES: Record<CalendarFeedScope, string> = { assigned: 'assigned to me', watching: 'watching', project: 'project' };

/**
 * The RRULE of a series' rule (a rule may carry a DTSTART line: the event's own start stands instead). A COUNT
 * rule is left out: counted from the latest occurrence it would run past the series' end.
 */
function rruleOf(seriesRule: string | null): string | null {
  if (!seriesRule) return null;
  const line = seriesRule
    .split(/\r?\n/)
    .map((part) => part.trim())
    .find((part) => part !== '' && !part.startsWith('DTSTART'));
  const rule = line?.replace(/^RRULE:/, '');
  return rule && /^[A-Z0-9=;,+-]+$/.test(rule) && !/(^|;)COUNT=/.test(rule) ? rule : null;
}

/** The instant's wall-clock time in `timeZone`, as a Date whose UTC fields hold it (ical-generator prints those after TZID). */
function wallClock(instant: Date, timeZone: string): Date {
  try {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(instant)
        .map((part) => [part.type, Number(part.value)]),
    );
    return new Date(Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!));
  } catch {
    return instant;
  }
}
