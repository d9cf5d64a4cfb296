import type { Page } from '../types.js';

/**
 * Every item of every page, fetching the next page only when the previous one
 * is used up: `for await (const task of client.tasks.iterate())`.
 */
export async function* paginate<T, Q extends { cursor?: string | undefined }>(
  fetchPage: (query: Q) => Promise<Page<T>>,
  query: Q,
): AsyncGenerator<T, void, undefined> {
  let cursor = query.cursor;
  do {
    const page = await fetchPage({ ...query, cursor });
    yield* page.data;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
