import { get, toError } from './api.js';

/**
 * Answers a page asked for before the app started (web/public/early-me.js): taken once, so a
 * later call asks the server again. Null when nothing was asked early (or it was taken already).
 */
export function takeEarly<T>(url: string): Promise<T> | null {
  const holder = globalThis as { __ccEarly?: Record<string, Promise<Response | null>> };
  const early = holder.__ccEarly?.[url];
  if (!early) return null;
  delete holder.__ccEarly![url];
  return early.then(async (res) => {
    // The early request failed (offline): ask as usual, through the offline-aware path.
    if (!res) return get<T>(url);
    if (!res.ok) throw await toError(res);
    return (await res.json()) as T;
  });
}
