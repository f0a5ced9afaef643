import { useEffect, useRef } from 'react';
import { useApi } from '../shared/api-query.js';

/** Fired by the queue screen when it verifies something, so the menu count follows at once. */
export const QUEUE_CHANGED = 'cc:verification-queue-changed';

/**
 * How many rectifications wait for verification in the user's scope (null: not loaded / no
 * access). Polled every minute, asked again when the page changes (`refreshKey`) and when the
 * queue says it changed; signed out or offline, the last count stays until an answer comes.
 */
export function useVerificationCount(enabled: boolean, refreshKey: string): number | null {
  const q = useApi(
    'GET /api/problems/verification-queue',
    enabled ? { query: { limit: 1 } } : null,
    { refetchInterval: 60_000 },
  );
  const { refetch } = q;
  // Another page: asked again (the first is asked as the query mounts).
  const shownFor = useRef(refreshKey);
  useEffect(() => {
    if (shownFor.current === refreshKey) return;
    shownFor.current = refreshKey;
    if (enabled) void refetch();
  }, [enabled, refreshKey, refetch]);
  useEffect(() => {
    if (!enabled) return;
    const onChange = () => void refetch();
    window.addEventListener(QUEUE_CHANGED, onChange);
    return () => window.removeEventListener(QUEUE_CHANGED, onChange);
  }, [enabled, refetch]);
  return enabled ? (q.data?.total ?? null) : null;
}
