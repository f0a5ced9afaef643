import { useEffect, useState } from 'react';
import { useAuth } from '../admin/auth.js';
import { get } from '../shared/api.js';
import { useOnline } from '../shared/use-offline-queue.js';

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
 * GET `url` (null: not asked) and keep the answer; offline, or while the request runs, the kept
 * one is shown. Asked again when the phone goes online or offline, and when `reload` changes
 * (e.g. the number of this flow's writes still queued: one went through).
 */
export function useKeptAnswer<T>(url: string | null, reload: unknown = 0): KeptAnswer<T> {
  const { user } = useAuth();
  const online = useOnline();
  const userId = user?.id ?? null;
  const [state, setState] = useState<KeptAnswer<T> & { url: string | null }>(() =>
    initial<T>(userId, url),
  );
  // A new URL starts from what is kept for it, not from the last URL's answer.
  const current = state.url === url ? state : initial<T>(userId, url);
  if (current !== state) setState(current);
  useEffect(() => {
    if (!url || userId === null) return;
    let live = true;
    get<T>(url).then(
      (data) => {
        writeKept(userId, url, data);
        if (live) setState({ url, data, error: null, loading: false, keptAt: null });
      },
      (error: unknown) => {
        if (!live) return;
        const kept = readKept<T>(userId, url);
        setState(
          kept
            ? { url, data: kept.data, error: null, loading: false, keptAt: kept.at }
            : { url, data: null, error, loading: false, keptAt: null },
        );
      },
    );
    return () => {
      live = false;
    };
  }, [url, userId, online, reload]);
  return current;
}

function initial<T>(userId: number | null, url: string | null) {
  const kept = url && userId !== null ? readKept<T>(userId, url) : null;
  return {
    url,
    data: kept?.data ?? null,
    error: null,
    loading: !!url && !kept,
    keptAt: null,
  };
}
