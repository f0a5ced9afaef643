import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useAuth } from '../admin/auth.js';
import { apiUrl, type ApiArgs, type ApiResponse, type GetKey } from '../shared/api.js';
import { apiKey } from '../shared/api-query.js';
import { usePhoneApi } from './use-answer.js';

/**
 * What the phone keeps of the server's answers (localStorage), so that a flow opens with the
 * network cut — even where the service worker's cache has nothing (its first visit, a URL it does
 * not keep): the last answer of each endpoint URL, with when it was loaded, per signed-in user
 * (`cc-m-kept:<userId>:<url>`), so a second person on the phone never sees the first one's. All of
 * it is forgotten on signing out (forgetKept, called by forgetCachedAnswers in service-worker.ts).
 * A full storage (or none: a private window) only means nothing new is kept; the app still works
 * online.
 */
const PREFIX = 'cc-m-kept:';

export interface Kept<T> {
  data: T;
  /** When it was loaded (ISO). */
  at: string;
}

const slotOf = (userId: number, url: string) => `${PREFIX}${userId}:${url}`;

function read<T>(slot: string): Kept<T> | null {
  try {
    const v = JSON.parse(localStorage.getItem(slot) ?? 'null') as Kept<T> | null;
    return v && typeof v === 'object' && 'data' in v && typeof v.at === 'string' ? v : null;
  } catch {
    return null;
  }
}

function write<T>(slot: string, kept: Kept<T>): Kept<T> {
  try {
    localStorage.setItem(slot, JSON.stringify(kept));
  } catch {
    // Storage full or refused: what was kept before stays (the flow still opens offline).
  }
  return kept;
}

/**
 * The keepers this one replaced kept some answers under fixed keys, not per user: the inspector's
 * rounds (`cc-inspections-mine`, no time) and the flows' `cc-m.<name>`. Signing out removed them,
 * so any still there belong to whoever is signed in now: they move to that user the first time
 * something is not found (a phone updated while offline still opens its rounds and lists).
 */
const LEGACY_ROUNDS = 'cc-inspections-mine';
const LEGACY_PREFIX = 'cc-m.';

function legacyUrl(name: string): string | null {
  if (name === 'survey.assignments') return apiUrl('GET /api/survey-app/assignments');
  if (name === 'volunteer.ledger') return apiUrl('GET /api/volunteers/me/ledger');
  if (name === 'volunteer.activities') return apiUrl('GET /api/volunteer-activities');
  const id = /^volunteer\.activity\.(\d+)$/.exec(name)?.[1];
  return id ? apiUrl('GET /api/volunteer-activities/:id', { params: { id: Number(id) } }) : null;
}

function adoptLegacy(userId: number): void {
  try {
    for (const name of Object.keys(localStorage)) {
      let url: string | null = null;
      let kept: Kept<unknown> | null = null;
      if (name === LEGACY_ROUNDS) {
        const rounds = JSON.parse(localStorage.getItem(name) ?? 'null') as unknown;
        url = apiUrl('GET /api/inspections/mine');
        // Kept with no time: the epoch says "older than anything the server answers".
        kept = Array.isArray(rounds)
          ? { data: { items: rounds }, at: new Date(0).toISOString() }
          : null;
      } else if (name.startsWith(LEGACY_PREFIX)) {
        url = legacyUrl(name.slice(LEGACY_PREFIX.length));
        kept = read(name);
      } else continue;
      const slot = url && slotOf(userId, url);
      if (slot && kept && !localStorage.getItem(slot)) write(slot, kept);
      localStorage.removeItem(name);
    }
  } catch {
    // No storage, or a copy that does not parse: nothing to move.
  }
}

/** The answer kept for this user and an endpoint's call, if any (typed as the endpoint answers). */
export function readKept<K extends GetKey>(
  userId: number,
  key: K,
  args: ApiArgs<K>,
): Kept<ApiResponse<K>> | null {
  const slot = slotOf(userId, apiUrl(key, args));
  const kept = read<ApiResponse<K>>(slot);
  if (kept) return kept;
  adoptLegacy(userId);
  return read<ApiResponse<K>>(slot);
}

/** Keeps an answer for this user and call, loaded `at` (now unless given); returns what is kept. */
export function keep<K extends GetKey>(
  userId: number,
  key: K,
  args: ApiArgs<K>,
  data: ApiResponse<K>,
  at: string = new Date().toISOString(),
): Kept<ApiResponse<K>> {
  return write(slotOf(userId, apiUrl(key, args)), { data, at });
}

/**
 * Applies a write the server accepted to the kept answer (its time stays the load's): what opens
 * offline next stays true. Returns the new copy, or null when nothing was kept.
 */
export function updateKept<K extends GetKey>(
  userId: number,
  key: K,
  args: ApiArgs<K>,
  fn: (data: ApiResponse<K>) => ApiResponse<K>,
): Kept<ApiResponse<K>> | null {
  const kept = readKept(userId, key, args);
  return kept && keep(userId, key, args, fn(kept.data), kept.at);
}

