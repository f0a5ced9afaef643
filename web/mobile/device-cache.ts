import { useCallback, useEffect, useState } from 'react';
import { get } from '../shared/api.js';
import { useOnline } from '../shared/use-offline-queue.js';

/**
 * What a flow keeps on the phone so it opens offline (the questionnaires and quotas, the
 * activities, the hours): the last answer fetched online, in localStorage under one prefix, so
 * signing out (or a session found gone) forgets all of it at once — forgetCachedAnswers() in
 * service-worker.ts calls forgetDeviceCache().
 */
const PREFIX = 'cc-m.';

export interface Stored<T> {
  data: T;
  /** When it was fetched (ISO). */
  at: string;
}

export function readCache<T>(key: string): Stored<T> | null {
  try {
    return JSON.parse(localStorage.getItem(PREFIX + key) ?? 'null') as Stored<T> | null;
  } catch {
    return null;
  }
}

export function writeCache<T>(key: string, data: T): Stored<T> {
  const stored = { data, at: new Date().toISOString() };
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(stored));
  } catch {
    // Storage full or refused (a private window): it opens online only.
  }
  return stored;
}

/** Forgets everything the phone app's flows kept for offline use. */
export function forgetDeviceCache(): void {
  if (typeof localStorage === 'undefined') return;
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k?.startsWith(PREFIX)) keys.push(k);
  }
  for (const k of keys) localStorage.removeItem(k);
}

export interface StoredAnswer<T> {
  /** The last answer: fetched now, or kept from an earlier visit. */
  data: T | null;
  /** When `data` was fetched (ISO), null when none is kept. */
  at: string | null;
  /** The last fetch failed (offline, or refused) — `data`, if any, is the kept one. */
  error: unknown;
  loading: boolean;
  /** Fetches again (after a write). */
  reload: () => void;
  /**
   * Applies a write the server accepted to the kept answer, so what is shown (and what opens
   * offline next) stays true even when the fetch that follows fails.
   */
  update: (fn: (data: T) => T) => void;
}

/**
 * GET `url` (null: not asked) and keep the answer under `key`; shows the kept answer at once and
 * replaces it when the server answers, again whenever the phone comes back online.
 */
export function useStoredAnswer<T>(key: string, url: string | null): StoredAnswer<T> {
  const online = useOnline();
  const [stored, setStored] = useState<Stored<T> | null>(() => readCache<T>(key));
  const [state, setState] = useState<{ error: unknown; loading: boolean }>({
    error: null,
    loading: !!url,
  });
  const [round, setRound] = useState(0);
  useEffect(() => setStored(readCache<T>(key)), [key]);
  useEffect(() => {
    if (!url) {
      setState({ error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    get<T>(url).then(
      (data) => {
        if (!live) return;
        setStored(writeCache(key, data));
        setState({ error: null, loading: false });
      },
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key, url, online, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const update = useCallback(
    (fn: (data: T) => T) =>
      setStored((s) => {
        if (!s) return s;
        const next = { data: fn(s.data), at: s.at };
        try {
          localStorage.setItem(PREFIX + key, JSON.stringify(next));
        } catch {
          // As in writeCache.
        }
        return next;
      }),
    [key],
  );
  return {
    data: stored?.data ?? null,
    at: stored?.at ?? null,
    error: state.error,
    loading: state.loading,
    reload,
    update,
  };
}
