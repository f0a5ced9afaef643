import { apiUrl, callEndpoint, toError, type ApiResponse, type GetKey } from './api.js';

/**
 * Answers a page asked for before the app started (web/early-me.js, written into the page):
 * taken once, so a later call asks the server again. Null when nothing was asked early (or it was
 * taken already). By the endpoint's key, typed as the route answers: `takeEarly('GET /api/auth/me')`.
 */
export function takeEarly<K extends GetKey>(key: K): Promise<ApiResponse<K>> | null {
  // The early requests are the endpoints' own GETs without arguments (early-me.js).
  const url = apiUrl(key);
  const holder = globalThis as { __ccEarly?: Record<string, Promise<Response | null>> };
  const early = holder.__ccEarly?.[url];
  if (!early) return null;
  delete holder.__ccEarly![url];
  return early.then(async (res) => {
    // The early request failed (offline): ask as usual, through the offline-aware path.
    if (!res) return callEndpoint(key, undefined, undefined, false);
    if (!res.ok) throw await toError(res);
    return (await res.json()) as ApiResponse<K>;
  });
}
