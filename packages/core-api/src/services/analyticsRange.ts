import { validationFailed, type FieldError } from '../domain/errors.js';
import { MAX_RANGE_DAYS, type AnalyticsRangeDto, type AnalyticsRangeQueryInput } from '../schemas/analytics.js';

const DAY_MS = 86_400_000;

/** A resolved `[from, to)` range and the time zone its days are counted in. */
export interface AnalyticsRange {
  from: Date;
  to: Date;
  timezone: string;
}

/** Checks the query's range and time zone, answering 400 naming each bad field. */
export function checkRange(query: AnalyticsRangeQueryInput, now: Date): { from?: Date; to: Date; timezone: string } {
  const timezone = query.timezone ?? 'UTC';
  const errors: FieldError[] = [];
  const fail = (path: string, message: string) => errors.push({ path, in: 'query', message });
  if (!isTimeZone(timezone)) fail('timezone', 'must be an IANA time zone name, such as Europe/Paris');
  const to = query.to === undefined ? now : new Date(query.to);
  const from = query.from === undefined ? undefined : new Date(query.from);
  if (Number.isNaN(to.getTime())) fail('to', 'must be a valid date-time');
  if (from && Number.isNaN(from.getTime())) fail('from', 'must be a valid date-time');
  if (errors.length === 0 && from) {
    if (from >= to) fail('from', 'must be before to');
    else if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) fail('from', `must be at most ${MAX_RANGE_DAYS} days before to`);
  }
  if (errors.length) throw validationFailed(errors);
  return from ? { from, to, timezone } : { to, timezone };
}

/**
 * A range as the instants it names (checked first, so a bad one costs
 * nothing): `2026-01-01T01:00:00+01:00` and `2026-01-01T00:00:00.000Z` are
 * one key. A missing `to` means "now", and so does its key.
 */
export function rangeKey(query: AnalyticsRangeQueryInput): string {
  const { from, to, timezone } = checkRange(query, new Date());
  return `${from ? from.getTime() : 'default'}|${query.to === undefined ? 'now' : to.getTime()}|${timezone}`;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function rangeDto(range: AnalyticsRange): AnalyticsRangeDto {
  return { from: range.from.toISOString(), to: range.to.toISOString(), timezone: range.timezone };
}
