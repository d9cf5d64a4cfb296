import { Type, type Static } from '@sinclair/typebox';
import { StringEnum, named } from './common.js';

export const RECURRENCE_MODES = ['after_completion', 'schedule'] as const;
export type RecurrenceMode = (typeof RECURRENCE_MODES)[number];

const Rule = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'An RFC 5545 RRULE such as `FREQ=WEEKLY;BYDAY=MO` (no DTSTART: the series starts at the task’s due date); not more often than hourly; COUNT up to 1000',
});
export const RecurrenceModeSchema = StringEnum(RECURRENCE_MODES, {
  description: '`after_completion`: completing the latest occurrence creates the next; `schedule`: the next is created when the latest one’s time comes, done or not',
});

/** What a client sends on a task: the rule and mode (null stops the series). */
export const RecurrenceInput = named('RecurrenceInput', Type.Object({ rule: Rule, mode: Type.Optional(RecurrenceModeSchema) }, { additionalProperties: false }));
export type RecurrenceInputDto = Static<typeof RecurrenceInput>;

/** A task's series as the task shows it. */
export const Recurrence = named(
  'Recurrence',
  Type.Object({
    rule: Type.String({ description: 'The RRULE, normalized' }),
    mode: RecurrenceModeSchema,
    timezone: Type.String({ description: 'The IANA time zone whose wall clock the rule follows (its creator’s)' }),
    ended: Type.Boolean({ description: 'The rule has no further occurrence (COUNT or UNTIL reached)' }),
  }),
);
export type RecurrenceDto = Static<typeof Recurrence>;
