import { AppError } from '../../../../errors.js';
import type { Paging } from '../source-config.js';
import { atPath } from './json-values.js';

/**
 * Which page comes next. Paging stops on an empty page, a missing next cursor or the page
 * limit; never on a short page, because many APIs cap the page size below what was asked.
 */
export function createPager(base: string, paging: Paging, extra: Record<string, string>) {
  let page = paging.kind === 'page' ? paging.startPage : 0;
  let offset = 0;
  let cursor: string | null = null;

  const withParams = (params: Record<string, string | number | undefined>) => {
    const url = new URL(base);
    for (const [k, v] of Object.entries({ ...extra, ...params })) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  };

  return {
    current(): URL {
      switch (paging.kind) {
        case 'page':
          return withParams({ [paging.pageParam]: page, [paging.sizeParam]: paging.size });
        case 'offset':
          return withParams({ [paging.offsetParam]: offset, [paging.limitParam]: paging.size });
        case 'cursor':
          return withParams({
            ...(cursor !== null ? { [paging.cursorParam]: cursor } : {}),
            ...(paging.sizeParam && paging.size ? { [paging.sizeParam]: paging.size } : {}),
          });
      }
    },
    /** Moves past a page that held `count` items; false when there is no next page. */
    advance(body: unknown, count: number, shownUrl: string): boolean {
      if (count === 0) return false;
      switch (paging.kind) {
        case 'page':
          page += 1;
          return true;
        case 'offset':
          // By what arrived, not by the size asked: a server that caps pages is still read whole.
          offset += count;
          return true;
        case 'cursor': {
          const next = atPath(body, paging.nextCursorPath);
          if (next === null || next === undefined || next === '') return false;
          const text = typeof next === 'string' ? next : JSON.stringify(next);
          if (text === cursor)
            throw new AppError(
              'COLLECTION_UNREADABLE',
              `${shownUrl} returned its own cursor as the next one (${paging.nextCursorPath}): paging would never end`,
            );
          cursor = text;
          return true;
        }
      }
    },
  };
}
