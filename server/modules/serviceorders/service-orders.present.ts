import type {
  TPublicServiceMenu,
  TPublicServiceTrack,
  TServiceItem,
  TServiceOrder,
  TServiceOrderDetail,
  TServiceRecord,
} from '../../../core/contracts/service-orders.js';
import {
  isOverdue,
  maskName,
  maskPhone,
  SERVICE_EVENT_KINDS,
  SERVICE_ORDER_STATES,
  SERVICE_STEPS,
  type TServiceEventKind,
  type TServiceOrderAction,
} from '../../../core/service-orders/lifecycle.js';
import type { ItemRow, OrderRow, TakerRow } from './service-orders.repo.js';
import type { RecordRow } from './service-records.repo.js';

// Rows → answers of 点单派单. A requester's name and phone leave the server masked in every
// answer; the full contact has a route of its own (audited).

export function presentItem(r: ItemRow, teams: { id: number; name: string }[]): TServiceItem {
  return {
    id: r.id,
    placeId: r.placeId,
    placeName: r.placeName,
    name: r.name,
    category: r.category,
    description: r.description,
    teams,
    volunteersNeeded: r.volunteersNeeded,
    active: r.active,
    version: r.version,
  };
}

export function presentPublicMenu(
  rows: {
    placeId: number;
    kind: string;
    placeName: string;
    address: string | null;
    lat: number | null;
    lng: number | null;
    openingHours: string | null;
    regionName: string | null;
    itemId: number;
    itemName: string;
    category: ItemRow['category'];
    description: string | null;
  }[],
): TPublicServiceMenu {
  const stations = new Map<number, TPublicServiceMenu['stations'][number]>();
  for (const r of rows) {
    let s = stations.get(r.placeId);
    if (!s) {
      s = {
        id: r.placeId,
        kind: r.kind,
        name: r.placeName,
        address: r.address,
        lat: r.lat,
        lng: r.lng,
        regionName: r.regionName,
        openingHours: r.openingHours,
        items: [],
      };
      stations.set(r.placeId, s);
    }
    s.items.push({
      id: r.itemId,
      name: r.itemName,
      category: r.category,
      description: r.description,
    });
  }
  return { stations: [...stations.values()] };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentOrder(
  o: OrderRow,
  extra: {
    takers: TakerRow[];
    photoIds: string[];
    actions: TServiceOrderAction[];
    now: number;
  },
): TServiceOrder {
  return {
    id: o.id,
    trackingCode: o.trackingCode,
    channel: o.channel,
    state: o.state,
    placeId: o.placeId,
    placeName: o.placeName,
    itemId: o.itemId,
    itemName: o.itemName,
    category: o.category,
    need: o.need,
    preferredTime: o.preferredTime,
    address: o.address,
    lat: o.lat,
    lng: o.lng,
    contactName: maskName(o.contactName),
    contactPhone: maskPhone(o.contactPhone),
    orderedByName: o.orderedByName,
    teamId: o.teamId,
    teamName: o.teamName,
    deadline: iso(o.deadline),
    volunteersNeeded: o.volunteersNeeded,
    takers: extra.takers.map((t) => ({
      volunteerId: t.volunteerId,
      name: t.name,
      takenAt: t.takenAt.toISOString(),
      checkInAt: iso(t.checkInAt),
      creditedMinutes: t.creditedMinutes ?? 0,
    })),
    orderedAt: o.orderedAt.toISOString(),
    dispatchedAt: iso(o.dispatchedAt),
    takenAt: iso(o.takenAt),
    onSiteAt: iso(o.onSiteAt),
    doneAt: iso(o.doneAt),
    confirmedAt: iso(o.confirmedAt),
    declinedAt: iso(o.declinedAt),
    declineReason: o.declineReason,
    doneNote: o.doneNote,
    photos: extra.photoIds.map((id) => ({
      id,
      url: `/api/files/${id}`,
      thumbUrl: `/api/files/${id}/thumb`,
    })),
    satisfied: o.satisfied,
    comment: o.comment,
    confirmedBy: o.confirmedBy,
    confirmReason: o.confirmReason,
    overdue: isOverdue(
      {
        state: o.state,
        deadline: o.deadline?.getTime() ?? null,
        doneAt: o.doneAt?.getTime() ?? null,
      },
      extra.now,
    ),
    actions: extra.actions,
    version: o.version,
  };
}

const eventKind = (action: string): TServiceEventKind =>
  (SERVICE_EVENT_KINDS as readonly string[]).includes(action)
    ? (action as TServiceEventKind)
    : 'order';

export function presentDetail(
  order: TServiceOrder,
  events: {
    at: Date;
    action: string;
    note: string | null;
    userName: string | null;
    volunteerName: string | null;
  }[],
): TServiceOrderDetail {
  return {
    ...order,
    events: events.map((e) => ({
      at: e.at.toISOString(),
      action: eventKind(e.action),
      // A resident ordering or confirming on the public page has no account: 居民.
      by:
        e.volunteerName ??
        e.userName ??
        (e.action === 'order' || e.action === 'confirm' ? '居民' : null),
      note: e.note,
    })),
  };
}

/**
 * What the tracking code shows: the steps and their times, the station's decline reason, what was
 * done — never a volunteer's or staff member's name, never the contact in full.
 */
export function presentTrack(
  o: OrderRow,
  events: { at: Date; action: string; note: string | null }[],
  canConfirm: boolean,
  canCancel: boolean,
): TPublicServiceTrack {
  return {
    trackingCode: o.trackingCode,
    state: o.state,
    stationName: o.placeName,
    itemName: o.itemName,
    need: o.need,
    preferredTime: o.preferredTime,
    address: o.address,
    contactName: maskName(o.contactName),
    contactPhone: maskPhone(o.contactPhone),
    teamName: o.teamName,
    deadline: iso(o.deadline),
    timeline: events.map((e) => ({
      at: e.at.toISOString(),
      action: eventKind(e.action),
      note: e.action === 'decline' || e.action === 'cancel' ? e.note : null,
    })),
    doneNote: o.doneNote,
    canConfirm,
    canCancel,
    satisfied: o.satisfied,
    comment: o.comment,
    confirmedBy: o.confirmedBy,
  };
}

type Figures = TServiceRecord['totals'];

function figures(r: RecordRow | undefined): Figures {
  const num = (v: unknown) =>
    v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10;
  const byState = Object.fromEntries(
    SERVICE_ORDER_STATES.map((s) => [s, Number(r?.[s] ?? 0)]),
  ) as Figures['byState'];
  const medianMinutes = Object.fromEntries(
    SERVICE_STEPS.map((s) => [s, num(r?.[`m_${s}`])]),
  ) as Figures['medianMinutes'];
  const rated = Number(r?.rated ?? 0);
  const satisfied = Number(r?.satisfied ?? 0);
  return {
    orders: Number(r?.orders ?? 0),
    byState,
    medianMinutes,
    overdue: Number(r?.overdue ?? 0),
    rated,
    satisfied,
    satisfactionPct: rated ? Math.round((satisfied / rated) * 1000) / 10 : null,
    volunteerMinutes: Number(r?.minutes ?? 0),
  };
}

export function presentRecord(
  month: string | null,
  stations: { id: number; name: string; kind: string; region_name: string | null }[],
  rows: RecordRow[],
): TServiceRecord {
  const byPlace = new Map(
    rows.filter((r) => r.place_id !== null).map((r) => [Number(r.place_id), r]),
  );
  return {
    month,
    stations: stations.map((s) => ({
      placeId: Number(s.id),
      placeName: s.name,
      kind: s.kind,
      regionName: s.region_name,
      ...figures(byPlace.get(Number(s.id))),
    })),
    totals: figures(rows.find((r) => r.place_id === null)),
  };
}
