import { useCallback, useEffect, useRef, useState } from 'react';
import type { TGrid } from '../../core/contracts/grids.js';
import { get } from './api.js';
import type { L } from './i18n.js';
import { offlineQueue, submitOrQueue, type OfflineQueue } from './offline-queue.js';

/**
 * A grid worker's patrol (巡查) on the phone, without a UI: start, walk (GPS samples batched into
 * the offline queue), report problems with a photo and the position, end. Every write goes
 * through the offline queue with client ids, in order, so a patrol walked without a network
 * arrives whole when the phone is back online (the server treats a repeated id as the same
 * write). The walk lives in localStorage under the key the admin's /patrol page uses, so a walk
 * survives a reload and either screen carries it on.
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

export const WALK_KEY = 'cc-patrol-walk';
export const GRIDS_KEY = 'cc-patrol-grids';
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

/** The walk under way on this phone, if any. */
export const loadWalk = (): PatrolWalk | null => readJson<PatrolWalk | null>(WALK_KEY, null);

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
 * The patrol's state and writes. `t` labels the queue's items; `onError` hears about a queued
 * write the server refused (a problem report's refusal is thrown to the form instead).
 */
export function usePatrolWalk(opts: {
  t: (l: L) => string;
  onError: (err: unknown) => void;
  queue?: OfflineQueue;
}): PatrolWalkState {
  const { t, onError } = opts;
  const queue = opts.queue ?? offlineQueue();
  const [grids, setGrids] = useState<TGrid[]>(() => readJson<TGrid[]>(GRIDS_KEY, []));
  const [walk, setWalkState] = useState<PatrolWalk | null>(loadWalk);
  const walkRef = useRef<PatrolWalk | null>(walk);

  const setWalk = useCallback((w: PatrolWalk | null) => {
    walkRef.current = w;
    setWalkState(w);
    if (w) localStorage.setItem(WALK_KEY, JSON.stringify(w));
    else localStorage.removeItem(WALK_KEY);
  }, []);

  useEffect(() => {
    get<{ items: TGrid[] }>('/api/grids')
      .then((r) => {
        setGrids(r.items);
        localStorage.setItem(GRIDS_KEY, JSON.stringify(r.items));
      })
      .catch(() => undefined); // offline: the cached list
  }, []);

  /** Queues the samples not yet queued, as one batch. */
  const flushSamples = useCallback(async () => {
    const w = walkRef.current;
    if (!w || !w.pending.length) return;
    const points = w.pending;
    setWalk({ ...w, pending: [] });
    await submitOrQueue(queue, {
      clientId: crypto.randomUUID(),
      label: t({ zh: `巡查轨迹 ${points.length} 点`, en: `Track, ${points.length} samples` }),
      url: `/api/patrols/${w.clientId}/points`,
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
        url: '/api/patrols',
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
      url: `/api/patrols/${w.clientId}/end`,
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
        url: `/api/patrols/${w.clientId}/problems`,
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
