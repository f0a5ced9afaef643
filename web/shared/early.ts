import {
  apiUrl,
  callEndpoint,
  toError,
  type ApiArgs,
  type ApiResponse,
  type GetKey,
} from './api.js';

/**
 * Answers a page asked for before the app started (web/early-me.js and web/early-phone.js, written
 * into the pages): taken once, so a later call asks the server again. Null when nothing was asked
 * early at that URL (or it was taken already). By the endpoint's key and arguments, typed as the
 * route answers: `takeEarly('GET /api/auth/me')`. Every read of the data layer (useApi) looks
 * here first, so the phone's task list takes what web/early-phone.js asked for.
 */
export function takeEarly<K extends GetKey>(
  key: K,
  args?: ApiArgs<K>,
): Promise<ApiResponse<K>> | null {
  // Every read looks here: nothing to work out once the early answers are taken (or there were none).
  const held = (globalThis as { __ccEarly?: Record<string, Promise<Response | null>> }).__ccEarly;
  if (!held || Object.keys(held).length === 0) return null;
  const url = apiUrl(key, args);
  const early = held[url];
  if (!early) return null;
  delete held[url];
  return early.then(async (res) => {
    // The early request failed (offline): ask as usual, through the offline-aware path.
    if (!res) return callEndpoint(key, args, undefined, false);
    if (!res.ok) throw await toError(res);
    return (await res.json()) as ApiResponse<K>;
  });
}
