import { useCallback, useEffect, useRef, useState } from 'react';
import type { TGrid } from '../../core/contracts/grids.js';
import { useApi } from './api-query.js';
import type { L } from './i18n.js';
import { offlineQueue, submitOrQueue, type OfflineQueue } from './offline-queue.js';

/**
 * A grid worker's patrol (巡查) on the phone, without a UI: start, walk (GPS samples batched into
 * the offline queue), report problems with a photo and the position, end. Every write goes
 * through the offline queue with client ids, in order, so a patrol walked without a network
 * arrives whole when the phone is back online (the server treats a repeated id as the same
 * write). The walk lives in localStorage, so it survives a reload — under the walker's user id:
 * the walk is the person's, not the phone's, like the queued writes that carry it (another account
 * signing in on this phone neither sees nor continues it; its owner does, on signing in again).
 */

export interface PatrolSample {
  seq: number;
  at: string;
  lat: number;
  lng: number;
  accuracyM: number | null;
}

export interface PatrolWalk {
  clientId: string;
  gridId: number;
  gridName: string;
  startedAt: string;
  nextSeq: number;
  pending: PatrolSample[];
  path: { lat: number; lng: number }[];
  reported: number;
}

export interface PatrolProblemInput {
  title: string;
  categoryId: number;
  description: string;
  photo: Blob | null;
  photoName?: string;
}

/** Where a user's walk under way is kept. */
export const walkKey = (userId: number) => `cc-patrol-walk:${userId}`;
/** Where a user's grids (the last list fetched online) are kept, for starting a walk offline. */
export const gridsKey = (userId: number) => `cc-patrol-grids:${userId}`;
/** The keys of the versions that kept one walk and one grid list per phone. */
const PHONE_WALK_KEY = 'cc-patrol-walk';
const PHONE_GRIDS_KEY = 'cc-patrol-grids';
/** Samples per queued batch: small enough that little is lost if the phone dies. */
const BATCH = 5;
const GEO = { enableHighAccuracy: true, maximumAge: 0, timeout: 10_000 };

function readJson<T>(key: string, fallback: T): T {
  try {
    return (JSON.parse(localStorage.getItem(key) ?? 'null') as T | null) ?? fallback;
  } catch {
    return fallback;
  }
}

/**
 * This user's walk under way, if any. A walk kept by an earlier version under the phone's one
 * key (no owner) is taken by the first user who looks: most likely its walker, still signed in.
 */
export function loadWalk(userId: number): PatrolWalk | null {
  const own = readJson<PatrolWalk | null>(walkKey(userId), null);
  if (own) return own;
  const unowned = readJson<PatrolWalk | null>(PHONE_WALK_KEY, null);
  if (!unowned) return null;
  try {
    localStorage.setItem(walkKey(userId), JSON.stringify(unowned));
    localStorage.removeItem(PHONE_WALK_KEY);
  } catch {
    // Storage refused: shown, and taken over next time.
  }
  return unowned;
}

/**
 * Forgets every user's kept grid list (signing out: service-worker.ts forgetCachedAnswers). The
 * walks stay: each is its walker's, and goes on when they sign in again.
 */
export function forgetPatrolGrids(): void {
  if (typeof localStorage === 'undefined') return;
  for (const key of Object.keys(localStorage)) {
    if (key === PHONE_GRIDS_KEY || key.startsWith(`${PHONE_GRIDS_KEY}:`)) {
      localStorage.removeItem(key);
    }
  }
}

/** The position now (a fresh fix within a few seconds), or null: no GPS, refused or too slow. */
export function positionNow(timeoutMs = 5000): Promise<{ lat: number; lng: number } | null> {
  const geo = typeof navigator === 'undefined' ? null : navigator.geolocation;
  if (!geo) return Promise.resolve(null);
  return new Promise((resolve) => {
    geo.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      () => resolve(null),
      { ...GEO, timeout: timeoutMs },
    );
  });
}

export interface PatrolWalkState {
  /** The worker's grids (the last list fetched online, kept for offline use). */
  grids: TGrid[];
  walk: PatrolWalk | null;
  start: (grid: TGrid) => Promise<void>;
  /** Ends the walk; resolves with its name and the path walked. */
  end: () => Promise<{ gridName: string; path: { lat: number; lng: number }[] } | null>;
  /** Reports a problem on the way, at the current position: 'sent' or 'queued'. */
  report: (input: PatrolProblemInput) => Promise<'sent' | 'queued'>;
}

/**
 * The patrol's state and writes, for the signed-in walker `userId`. `t` labels the queue's items;
 * `onError` hears about a queued write the server refused (a problem report's refusal is thrown
 * to the form instead).
 */