/** Forgets every kept answer of every user (signing out, the session gone), legacy keys too. */
export function forgetKept(): void {
  if (typeof localStorage === 'undefined') return;
  for (const name of Object.keys(localStorage)) {
    if (name.startsWith(PREFIX) || name.startsWith(LEGACY_PREFIX) || name === LEGACY_ROUNDS) {
      localStorage.removeItem(name);
    }
  }
}

export interface KeptAnswer<T> {
  /** The last answer: the server's, or the one kept on the phone (null: neither yet). */
  data: T | null;
  /** When `data` was loaded (ISO), null when there is none. */
  at: string | null;
  /**
   * Shown from the phone: the server could not be reached (or refused) and `data` is the copy
   * loaded at this time. Null while the server's answer is shown, or still on its way.
   */
  keptAt: string | null;
  /** Why nothing could be loaded (only when nothing is kept either). */
  error: unknown;
  /** Nothing to show yet, and the server's answer is on its way. */
  loading: boolean;
  /** Asks the server again (after a write). */
  reload: () => void;
  /**
   * Applies a write the server accepted to what is shown, kept and held by the data layer, so it
   * stays true (and opens so offline) even when the read that follows fails.
   */
  update: (fn: (data: T) => T) => void;
}

export interface KeptOptions<K extends GetKey> {
  /** Asked again whenever this changes (e.g. the number of the flow's writes still queued). */
  reload?: string | number;
  /** false: not asked now (what is kept is still shown). */
  enabled?: boolean;
  /**
   * The call to keep the answer under when it differs from the one asked: a list over a moving
   * time window is kept as the endpoint's last list, so it opens offline on another day too.
   */
  keepAs?: ApiArgs<K>;
}

/**
 * Reads an endpoint (`args` null: not asked) through the phone: the answer kept for the signed-in
 * user shows at once, the server's replaces it (and is kept) when it comes, and when the server
 * cannot be reached the kept one stays, with `keptAt`. Asked again when the phone goes online or
 * offline (usePhoneApi), when `opts.reload` changes and on `reload()`.
 */
export function useKept<K extends GetKey>(
  key: K,
  args: ApiArgs<K> | null,
  opts: KeptOptions<K> = {},
): KeptAnswer<ApiResponse<K>> {
  type T = ApiResponse<K>;
  const { user } = useAuth();
  const userId = user?.id ?? null;
  const asked = userId === null ? null : args;
  // Where the answer is kept: this user, and the call's URL (or keepAs's).
  const keptArgs = asked && (opts.keepAs ?? asked);
  const slot = keptArgs && `${userId}:${apiUrl(key, keptArgs)}`;
  const askedUrl = asked && apiUrl(key, asked);
  const q = usePhoneApi(key, asked, { reload: opts.reload, enabled: opts.enabled });
  const client = useQueryClient();
  const readNow = () => (userId !== null && keptArgs ? readKept(userId, key, keptArgs) : null);

  // What is kept for this user and call, read again when either changes.
  const [state, setState] = useState(() => ({ slot, kept: readNow() }));
  let kept = state.kept;
  if (state.slot !== slot) {
    kept = readNow();
    setState({ slot, kept });
  }

  const { data, dataUpdatedAt, refetch } = q;
  /** The newer of what is kept and the data layer's answer (older: kept before `update`). */
  const newest = (k: Kept<T> | null): Kept<T> | null =>
    data !== undefined && (!k || Date.parse(k.at) < dataUpdatedAt)
      ? { data, at: new Date(dataUpdatedAt).toISOString() }
      : k;
  const shown = asked === null ? null : newest(kept);

  // A new answer from the server is kept (shown at once, above; kept once rendered).
  const fresh = shown !== null && shown !== kept;
  useEffect(() => {
    if (!fresh || userId === null || !keptArgs) return;
    setState((s) => {
      const n = s.slot === slot ? newest(s.kept) : null;
      return n && n !== s.kept ? { slot, kept: keep(userId, key, keptArgs, n.data, n.at) } : s;
    });
    // The callbacks here see the call through `slot` and `askedUrl` (the arguments are often
    // written inline: a new object each render, for the same URL).
  }, [fresh, slot, data, dataUpdatedAt]);

  const active = asked !== null;
  const reload = useCallback(() => {
    if (active) void refetch();
  }, [active, refetch]);
  const update = useCallback(
    (fn: (d: T) => T) => {
      if (userId === null || !keptArgs || !asked) return;
      setState((s) => {
        const n = s.slot === slot ? newest(s.kept) : null;
        return n ? { slot, kept: keep(userId, key, keptArgs, fn(n.data), n.at) } : s;
      });
      // The data layer's copy too: a screen opened later starts from what the server now holds.
      client.setQueryData<T>(apiKey(key, asked), (d) => (d === undefined ? d : fn(d)), {
        updatedAt: dataUpdatedAt,
      });
    },
    [slot, askedUrl, client, data, dataUpdatedAt],
  );

  const failed = q.isError;
  return {
    data: shown?.data ?? null,
    at: shown?.at ?? null,
    keptAt: failed && shown ? shown.at : null,
    error: failed && !shown ? q.error : null,
    loading: asked !== null && !shown && !failed,
    reload,
    update,
  };
}
