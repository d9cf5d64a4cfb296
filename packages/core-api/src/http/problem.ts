import type { DomainError } from '../domain/errors.js';

/** The RFC 9457 document for `error`, as every response of the API writes it. */
export function problemDocument(error: DomainError, requestId: string) {
  return {
    type: `https://taskbase.dev/problems/${error.code.replace(/_/g, '-')}`,
    title: error.title,
    status: error.status,
    detail: error.expose ? error.message : 'An unexpected error occurred',
    code: error.code,
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extra,
    requestId,
  };
}
