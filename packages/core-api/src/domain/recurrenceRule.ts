import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import * as rrulePkg from 'rrule';
import { fieldError } from './errors.js';

// rrule ships CommonJS: its named exports are reached through the default export under Node's ESM.
const { RRule, Frequency } = ((rrulePkg as unknown as { default?: typeof rrulePkg }).default ?? rrulePkg) as typeof rrulePkg;

/** The fastest a series may repeat: more often than hourly is refused. */
export const MIN_GAP_MS = 3_600_000;
const MAX_RULE_LENGTH = 500;
const MAX_COUNT = 1000;
const MAX_INTERVAL = 1000;
/** How far ahead of a time a rule is evaluated: no occurrence within it ends a series (and a rule with none is refused). */
const HORIZON_MS = 10 * 366 * 86_400_000;

/** A series' rule as it is evaluated: the RRULE, its anchor and the time zone whose wall clock it follows. */
export interface RuleSpec {
  rule: string;
  /** The first occurrence; its wall-clock time (in `timezone`) is every occurrence's unless the rule says otherwise. */
  dtstart: Date;
  timezone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, format);
  }
  return format;
}

export function isTimeZone(timezone: string): boolean {
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

/**
 * An instant as "floating" time: a Date whose UTC fields are the wall clock
 * in `timezone`. Rules are evaluated on floating times (no DST in UTC), so a
 * daily 09:00 stays 09:00 on both sides of a DST change.
 */
export function toFloating(instant: Date, timezone: string): Date {
  const parts: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return new Date(Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!, instant.getUTCMilliseconds()));
}

/**
 * The instant a wall-clock time (floating) names in `timezone`. A time that
 * happens twice (autumn) is the first; one that does not exist (spring,
 * 02:30 in Berlin) moves forward by the gap (03:30), as calendars do.
 */
export function fromFloating(floating: Date, timezone: string): Date {
  const ms = floating.getTime();
  const offsetAt = (instant: number) => toFloating(new Date(instant), timezone).getTime() - instant;
  // DST changes are months apart: the offsets a day either side are the two candidates.
  const before = offsetAt(ms - 86_400_000);
  const after = offsetAt(ms + 86_400_000);
  const candidates = [ms - before, ms - after].filter((instant) => toFloating(new Date(instant), timezone).getTime() === ms);
  if (candidates.length) return new Date(Math.min(...candidates));
  return new Date(ms - before);
}

/**
 * Parses and checks a rule as a client sends it (`FREQ=WEEKLY;BYDAY=MO`,
 * with or without `RRULE:`); 422 naming `path` otherwise. Answers the rule
 * normalized (what is stored and shown).
 */
export function parseRule(text: string, path = 'recurrence.rule'): string {
  const raw = text.trim().replace(/^RRULE:/i, '');
  if (raw.length === 0 || raw.length > MAX_RULE_LENGTH) throw fieldError(path, `must be an RRULE of 1 to ${MAX_RULE_LENGTH} characters`);
  if (/[\r\n]/.test(raw) || /(^|;)\s*(DTSTART|TZID|EXDATE|RDATE)\b/i.test(raw)) {
    throw fieldError(path, 'must be one RRULE line without DTSTART/TZID: the series starts at the task’s due date, in its creator’s time zone');
  }
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(raw);
  } catch (error) {
    throw fieldError(path, `is not a valid RFC 5545 RRULE (${(error as Error).message})`);
  }
  if (options.freq === undefined || options.freq === null) throw fieldError(path, 'needs FREQ');
  if (options.freq === Frequency.SECONDLY || options.freq === Frequency.MINUTELY) throw fieldError(path, 'may not repeat more often than hourly');
  if (options.count != null && (options.count < 1 || options.count > MAX_COUNT)) throw fieldError(path, `COUNT must be 1 to ${MAX_COUNT}`);
  if (options.interval != null && (options.interval < 1 || options.interval > MAX_INTERVAL)) throw fieldError(path, `INTERVAL must be 1 to ${MAX_INTERVAL}`);
  if (options.count != null && options.until != null) throw fieldError(path, 'may have COUNT or UNTIL, not both');
  let normalized: string;
  try {
    // Building it checks what parsing lets through (BYMONTHDAY=99…); it is evaluated by checkRule, time-boxed.
    normalized = new RRule({ ...options, dtstart: null }).toString().replace(/^RRULE:/, '');
  } catch (error) {
    throw fieldError(path, `is not a valid RFC 5545 RRULE (${(error as Error).message})`);
  }
  return normalized;
}

