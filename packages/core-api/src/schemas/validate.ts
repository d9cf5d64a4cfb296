import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { validationFailed, type FieldError } from '../domain/errors.js';

// ajv-formats is CJS with a default export.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const strict = addFormats(new Ajv({ allErrors: true, strict: false, coerceTypes: false }));
// Query strings and path segments arrive as text: coerce them to the schema's types.
const coercing = addFormats(new Ajv({ allErrors: true, strict: false, coerceTypes: 'array', useDefaults: true }));
strict.opts.useDefaults = true;

/**
 * RFC 3339 date-times that PostgreSQL and `Date` can both hold. ajv-formats
 * also accepts year 0, leap seconds, `+05` offsets and offsets past ±15:59,
 * which the database or `new Date()` would refuse later: unnamed, or as a 500.
 */
const rfc3339DateTime = (fullFormats['date-time'] as { validate: (value: string) => boolean }).validate;
const FIRST_YEAR_ONE = Date.parse('0001-01-01T00:00:00Z'); // PostgreSQL has no year 0
function storableDateTime(value: string): boolean {
  const time = Date.parse(value);
  if (!rfc3339DateTime(value) || !(time >= FIRST_YEAR_ONE) || value.startsWith('0000')) return false;
  const offset = /([+-])(\d\d):?(\d\d)$/.exec(value);
  return !offset || Number(offset[2]) <= 15;
}
for (const ajv of [strict, coercing]) ajv.addFormat('date-time', { type: 'string', validate: storableDateTime });

export type Validator = (value: unknown) => unknown;

/**
 * Compiles a schema into a function that returns the (coerced) value or
 * throws a 400 naming every offending field.
 */
export function compileValidator(schema: TSchema, location: FieldError['in']): Validator {
  const coerce = location !== 'body';
  // Compiled at the first request that needs it, not at start: the routes' validators took a quarter
  // of a second of every cold start (the embedded database's budget is three seconds in all).
  let compiled: ValidateFunction | undefined;
  const listFields = coerce ? arrayFields(schema) : [];
  return (value) => {
    const check = (compiled ??= (coerce ? coercing : strict).compile(schema));
    let input = value;
    if (coerce) input = splitLists({ ...(value as object) }, listFields);
    if (location === 'body' && input === undefined) {
      throw validationFailed([{ path: '', in: 'body', message: 'a JSON body is required' }]);
    }
    if (!check(input)) throw validationFailed(toFieldErrors(check.errors ?? [], location));
    const withNul = nulFields(input);
    if (withNul.length) throw validationFailed(withNul.map((path) => ({ path, in: location, message: 'must not contain the NUL character (U+0000)' })));
    return input;
  };
}

/** Paths of the strings PostgreSQL cannot store: its text never holds U+0000. */
function nulFields(value: unknown, path: string[] = [], found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path.join('.'));
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) nulFields(child, [...path, key], found);
  }
  return found;
}

/** Query parameters declared as arrays accept `a,b,c` as well as `x=a&x=b`. */
function arrayFields(schema: TSchema): string[] {
  const properties = (schema as { properties?: Record<string, { type?: string }> }).properties ?? {};
  return Object.entries(properties)
    .filter(([, property]) => property.type === 'array')
    .map(([name]) => name);
}

function splitLists(query: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  for (const field of fields) {
    const value = query[field];
    const values = Array.isArray(value) ? value : typeof value === 'string' ? [value] : undefined;
    if (values) {
      query[field] = values
        .flatMap((v) => String(v).split(','))
        .map((v) => v.trim())
        .filter(Boolean);
    }
  }
  return query;
}

/**
 * One entry per offending field. Where a value may take several shapes
 * (`anyOf`, e.g. a date or null), the alternatives are joined with "or"
 * instead of listing every branch's complaint.
 */
export function toFieldErrors(errors: ErrorObject[], location: FieldError['in']): FieldError[] {
  const messages = new Map<string, string[]>();
  const alternatives = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  for (const error of errors) {
    if (error.keyword === 'anyOf') continue;
    const base = error.instancePath.split('/').slice(1).map(unescapePointer);
    let path = base.join('.');
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required') {
      path = [...base, (error.params as { missingProperty: string }).missingProperty].join('.');
      message = 'is required';
    } else if (error.keyword === 'additionalProperties') {
      path = [...base, (error.params as { additionalProperty: string }).additionalProperty].join('.');
      message = 'is not an accepted field';
    } else if (error.keyword === 'enum') {
      message = `must be one of: ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    } else if (error.keyword === 'pattern' && (error.params as { pattern: string }).pattern === '\\S') {
      message = 'must not be blank';
    }
    const list = messages.get(path) ?? [];
    if (!list.includes(message)) list.push(message);
    messages.set(path, list);
  }
  return [...messages].map(([path, list]) => ({
    path,
    in: location,
    message: list.join(alternatives.has(path ? `/${path.split('.').join('/')}` : '') ? ' or ' : '; '),
  }));
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
