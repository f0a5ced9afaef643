import { useCallback, useEffect, useState } from 'react';
import { get } from '../shared/api.js';

/** Fired by the queue screen when it verifies something, so the menu count follows at once. */
export const QUEUE_CHANGED = 'cc:verification-queue-changed';

/** How many rectifications wait for verification in the user's scope (null: not loaded / no access). */
export function useVerificationCount(enabled: boolean, refreshKey: string): number | null {
  const [count, setCount] = useState<number | null>(null);
  const refresh = useCallback(async () => {
    if (!enabled) return;
    try {
      setCount((await get<{ total: number }>('/api/problems/verification-queue?limit=1')).total);
    } catch {
      // signed out or offline: the next refresh tries again
    }
  }, [enabled]);
  useEffect(() => {
    void refresh();
  }, [refresh, refreshKey]);
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => void refresh(), 60_000);
    const onChange = () => void refresh();
    window.addEventListener(QUEUE_CHANGED, onChange);
    return () => {
      clearInterval(timer);
      window.removeEventListener(QUEUE_CHANGED, onChange);
    };
  }, [enabled, refresh]);
  return count;
}
