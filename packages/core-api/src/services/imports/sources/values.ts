import { TASK_PRIORITIES, type TaskPriority } from '../../../schemas/tasks.js';

/** The API's own limits, so a row that would be refused later is reported by line now. */
export const LIMITS = { title: 500, description: 20_000, externalId: 200, label: 50, email: 254, fieldValue: 2_000, comment: 10_000 } as const;

/** A value the reader could not take; the caller turns it into a RowError with its line and field. */
export class BadValue extends Error {}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const SLASHED_YMD = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
const DAY_MONTH_YEAR = /^(\d{1,2})[ -]([a-z]{3,9})\.?[ -](\d{4})$/i;
const MONTH_DAY_YEAR = /^([a-z]{3,9})\.? (\d{1,2}),? (\d{4})$/i;

/**
 * Reads a date the way people's exports write them, as an ISO timestamp.
 * Taken: ISO 8601 (`2024-03-05`, `2024-03-05T14:30`, `…Z`, `…+02:00`; no
 * offset means UTC), `2024/03/05`, `5 Mar 2024` / `05-Mar-2024`, and
 * `Mar 5, 2024` / `March 5 2024`. Refused: `03/05/2024` and the like,
 * which mean different days in different countries.
 */
export function parseDate(text: string): string {
  const value = text.trim();
  let date: Date | undefined;
  if (ISO.test(value)) {
    const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) && value.length > 10;
    date = new Date(value.length === 10 ? `${value}T00:00:00Z` : `${value.replace(' ', 'T')}${hasZone ? '' : 'Z'}`);
    if (!sameDay(date, value.slice(0, 10))) date = undefined;
  } else {
    const ymd = SLASHED_YMD.exec(value) ?? null;
    const dmy = ymd ? null : DAY_MONTH_YEAR.exec(value);
    const mdy = ymd || dmy ? null : MONTH_DAY_YEAR.exec(value);
    if (ymd) date = utcDate(+ymd[1]!, +ymd[2]!, +ymd[3]!);
    else if (dmy) date = utcDate(+dmy[3]!, monthOf(dmy[2]!), +dmy[1]!);
    else if (mdy) date = utcDate(+mdy[3]!, monthOf(mdy[1]!), +mdy[2]!);
  }
  if (!date || Number.isNaN(date.getTime())) {
    throw new BadValue(
      /^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$/.test(value)
        ? `"${value}" is ambiguous (day/month or month/day?): write 2024-03-05, 5 Mar 2024 or Mar 5, 2024`
        : `"${clip(value)}" is not a date: write 2024-03-05, 2024-03-05T14:30:00Z, 2024/03/05, 5 Mar 2024 or Mar 5, 2024`,
    );
  }
  return date.toISOString();
}

function monthOf(name: string): number {
  const index = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  const full = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'][index];
  return index >= 0 && (name.length <= 4 || name.toLowerCase() === full || name.toLowerCase() === 'sept') ? index + 1 : NaN;
}

function utcDate(year: number, month: number, day: number): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

/** Refuses `2024-02-30`, which Date would roll over into March. */
function sameDay(date: Date, ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return utcDate(y, m, d) !== undefined && !Number.isNaN(date.getTime());
}

const PRIORITY_WORDS: Record<string, TaskPriority> = {
  lowest: 'low',
  minor: 'low',
  trivial: 'low',
  normal: 'medium',
  med: 'medium',
  major: 'high',
  highest: 'urgent',
  critical: 'urgent',
  blocker: 'urgent',
  p0: 'urgent',
  p1: 'high',
  p2: 'medium',
  p3: 'low',
  p4: 'low',
};

/** A priority by name (any case): ours, or a common tracker's word for one (`Critical`, `P1`, `Normal`…); empty: none. */
export function parsePriority(text: string): TaskPriority | undefined {
  const value = text.trim().toLowerCase();
  if (!value || value === 'none' || value === 'no priority') return undefined;
  if ((TASK_PRIORITIES as readonly string[]).includes(value)) return value as TaskPriority;
  const known = PRIORITY_WORDS[value];
  if (!known) throw new BadValue(`"${clip(value)}" is not a priority: use low, medium, high or urgent`);
  return known;
}

/** Label names from one cell: split on `,` or `;`, trimmed, empties and repeats dropped. */
export function splitLabels(text: string): string[] {
  const names = text
    .split(/[,;]/)
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) if (name.length > LIMITS.label) throw new BadValue(`the label "${clip(name)}" is longer than ${LIMITS.label} characters`);
  return [...new Map(names.map((name) => [name.toLowerCase(), name])).values()];
}

/** Refuses a value past its limit (in characters), naming the limit. */
export function within(text: string, limit: number): string {
  if (text.length > limit) throw new BadValue(`is ${text.length} characters long; at most ${limit} are taken`);
  return text;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseEmail(text: string): string | undefined {
  const value = text.trim();
  if (!value) return undefined;
  if (value.length > LIMITS.email || !EMAIL.test(value)) throw new BadValue(`"${clip(value)}" is not an email address`);
  return value.toLowerCase();
}

/** A value quoted back in a message, cut short. */
export const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
