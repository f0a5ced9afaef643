import { useEffect, useMemo } from 'react';
import { useAuth } from '../admin/auth.js';
import { apiUrl, type ApiArgs, type ApiResponse, type GetKey } from '../shared/api.js';
import { usePhoneApi } from './use-answer.js';

/**
 * The last answers a flow loaded, kept on the phone (localStorage) so that the flow opens with the
 * network cut — even where the service worker's cache has nothing (its first visit, a URL it does
 * not keep). Kept per signed-in user, and forgotten on signing out (forgetKept, called by
 * forgetCachedAnswers), so the next person on the phone never sees them.
 */
const PREFIX = 'cc-m-kept:';

interface Kept<T> {
  data: T;
  /** When it was loaded (ISO). */
  at: string;
}

const keyOf = (userId: number, url: string) => `${PREFIX}${userId}:${url}`;

/** The answer kept for this user and URL, if any. */
export function readKept<T>(userId: number, url: string): Kept<T> | null {
  try {
    return JSON.parse(localStorage.getItem(keyOf(userId, url)) ?? 'null') as Kept<T> | null;
  } catch {
    return null;
  }
}

/** The answer kept for this user and an endpoint's call, if any (typed as the endpoint answers). */
export function readKeptAnswer<K extends GetKey>(
  userId: number,
  key: K,
  args: ApiArgs<K>,
): Kept<ApiResponse<K>> | null {
  return readKept<ApiResponse<K>>(userId, apiUrl(key, args));
}

function writeKept(userId: number, url: string, data: unknown): void {
  try {
    localStorage.setItem(
      keyOf(userId, url),
      JSON.stringify({ data, at: new Date().toISOString() }),
    );
  } catch {
    // Storage full or refused (a private window): the flow still works online.
  }
}

/** Forgets every kept answer of every user (signing out, the session gone). */
export function forgetKept(): void {
  if (typeof localStorage === 'undefined') return;
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(PREFIX)) localStorage.removeItem(key);
  }
}

export interface KeptAnswer<T> {
  data: T | null;
  /** Why nothing could be loaded (only when nothing is kept either). */
  error: unknown;
  loading: boolean;
  /** Shown from the phone: the server could not be reached; when it was loaded. */
  keptAt: string | null;
}

/**
 * Reads an endpoint (`args` null: not asked) and keeps the answer; offline, or while the request
 * runs, the kept one is shown. Asked again when the phone goes online or offline, and when
 * `reload` changes (e.g. the number of this flow's writes still queued: one went through). The
 * answer is kept under its URL, as it always was.
 */
export function useKeptAnswer<K extends GetKey>(
  key: K,
  args: ApiArgs<K> | null,
  reload: unknown = 0,
): KeptAnswer<ApiResponse<K>> {
  const { user } = useAuth();
  const userId = user?.id ?? null;
  const url = args === null ? null : apiUrl(key, args);
  const q = usePhoneApi(key, userId === null ? null : args, { reload });
  const { data, dataUpdatedAt } = q;
  useEffect(() => {
    if (userId !== null && url !== null && data !== undefined) writeKept(userId, url, data);
  }, [userId, url, data, dataUpdatedAt]);
  // What is kept for this URL, read again when the request fails or another URL is asked.
  const kept = useMemo(
    () => (userId !== null && url !== null ? readKept<ApiResponse<K>>(userId, url) : null),
    [userId, url, q.isError],
  );
  if (url === null || userId === null)
    return { data: null, error: null, loading: false, keptAt: null };
  if (q.isError) {
    if (kept) return { data: kept.data, error: null, loading: false, keptAt: kept.at };
    if (data !== undefined) {
      return { data, error: null, loading: false, keptAt: new Date(dataUpdatedAt).toISOString() };
    }
    return { data: null, error: q.error, loading: false, keptAt: null };
  }
  if (data !== undefined) return { data, error: null, loading: false, keptAt: null };
  return { data: kept?.data ?? null, error: null, loading: !kept, keptAt: null };
}
