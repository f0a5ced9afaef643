import type { UseQueryResult } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { ApiArgs, ApiResponse, GetKey } from '../shared/api.js';
import { useApi } from '../shared/api-query.js';
import { useOnline } from '../shared/use-offline-queue.js';

export interface Answer<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
}

/**
 * The phone's reads, on the data layer (web/shared/api-query.ts) with the phone's own rules: asked
 * even when the browser says it is offline (the service worker answers from its cache when it
 * can), never retried (what is kept on the phone is shown at once instead), and asked again when
 * the phone goes online or offline and whenever `reload` changes (e.g. the number of a flow's
 * writes still queued: one went through). `args` null: not asked; `enabled` false: not now.
 */
export function usePhoneApi<K extends GetKey>(
  key: K,
  args: ApiArgs<K> | null,
  opts: { reload?: unknown; enabled?: boolean } = {},
): UseQueryResult<ApiResponse<K>, Error> {
  const online = useOnline();
  const enabled = opts.enabled ?? true;
  const q = useApi(key, args, {
    enabled,
    networkMode: 'always',
    retry: false,
    refetchOnReconnect: false,
  });
  const asked = useRef({ online, reload: opts.reload });
  const { refetch } = q;
  const active = args !== null && enabled;
  useEffect(() => {
    const last = asked.current;
    if (last.online === online && Object.is(last.reload, opts.reload)) return;
    asked.current = { online, reload: opts.reload };
    // An answer already on its way will do (enabling the query may just have asked).
    if (active) void refetch({ cancelRefetch: false });
  }, [online, opts.reload, active, refetch]);
  return q;
}

/**
 * Reads an endpoint (`args` null: not asked, e.g. without the permission), and again when the
 * phone goes online or offline (offline, the service worker answers from its cache when it can).
 * A refetch keeps what is shown until the answer comes, and a failed one keeps it too.
 */
export function useAnswer<K extends GetKey>(
  key: K,
  args: ApiArgs<K> | null,
): Answer<ApiResponse<K>> {
  const q = usePhoneApi(key, args);
  if (args === null) return { data: null, error: null, loading: false };
  return {
    data: q.data ?? null,
    error: q.data === undefined ? q.error : null,
    loading: q.isLoading,
  };
}
