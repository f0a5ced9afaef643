import { api, apiUrl, callEndpoint, toError, type ApiResponse, type GetKey } from './api.js';

/**
 * Answers a page asked for before the app started (web/public/early-me.js): taken once, so a
 * later call asks the server again. Null when nothing was asked early (or it was taken already).
 * By the endpoint's key, typed as the route answers: `takeEarly('GET /api/auth/me')`.
 */
export function takeEarly<K extends GetKey>(key: K): Promise<ApiResponse<K>> | null;
/** By the URL asked early, the answer's type the caller's (the admin's AuthProvider, until moved). */
export function takeEarly<T>(url: `/${string}`): Promise<T> | null;
export function takeEarly(keyOrUrl: string): Promise<unknown> | null {
  const byKey = !keyOrUrl.startsWith('/');
  // The early requests are the endpoints' own GETs without arguments (early-me.js).
  const url = byKey ? apiUrl(keyOrUrl as GetKey) : keyOrUrl;
  const holder = globalThis as { __ccEarly?: Record<string, Promise<Response | null>> };
  const early = holder.__ccEarly?.[url];
  if (!early) return null;
  delete holder.__ccEarly![url];
  return early.then(async (res) => {
    // The early request failed (offline): ask as usual, through the offline-aware path.
    if (!res)
      return byKey
        ? callEndpoint(keyOrUrl as GetKey, undefined, undefined, false)
        : api('GET', url);
    if (!res.ok) throw await toError(res);
    return (await res.json()) as unknown;
  });
}
