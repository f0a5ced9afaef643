import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { ApiArgs, ApiResponse, GetKey } from '../shared/api.js';
import { apiKey } from '../shared/api-query.js';
import { usePhoneApi } from './use-answer.js';

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

export function writeCache<T>(key: string, data: T, at = new Date().toISOString()): Stored<T> {
  const stored = { data, at };
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
 * Reads an endpoint (`args` null: not asked) and keeps the answer under `key`; shows the kept
 * answer at once and replaces it when the server answers, again whenever the phone comes back
 * online (usePhoneApi).
 */
export function useStoredAnswer<K extends GetKey>(
  key: string,
  endpoint: K,
  args: ApiArgs<K> | null,
): StoredAnswer<ApiResponse<K>> {
  type T = ApiResponse<K>;
  const client = useQueryClient();
  const [round, setRound] = useState(0);
  const q = usePhoneApi(endpoint, args, { reload: round });
  const [stored, setStored] = useState<Stored<T> | null>(() => readCache<T>(key));
  useEffect(() => setStored(readCache<T>(key)), [key]);
  // A new answer from the server is kept (one read from the data layer's cache, older than what
  // is kept — an accepted write applied by `update` — is not).
  const { data, dataUpdatedAt } = q;
  useEffect(() => {
    if (data === undefined) return;
    setStored((s) => {
      if (s && Date.parse(s.at) >= dataUpdatedAt) return s;
      return writeCache(key, data, new Date(dataUpdatedAt).toISOString());
    });
  }, [key, data, dataUpdatedAt]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const update = useCallback(
    (fn: (data: T) => T) => {
      setStored((s) => {
        if (!s) return s;
        const next = { data: fn(s.data), at: s.at };
        try {
          localStorage.setItem(PREFIX + key, JSON.stringify(next));
        } catch {
          // As in writeCache.
        }
        return next;
      });
      // The data layer's copy too: a page opened later starts from what the server now holds.
      if (args !== null) {
        client.setQueryData<T>(apiKey(endpoint, args), (d) => (d === undefined ? d : fn(d)), {
          updatedAt: dataUpdatedAt,
        });
      }
    },
    [key, client, endpoint, args, dataUpdatedAt],
  );
  return {
    data: stored?.data ?? null,
    at: stored?.at ?? null,
    error: q.error,
    loading: args !== null && q.isFetching,
    reload,
    update,
  };
}
