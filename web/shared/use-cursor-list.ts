import { useCallback, useEffect, useState } from 'react';
import { get, qs } from './api.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
  totalCapped?: boolean;
}

/**
 * Keyset-paginated list state for a table: remembers the cursors of earlier pages so
 * "previous" works, and starts again from page 1 whenever the filters change.
 */
export function useCursorList<T>(
  url: string,
  filters: Record<string, string | number | undefined>,
  pageSize = 20,
) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<Page<T>>({ items: [], nextCursor: null, total: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(filters);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => setCursors([undefined]), [key]);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPage(await get<Page<T>>(`${url}${qs({ ...filters, limit: pageSize, cursor })}`));
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, [url, key, cursor, pageSize]);

  useEffect(() => {
    void load();
  }, [load]);

  return {
    ...page,
    loading,
    error,
    pageNumber: cursors.length,
    hasPrev: cursors.length > 1,
    hasNext: page.nextCursor !== null,
    next: () => page.nextCursor && setCursors((c) => [...c, page.nextCursor ?? undefined]),
    prev: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reload: load,
  };
}
