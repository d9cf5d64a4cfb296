import type { TObject, TSchema } from '@sinclair/typebox';
import { Timestamp } from '../schemas/common.js';

/**
 * A stored row from the schema of what the API answers for it: the same
 * fields, with timestamps as `Date`s (what the database driver reads). A
 * timestamp field's name ends in `At`, `Date` or `Since` (`TIMESTAMP_NAME`);
 * `timestampFields` reads them from the schema itself, and a test holds
 * the two equal for every model.
 */
export type StoredRow<Dto> = {
  [K in keyof Dto]: K extends `${string}At` | `${string}Date` | `${string}Since` ? (null extends Dto[K] ? Date | null : Date) : Dto[K];
};

/** The naming rule `StoredRow` relies on, for the test that holds it. */
export const TIMESTAMP_NAME = /(At|Date|Since)$/;

const isTimestamp = (schema: TSchema): boolean =>
  schema === Timestamp || (Array.isArray(schema.anyOf) && (schema.anyOf as TSchema[]).some((member) => member === Timestamp));

/** The fields of an object schema that hold timestamps. */
export function timestampFields(schema: TObject): string[] {
  return Object.entries(schema.properties)
    .filter(([, property]) => isTimestamp(property as TSchema))
    .map(([field]) => field);
}

/**
 * A function from a stored row to the API's shape: the schema's fields in
 * its order, timestamps as ISO-8601 text. It runs for every row of every
 * list, so it is one plain loop over precomputed fields.
 */
export function rowSerializer<Dto>(schema: TObject): (row: StoredRow<Dto>) => Dto {
  const fields = Object.keys(schema.properties);
  const timestamps = new Set(timestampFields(schema));
  const isTime = fields.map((field) => timestamps.has(field));
  return (row) => {
    const out: Record<string, unknown> = {};
    const source = row as Record<string, unknown>;
    for (let i = 0; i < fields.length; i += 1) {
      const field = fields[i]!;
      const value = source[field];
      out[field] = isTime[i] && value != null ? (value as Date).toISOString() : value;
    }
    return out as Dto;
  };
}
