import { DomainError, badRequest, conflict } from './errors.js';

interface PgError {
  code?: string;
  constraint?: string;
  column?: string;
}

/**
 * Maps a database error to a domain error, or returns undefined when it is not
 * one the client caused. The database's own message never reaches a client.
 */
export function fromDatabaseError(error: unknown): DomainError | undefined {
  // Objection wraps driver errors; the SQLSTATE is on the original.
  const pg = ((error as { nativeError?: PgError })?.nativeError ?? error) as PgError;
  switch (pg?.code) {
    case '23505':
      return conflict('A record with these values already exists', 'already_exists');
    case '23503':
      return new DomainError(422, { code: 'invalid_reference', detail: 'A referenced record does not exist' });
    case '23502':
    case '23514':
    case '22P02':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22021':
      return badRequest('A value is out of range or malformed');
    case '40001':
    case '40P01':
      return new DomainError(503, { code: 'retry', detail: 'Conflicting concurrent update; retry', headers: { 'Retry-After': '1' } });
    default:
      return isDatabaseUnavailable(error)
        ? new DomainError(503, { code: 'unavailable', detail: 'The service is temporarily unavailable', headers: { 'Retry-After': '2' } })
        : undefined;
  }
}

/** Socket errors and SQLSTATEs of a database that is down, restarting or unreachable. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

/**
 * True when the database could not be reached or dropped the connection
 * (a restart, a failover): the request may succeed if retried, so it is a
 * 503, not a 500. pg reports a connection closed mid-query by message only.
 */
function isDatabaseUnavailable(error: unknown): boolean {
  const e = ((error as { nativeError?: unknown })?.nativeError ?? error) as { code?: string; name?: string; message?: string };
  return (
    UNAVAILABLE_CODES.has(e?.code ?? '') ||
    e?.name === 'KnexTimeoutError' ||
    /^Connection terminated|Client has encountered a connection error|Connection ended/i.test(e?.message ?? '')
  );
}

export function isUniqueViolation(error: unknown): boolean {
  const pg = ((error as { nativeError?: PgError })?.nativeError ?? error) as PgError;
  return pg?.code === '23505';
}
