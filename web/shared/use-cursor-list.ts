import { keepPreviousData } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiArgs, ApiParams, ApiQuery, ApiResponse, GetKey } from './api.js';
import { useApi } from './api-query.js';

/**
 * The GET endpoints answering a keyset page (`zPage`) and reading `limit` and `cursor` (the
 * cursor the last page gave, sent back as it came: a text, or a number some lists read).
 */
export type PageKey = {
  [K in GetKey]: ApiResponse<K> extends { items: unknown[]; nextCursor: string | null }
    ? ApiQuery<K> extends { limit?: number; cursor?: string | number }
      ? K
      : never
    : never;
}[GetKey];

/** A paged endpoint's filters: its query but for the page's own `limit` and `cursor`. */
export type PageFilters<K extends PageKey> = Omit<ApiQuery<K>, 'limit' | 'cursor'>;

/**
 * Keyset-paginated list state for a table, over the data layer (web/shared/api-query.ts) and
 * typed by the endpoint: the rows are the route's own item type. Remembers the cursors of earlier
 * pages so "previous" works, and starts again from page 1 whenever the filters change; while the
 * next page loads the current one stays on screen, and an answer to earlier filters or an
 * earlier page is never shown.
 */
export function useApiPages<K extends PageKey>(
  key: K,
  filters: PageFilters<K>,
  pageSize = 20,
  options: { params?: ApiParams<K>; enabled?: boolean } = {},
) {
  const filterKey = JSON.stringify(filters);
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: filterKey,
    cursors: [undefined],
  });
  const cursors = state.key === filterKey ? state.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  // The filters and the page's own limit and cursor make the endpoint's query (TypeScript cannot
  // follow a generic endpoint's parts through the spread; PageKey guarantees the shape).
  const query = { ...filters, limit: pageSize, cursor };
  const args = { params: options.params, query } as unknown as ApiArgs<K>;
  const q = useApi(key, options.enabled === false ? null : args, {
    placeholderData: keepPreviousData,
  });
  type Item = ApiResponse<K>['items'][number];
  const page = q.data as
    | { items: Item[]; nextCursor: string | null; total: number; totalCapped?: boolean }
    | undefined;
  const nextCursor = page?.nextCursor ?? null;
  const move = (next: (c: (string | undefined)[]) => (string | undefined)[]) =>
    setState({ key: filterKey, cursors: next(cursors) });
  return {
    items: page?.items ?? [],
    /** The page's whole answer (what the endpoint says beside its items). */
    data: q.data,
    nextCursor,
    total: page?.total ?? 0,
    totalCapped: page?.totalCapped,
    loading: q.isFetching,
    error: q.error,
    pageNumber: cursors.length,
    hasPrev: cursors.length > 1,
    hasNext: nextCursor !== null,
    next: () => nextCursor !== null && move((c) => [...c, nextCursor]),
    prev: () => move((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reload: () => q.refetch(),
  };
}
