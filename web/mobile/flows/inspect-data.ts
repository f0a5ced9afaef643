import { useEffect, useMemo, useState } from 'react';
import type {
  TAddedPoint,
  TAssignedPoint,
  TChecklistItemView,
  TMyRound,
} from '../../../core/contracts/inspections.js';
import { distanceM } from '../../../core/geo/coords.js';
import type { TItemResult, TVisitResult } from '../../../core/inspection/score.js';
import { L } from '../../shared/i18n.js';
import type { QueuedItem } from '../../shared/offline-queue.js';
import { useOnline, useQueuedItems } from '../../shared/use-offline-queue.js';
import { useKept } from '../phone-store.js';

// 实地检查's data without UI: the rounds (kept on the phone), the GPS fix, what waits in the
// queue, and the labels the screens share.

export interface Fix {
  lat: number;
  lng: number;
  accuracy: number;
  at: string;
}

export const RESULT_LABELS: Record<TItemResult, L> = {
  pass: L.points.pass,
  fail: L.points.fail,
  na: L.points.na,
};

export const VISIT_LABELS: Record<TVisitResult, { label: L; color: string }> = {
  pass: { label: L.points.pass, color: 'success' },
  fail: { label: L.points.fail, color: 'warning' },
  serious: { label: L.points.serious, color: 'danger' },
};

/** 测评轮次 kinds (core/contracts ROUND_KINDS) as the inspector reads them. */
export const KIND_LABELS: Record<string, L> = {
  official: { zh: '正式测评', en: 'Official' },
  mock: L.points.mock,
  supervision: L.points.supervision,
  secret: L.points.secret,
};

export const metres = (m: number) =>
  m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`;

/** Metres from the phone to a point, or null without either position. */
export function distanceTo(
  p: { lat: number | null; lng: number | null },
  fix: Fix | null,
): number | null {
  return fix && p.lat !== null && p.lng !== null ? distanceM(fix.lat, fix.lng, p.lat, p.lng) : null;
}

/** A checklist item as kept on the phone: a round kept before a field existed lacks it. */
export type CachedItem = Partial<TChecklistItemView> & { text: string };

/** Where a visit is: a drawn point, or a place being added on the spot (随机查看). */
export type VisitTarget =
  | { kind: 'drawn'; point: TAssignedPoint }
  | {
      kind: 'added';
      place: TAddedPoint;
      typeName: string;
      route: string | null;
      checklist: CachedItem[];
    };

/** Under way on `today`: within its dates (a round with no dates always is). */
export function underWay(r: Pick<TMyRound, 'startsOn' | 'endsOn'>, today: string): boolean {
  return (!r.startsOn || r.startsOn <= today) && (!r.endsOn || r.endsOn >= today);
}

/**
 * Drawn by day (按城区分日抽签): a round's points under the day whose districts hold them, days
 * by date; points of no scheduled district (a place added across the boundary) last.
 */
export function byDay(r: TMyRound) {
  const days = [...(r.days ?? [])].sort((a, b) => a.date.localeCompare(b.date));
  const groups = days.map((day) => ({
    key: String(day.id),
    day,
    points: r.points.filter((p) => p.dayId === day.id),
  }));
  const other = r.points.filter((p) => !days.some((d) => d.id === p.dayId));
  return other.length ? [...groups, { key: 'other', day: null, points: other }] : groups;
}

/** The phone's position, watched while the flow is open (null until the first fix). */
export function usePosition(): { fix: Fix | null; error: string | null } {
  const [fix, setFix] = useState<Fix | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // Some browsers (and test DOMs) expose the property as null.
    const geo = typeof navigator === 'undefined' ? null : navigator.geolocation;
    if (!geo) {
      setError('no geolocation');
      return;
    }
    const id = geo.watchPosition(
      (p) => {
        setError(null);
        setFix({
          lat: p.coords.latitude,
          lng: p.coords.longitude,
          accuracy: p.coords.accuracy,
          at: new Date(p.timestamp).toISOString(),
        });
      },
      (e) => setError(e.message || 'no position'),
      { enableHighAccuracy: true, maximumAge: 30_000, timeout: 20_000 },
    );
    return () => geo.clearWatch(id);
  }, []);
  return { fix, error };
}

/** A visit or a correction waiting in the queue, read back from its item. */
export interface PendingVisit {
  clientId: string;
  state: QueuedItem['state'];
  roundId: number | undefined;
  pointId: number | undefined;
  addedPoint: TAddedPoint | undefined;
  /** Set for a correction: the visit corrected. */
  correcting: number | null;
}

/** The queue's visits and corrections (the rest of the queue is other flows' business). */
export function pendingVisits(items: readonly QueuedItem[]): PendingVisit[] {
  return items.flatMap((q): PendingVisit[] => {
    if (q.endpoint === 'POST /api/visits') {
      return [
        {
          clientId: q.clientId,
          state: q.state,
          roundId: q.body?.roundId,
          pointId: q.body?.pointId,
          addedPoint: q.body?.addedPoint,
          correcting: null,
        },
      ];
    }
    if (q.endpoint === 'POST /api/visits/:id/corrections' && q.params) {
      const base = { clientId: q.clientId, state: q.state, correcting: q.params.id };
      return [{ ...base, roundId: undefined, pointId: undefined, addedPoint: undefined }];
    }
    return [];
  });
}

export interface MyRounds {
  /** null while nothing is known (neither kept on the phone nor loaded yet). */
  rounds: TMyRound[] | null;
  /** What is shown is the copy kept on the phone: offline, or the server did not answer. */
  stale: boolean;
  pending: PendingVisit[];
  reload: () => void;
}

/**
 * The inspector's rounds: at once from the phone's copy, then from the server — again when the
 * phone comes online and whenever the queue's visits have all been sent (the server then knows
 * their results; not while some wait). Each answer is kept on the phone for the next time, online
 * or not. The task list reads the same answer (usePhoneApi: one request for both).
 */
export function useMyRounds(): MyRounds {
  const online = useOnline();
  const queued = useQueuedItems();
  const pending = useMemo(() => pendingVisits(queued), [queued]);
  const waiting = pending.filter((p) => p.state === 'queued').length;
  const answer = useKept(
    'GET /api/inspections/mine',
    {},
    { enabled: waiting === 0, reload: waiting },
  );
  const failed = answer.keptAt !== null || answer.error !== null;
  return {
    rounds: answer.data?.items ?? (failed ? [] : null),
    stale: failed || !online,
    pending,
    reload: answer.reload,
  };
}
