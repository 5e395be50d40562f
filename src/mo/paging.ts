// Reading a whole collection: keep asking with the cursor MO gave until `page_info.next_cursor` is null
// (a page may hold fewer than `limit` objects). The next page is requested before the current one is
// mapped and handed over, so MO works while moflow maps.
import type { ReadDocument } from './documents/spec.js';
import { MoError } from './errors.js';
import type { MoTransport } from './transport.js';

export const DEFAULT_PAGE_SIZE = 1000;

interface Page<R> {
  objects: R[];
  page_info: { next_cursor: string | null };
}

/**
 * Yields each page mapped by `map`. `variables` are the filter and time window; cursor and limit are
 * added here.
 */
export async function* readPages<R, T>(
  transport: MoTransport,
  document: ReadDocument,
  variables: Record<string, unknown>,
  map: (objects: R[]) => T[],
  pageSize: number = DEFAULT_PAGE_SIZE,
): AsyncGenerator<T[], void, undefined> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`page size must be a positive integer, got ${pageSize}`);
  const fetchPage = (cursor: string | null): Promise<Page<R>> =>
    transport
      .request<Record<string, Page<R>>>(document, { ...variables, cursor, limit: pageSize })
      .then((data) => {
        const page = data[document.collection];
        if (!page || !Array.isArray(page.objects)) {
          throw new MoError({ kind: 'graphql', operationName: document.operationName, description: `the answer has no ${document.collection}.objects` });
        }
        return page;
      });

  let cursor: string | null = null;
  let pending: Promise<Page<R>> | null = fetchPage(null);
  try {
    while (pending) {
      const page: Page<R> = await pending;
      pending = null;
      const next = page.page_info?.next_cursor ?? null;
      if (next !== null) {
        if (next === cursor) {
          throw new MoError({ kind: 'graphql', operationName: document.operationName, description: 'MO returned the same cursor twice; stopping instead of looping' });
        }
        cursor = next;
        pending = fetchPage(next);
      }
      yield map(page.objects);
    }
  } finally {
    // The consumer stopped early: the prefetched page is not wanted, and its failure is nobody's.
    pending?.catch(() => undefined);
  }
}

/** Every object of every page, in MO's order. */
export async function readAll<R, T>(
  transport: MoTransport,
  document: ReadDocument,
  variables: Record<string, unknown>,
  map: (objects: R[]) => T[],
  pageSize?: number,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of readPages(transport, document, variables, map, pageSize)) {
    for (const item of page) all.push(item);
  }
  return all;
}
