import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { checkRule, fromFloating, nextOccurrence, parseRule, toFloating } from './recurrenceRule.js';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 300);
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago'];
const PARTS = ['FREQ=', 'DAILY', 'WEEKLY', 'HOURLY', 'MINUTELY', 'YEARLY', ';', 'BYDAY=', 'MO', 'TU,WE', '-1FR', 'COUNT=', 'UNTIL=', '20270101T000000Z', 'INTERVAL=', '0', '5', '99999', 'BYHOUR=', '9,10', 'BYMINUTE=0,30', 'BYSETPOS=-1', 'WKST=SU', 'DTSTART:', '\n', 'RRULE:', '=', 'X-FOO=1', '\u0000', '💥'];

/** The wall clock of an instant in a zone, to the minute. */
const wallClock = (instant: Date, timezone: string) => toFloating(instant, timezone).toISOString().slice(11, 16);

describe('recurrence rules (property-based)', () => {
  it('answers any text with a normalized rule or a 422 naming recurrence.rule, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 600 }), fc.array(fc.constantFrom(...PARTS), { maxLength: 12 }).map((parts) => parts.join(''))), (text) => {
        try {
          const rule = parseRule(text);
          expect(rule).toMatch(/^FREQ=/);
          // A normalized rule reads back as itself.
          expect(parseRule(rule)).toBe(rule);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).status).toBe(422);
          expect((error as DomainError).errors?.[0]?.path).toBe('recurrence.rule');
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('keeps the wall-clock time across DST changes, with occurrences strictly later each time, never more often than hourly', () => {
    const rules = fc.record({
      freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
      interval: fc.integer({ min: 1, max: 4 }),
      byday: fc.option(fc.constantFrom('MO', 'MO,WE,FR', 'SA,SU', 'TU'), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        rules,
        fc.constantFrom(...ZONES),
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 9, max: 20 }),
        ({ freq, interval, byday }, timezone, day, hour) => {
          const rule = parseRule(`FREQ=${freq};INTERVAL=${interval}${byday && freq === 'WEEKLY' ? `;BYDAY=${byday}` : ''}`);
          // A start at a daytime wall clock (DST gaps are at night).
          const dtstart = fromFloating(new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, 15)), timezone);
          const spec = { rule, dtstart, timezone };
          let after = dtstart;
          for (let i = 0; i < 6; i++) {
            const next = nextOccurrence(spec, after);
            if (next === null) break;
            expect(next.getTime()).toBeGreaterThan(after.getTime());
            expect(next.getTime() - after.getTime()).toBeGreaterThanOrEqual(3_600_000);
            expect(wallClock(next, timezone)).toBe(`${String(hour).padStart(2, '0')}:15`);
            after = next;
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses, in time, a rule that never matches (rrule alone would iterate to the year 9999)', async () => {
    const spec = { dtstart: new Date('2027-01-04T09:00:00Z'), timezone: 'Europe/Berlin' };
    for (const rule of ['FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31', 'FREQ=HOURLY;INTERVAL=2;BYHOUR=3']) {
      const started = Date.now();
      const refused = await checkRule({ ...spec, rule: parseRule(rule) }).catch((error: unknown) => error);
      expect(refused, rule).toBeInstanceOf(DomainError);
      expect((refused as DomainError).errors?.[0]?.path).toBe('recurrence.rule');
      expect(Date.now() - started).toBeLessThan(5000);
    }
    await expect(checkRule({ ...spec, rule: 'FREQ=WEEKLY;BYDAY=MO' })).resolves.toBeUndefined();
  });

  it('maps wall-clock times to instants and back (a spring-forward gap moves forward, an autumn hour takes the first)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }), (timezone, instant) => {
        const floating = toFloating(instant, timezone);
        const back = fromFloating(floating, timezone);
        // Either the same instant, or the earlier of two with this wall clock.
        expect(toFloating(back, timezone).getTime()).toBe(floating.getTime());
        expect(back.getTime()).toBeLessThanOrEqual(instant.getTime());
      }),
      { numRuns: RUNS * 3 },
    );
    expect(fromFloating(new Date('2027-03-28T02:30:00Z'), 'Europe/Berlin').toISOString()).toBe('2027-03-28T01:30:00.000Z');
    expect(fromFloating(new Date('2027-10-31T02:30:00Z'), 'Europe/Berlin').toISOString()).toBe('2027-10-31T00:30:00.000Z');
    expect(fromFloating(new Date('2027-03-14T02:30:00Z'), 'America/New_York').toISOString()).toBe('2027-03-14T07:30:00.000Z');
  });
});