/** How long a rule's first evaluation may take: one that never matches (BYMONTHDAY=30;BYMONTH=2) iterates to the year 9999. */
const PROBE_MS = 2000;
// A worker of its own, ended when over time: rrule's loop cannot be interrupted from this thread.
const PROBE = `const { parentPort, workerData } = require('node:worker_threads');
const lib = require(workerData.path);
const { RRule } = lib.default || lib;
const rule = new RRule({ ...RRule.parseString(workerData.rule), until: new Date(workerData.until), dtstart: new Date(workerData.dtstart), tzid: null });
parentPort.postMessage(rule.all((_d, i) => i < workerData.count).map((d) => d.getTime()));`;
const rrulePath = createRequire(import.meta.url).resolve('rrule');

/** Up to `count` floating occurrences from the start, computed in a worker that is ended after PROBE_MS; undefined then. */
function probe(spec: RuleSpec, count: number): Promise<number[] | undefined> {
  const options = RRule.parseString(spec.rule);
  const compiled = compile(spec, spec.dtstart);
  const workerData = { path: rrulePath, rule: spec.rule, dtstart: compiled.options.dtstart.getTime(), until: (compiled.options.until ?? options.until)!.getTime(), count };
  return new Promise((resolve, reject) => {
    const worker = new Worker(PROBE, { eval: true, workerData, resourceLimits: { maxOldGenerationSizeMb: 64 } });
    const timer = setTimeout(() => void worker.terminate().then(() => resolve(undefined)), PROBE_MS);
    worker.once('message', (times: number[]) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(times);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * Checks a parsed rule against the series it will drive: it has an
 * occurrence (found in time) and does not repeat more often than hourly.
 */
export async function checkRule(spec: RuleSpec, path = 'recurrence.rule'): Promise<void> {
  const floating = await probe(spec, 50);
  if (floating === undefined) throw fieldError(path, 'never matches (no occurrence found)');
  const times = floating.map((ms) => fromFloating(new Date(ms), spec.timezone));
  if (times.length === 0) throw fieldError(path, 'has no occurrence');
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]!.getTime() - times[i - 1]!.getTime();
    // 0: two wall-clock times that fold into one instant at a spring-forward change.
    if (gap > 0 && gap < MIN_GAP_MS) throw fieldError(path, 'may not repeat more often than hourly');
  }
}

/**
 * The rule on floating times, evaluated no further than the horizon after
 * `from`: a rule that can never match (BYMONTHDAY=30 in February, hourly)
 * would otherwise be iterated until the year 9999.
 */
function compile(spec: RuleSpec, from: Date): InstanceType<typeof RRule> {
  const options = RRule.parseString(spec.rule);
  // UNTIL with Z is an instant: compared as the wall clock it is in the series' zone.
  const until = options.until ? (/UNTIL=\d{8}T\d{6}Z/i.test(spec.rule) ? toFloating(options.until, spec.timezone) : options.until) : null;
  const horizon = new Date(toFloating(from, spec.timezone).getTime() + HORIZON_MS);
  return new RRule({ ...options, until: until && until < horizon ? until : horizon, dtstart: toFloating(spec.dtstart, spec.timezone), tzid: null });
}

/** The first occurrence strictly after `after`, or null when the rule has ended (COUNT, UNTIL). */
export function nextOccurrence(spec: RuleSpec, after: Date): Date | null {
  const rule = compile(spec, after);
  let cursor = toFloating(after, spec.timezone);
  // Wall-clock times in a spring-forward gap map onto the hour after it: skip what is not later.
  for (let guard = 0; guard < 8; guard++) {
    const floating = rule.after(cursor, false);
    if (!floating) return null;
    const instant = fromFloating(floating, spec.timezone);
    if (instant.getTime() > after.getTime()) return instant;
    cursor = floating;
  }
  return null;
}

/** Up to `count` occurrences from the start. */
export function sample(spec: RuleSpec, count: number): Date[] {
  const rule = compile(spec, spec.dtstart);
  return rule.all((_date, i) => i < count).map((floating) => fromFloating(floating, spec.timezone));
}