export function usePatrolWalk(opts: {
  userId: number;
  t: (l: L) => string;
  onError: (err: unknown) => void;
  queue?: OfflineQueue;
}): PatrolWalkState {
  const { userId, t, onError } = opts;
  const queue = opts.queue ?? offlineQueue();
  const [walk, setWalkState] = useState<PatrolWalk | null>(() => loadWalk(userId));
  const walkRef = useRef<PatrolWalk | null>(walk);

  const setWalk = useCallback(
    (w: PatrolWalk | null) => {
      walkRef.current = w;
      setWalkState(w);
      if (w) localStorage.setItem(walkKey(userId), JSON.stringify(w));
      else localStorage.removeItem(walkKey(userId));
    },
    [userId],
  );

  // The grids from the server, asked offline too (the service worker may answer) and not
  // retried; the last list fetched is kept, so a walk can start with the network cut.
  const fetched = useApi(
    'GET /api/grids',
    {},
    { networkMode: 'always', retry: false, refetchOnReconnect: false },
  ).data?.items;
  useEffect(() => {
    if (fetched) localStorage.setItem(gridsKey(userId), JSON.stringify(fetched));
  }, [fetched, userId]);
  const [kept] = useState(() => readJson<TGrid[]>(gridsKey(userId), []));
  const grids = fetched ?? kept;

  /** Queues the samples not yet queued, as one batch. */
  const flushSamples = useCallback(async () => {
    const w = walkRef.current;
    if (!w || !w.pending.length) return;
    const points = w.pending;
    setWalk({ ...w, pending: [] });
    await submitOrQueue(queue, {
      clientId: crypto.randomUUID(),
      label: t({ zh: `巡查轨迹 ${points.length} 点`, en: `Track, ${points.length} samples` }),
      endpoint: 'POST /api/patrols/:clientId/points',
      params: { clientId: w.clientId },
      body: { clientId: crypto.randomUUID(), points },
    }).catch(onError);
  }, [queue, setWalk, t, onError]);

  const addSample = useCallback(
    (lat: number, lng: number, at: number, accuracy: number | null, autoFlush = true) => {
      const w = walkRef.current;
      if (!w) return;
      const last = w.path[w.path.length - 1];
      if (last && last.lat === lat && last.lng === lng) return;
      const sample: PatrolSample = {
        seq: w.nextSeq,
        at: new Date(at || Date.now()).toISOString(),
        lat,
        lng,
        accuracyM: accuracy !== null && Number.isFinite(accuracy) ? accuracy : null,
      };
      const next = {
        ...w,
        nextSeq: w.nextSeq + 1,
        pending: [...w.pending, sample],
        path: [...w.path, { lat, lng }],
      };
      setWalk(next);
      if (autoFlush && next.pending.length >= BATCH) void flushSamples();
    },
    [setWalk, flushSamples],
  );

  // While walking: follow the GPS, and poll it too (some phones report only on movement).
  useEffect(() => {
    const geo = typeof navigator === 'undefined' ? null : navigator.geolocation;
    if (!walk || !geo) return;
    const onPosition = (pos: GeolocationPosition) =>
      addSample(pos.coords.latitude, pos.coords.longitude, pos.timestamp, pos.coords.accuracy);
    const watch = geo.watchPosition(onPosition, () => undefined, GEO);
    const poll = window.setInterval(
      () => geo.getCurrentPosition(onPosition, () => undefined, GEO),
      3000,
    );
    return () => {
      geo.clearWatch(watch);
      window.clearInterval(poll);
    };
    // The walk's identity, not each sample, decides whether to watch.
  }, [walk?.clientId, addSample]);

  const start = useCallback(
    async (grid: TGrid) => {
      const w: PatrolWalk = {
        clientId: crypto.randomUUID(),
        gridId: grid.id,
        gridName: grid.name,
        startedAt: new Date().toISOString(),
        nextSeq: 0,
        pending: [],
        path: [],
        reported: 0,
      };
      setWalk(w);
      await submitOrQueue(queue, {
        clientId: w.clientId,
        label: t({ zh: `开始巡查：${grid.name}`, en: `Patrol started: ${grid.name}` }),
        endpoint: 'POST /api/patrols',
        body: { clientId: w.clientId, gridId: grid.id, startedAt: w.startedAt },
      }).catch((err: unknown) => {
        onError(err);
        setWalk(null);
      });
    },
    [queue, setWalk, t, onError],
  );

  const end = useCallback(async () => {
    const w = walkRef.current;
    if (!w) return null;
    await flushSamples();
    await submitOrQueue(queue, {
      clientId: crypto.randomUUID(),
      label: t({ zh: `结束巡查：${w.gridName}`, en: `Patrol ended: ${w.gridName}` }),
      endpoint: 'POST /api/patrols/:clientId/end',
      params: { clientId: w.clientId },
      body: { clientId: crypto.randomUUID(), endedAt: new Date().toISOString() },
    }).catch(onError);
    setWalk(null);
    return { gridName: w.gridName, path: w.path };
  }, [queue, flushSamples, setWalk, t, onError]);

  const report = useCallback(
    async (input: PatrolProblemInput) => {
      const w0 = walkRef.current;
      if (!w0) throw new Error('no patrol under way');
      // Where the photo was taken: a fresh fix, else the last sample of the track.
      const fix = await positionNow();
      if (fix) addSample(fix.lat, fix.lng, Date.now(), null, false);
      // The track so far is queued before the problem, so it arrives first.
      await flushSamples();
      const w = walkRef.current ?? w0;
      const here = fix ?? w.path[w.path.length - 1] ?? null;
      const key = crypto.randomUUID();
      const clientId = crypto.randomUUID();
      const outcome = await submitOrQueue(queue, {
        clientId,
        label: t({ zh: `巡查问题：${input.title}`, en: `Patrol problem: ${input.title}` }),
        endpoint: 'POST /api/patrols/:clientId/problems',
        params: { clientId: w.clientId },
        body: {
          clientId,
          title: input.title,
          description: input.description || null,
          categoryId: input.categoryId,
          lat: here?.lat ?? null,
          lng: here?.lng ?? null,
          photoIds: input.photo ? [`$file:${key}`] : [],
        },
        files: input.photo
          ? [{ key, blob: input.photo, name: input.photoName ?? 'photo.jpg' }]
          : [],
      });
      const cur = walkRef.current;
      if (cur) setWalk({ ...cur, reported: cur.reported + 1 });
      return outcome;
    },
    [queue, addSample, flushSamples, setWalk, t],
  );

  return { grids, walk, start, end, report };
}
