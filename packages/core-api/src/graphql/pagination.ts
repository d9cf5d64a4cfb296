import { invalidArgument } from './errors.js';

/** The largest page any connection returns. */
export const MAX_PAGE_SIZE = 100;

/** Checks `first` (1…100), naming the argument when it is out of range. */
export function pageSize(first: number | null | undefined, fallback: number): number {
  if (first === null || first === undefined) return fallback;
  if (first < 1 || first > MAX_PAGE_SIZE) throw invalidArgument('first', `must be between 1 and ${MAX_PAGE_SIZE}`);
  return first;
}

/** A service page `{ data, nextCursor }` as a connection. */
export function connection<T>(page: { data: T[]; nextCursor: string | null }) {
  return {
    edges: page.data.map((node) => ({ node })),
    nodes: page.data,
    pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: page.nextCursor },
  };
}

/** Reads a GraphQL ID argument as a positive integer id, or names the argument. */
export function toId(value: unknown, argument: string): number {
  const text = String(value);
  if (!/^[1-9][0-9]{0,15}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw invalidArgument(argument, 'must be a positive integer id');
  }
  return Number(text);
}

export const PAGE_TYPES = /* GraphQL */ `
  "Where a connection's page ends; pass endCursor as \`after\` for the next page."
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
`;
