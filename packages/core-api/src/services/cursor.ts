import { DomainError } from '../domain/errors.js';

/** Keyset cursors are opaque to clients: the sort key values of the last row, base64url JSON. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, expectedLength: number): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === expectedLength) return values;
  } catch {
    // fall through to the error below
  }
  throw new DomainError(400, {
    code: 'invalid_cursor',
    detail: 'The cursor is not one this list returned',
    errors: [{ path: 'cursor', in: 'query', message: 'is not a valid cursor for this list and sort' }],
  });
}

/** The cursor of a list ordered by id: the last row's id. */
export function idCursor(id: number): string {
  return encodeCursor([id]);
}

export function decodeIdCursor(cursor: string): number {
  const [id] = decodeCursor(cursor, 1);
  if (!Number.isSafeInteger(id) || (id as number) < 0) decodeCursor('', 1); // throws the invalid-cursor problem
  return id as number;
}

/**
 * Turns rows fetched with `limit + 1` into a page: the extra row only says
 * that there is a next page, whose cursor is the last row shown.
 */
export function toPage<R, T>(rows: R[], limit: number, map: (row: R) => T, cursorOf: (last: R) => string) {
  const shown = rows.slice(0, limit);
  return { data: shown.map(map), nextCursor: rows.length > limit ? cursorOf(shown.at(-1)!) : null };
}
