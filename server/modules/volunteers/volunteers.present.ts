import { startOfShanghaiDay } from '../../../core/calendar/working-days.js';
import type {
  TActivity,
  TAttendee,
  TCheckinResult,
  TLedger,
  TMonthlyRecord,
  TPlace,
  TTeam,
  TVolunteer,
} from '../../../core/contracts/volunteers.js';
import type { ActivityRow, AttendeeRow } from './activities.repo.js';
import type {
  AttendanceRow,
  LedgerAdjustmentRow,
  LedgerAttendanceRow,
  MonthlyActivityRow,
} from './hours.repo.js';
import type { LedgerNationalRow } from './national.repo.js';
import type { PlaceRow, TeamRow, VolunteerRow } from './volunteers.repo.js';

// Rows → responses of 志愿服务. Who sees a phone in full is the service's decision (`fullPhones`).

/** 13812345678 → 138****5678 unless the reader sees phones in full. */
export function phoneFor(phone: string, fullPhones: boolean): string {
  return fullPhones ? phone : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

export function presentVolunteer(v: VolunteerRow, fullPhones: boolean): TVolunteer {
  return {
    id: v.id,
    name: v.name,
    phone: phoneFor(v.phone, fullPhones),
    // Never the ID number itself: reading the registry decrypts nothing.
    idNumberMasked: v.idNumberMasked,
    realName: v.idNumberHash !== null,
    organisation: v.organisation,
    teamId: v.teamId,
    teamName: v.teamName,
    skills: v.skills,
    regionId: v.regionId,
    regionName: v.regionName,
    status: v.status,
    userId: v.userId,
    version: v.version,
    totalMinutes: Number(v.totalMinutes),
  };
}

/** A keyset page from `limit + 1` rows (the extra one says there is a next page). */
export function presentVolunteerPage(
  rows: VolunteerRow[],
  limit: number,
  total: number,
  fullPhones: boolean,
) {
  const page = rows.slice(0, limit);
  return {
    items: page.map((v) => presentVolunteer(v, fullPhones)),
    nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
    total,
  };
}

export function presentTeam(r: TeamRow): TTeam {
  return {
    id: r.id,
    name: r.name,
    unitId: r.unit_id,
    unitName: r.unit_name,
    regionId: r.region_id,
    regionName: r.region_name,
    members: Number(r.members),
    version: r.version,
  };
}

export function presentPlace(p: PlaceRow): TPlace {
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    regionId: p.regionId,
    regionName: p.regionName,
    unitId: p.unitId,
    address: p.address,
    lat: p.lat,
    lng: p.lng,
    openingHours: p.openingHours,
    staff: p.staff,
    version: p.version,
    activitiesThisMonth: Number(p.activitiesThisMonth),
  };
}

/**
 * Activities with the reader's own state (`mine`: null when the reader is not a volunteer) from
 * their sign-ups and attendances, and the photos when they were read.
 */
export function presentActivities(
  rows: ActivityRow[],
  own: {
    signups: { activityId: number; status: string }[];
    attendances: { activityId: number; checkInAt: Date; checkOutAt: Date | null }[];
  } | null,
  photos: { activityId: number; fileId: string }[],
): TActivity[] {
  const mine = new Map<number, { signedUp: boolean; inAt: Date | null; outAt: Date | null }>();
  for (const s of own?.signups ?? []) {
    mine.set(s.activityId, { signedUp: s.status === 'signed', inAt: null, outAt: null });
  }
  for (const a of own?.attendances ?? []) {
    const m = mine.get(a.activityId) ?? { signedUp: false, inAt: null, outAt: null };
    mine.set(a.activityId, { ...m, inAt: a.checkInAt, outAt: a.checkOutAt });
  }
  const photoIds = new Map<number, string[]>();
  for (const p of photos) {
    photoIds.set(p.activityId, [...(photoIds.get(p.activityId) ?? []), p.fileId]);
  }
  return rows.map((r) => {
    const m = mine.get(r.id);
    return {
      id: r.id,
      title: r.title,
      description: r.description,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      placeId: r.placeId,
      placeName: r.placeName,
      address: r.address,
      lat: r.lat,
      lng: r.lng,
      regionId: r.regionId,
      capacity: r.capacity,
      signedUp: r.signedUp,
      checkedIn: Number(r.checkedIn),
      organiserUnitId: r.organiserUnitId,
      organiserUnitName: r.organiserUnitName,
      organiserTeamId: r.organiserTeamId,
      organiserTeamName: r.organiserTeamName,
      status: r.status,
      version: r.version,
      mine: own
        ? {
            signedUp: m?.signedUp ?? false,
            checkInAt: m?.inAt?.toISOString() ?? null,
            checkOutAt: m?.outAt?.toISOString() ?? null,
          }
        : null,
      photoIds: photoIds.get(r.id) ?? [],
    };
  });
}

export function presentAttendee(r: AttendeeRow, fullPhones: boolean): TAttendee {
  return {
    volunteerId: r.volunteerId,
    name: r.name,
    phone: phoneFor(r.phone, fullPhones),
    teamName: r.teamName,
    signedUp: r.signup === 'signed',
    checkInAt: r.checkInAt?.toISOString() ?? null,
    checkOutAt: r.checkOutAt?.toISOString() ?? null,
    method: r.method,
    creditedMinutes: r.creditedMinutes ?? 0,
    estimated: r.estimated ?? false,
  };
}

export function presentCheckin(
  row: AttendanceRow,
  repeated: boolean,
  distance: number | null,
): TCheckinResult {
  return {
    // An activity's check-in (a service order's has its own answer).
    activityId: row.activityId ?? 0,
    checkInAt: row.checkInAt.toISOString(),
    checkOutAt: row.checkOutAt?.toISOString() ?? null,
    creditedMinutes: row.creditedMinutes,
    repeated,
    distanceM: distance,
  };
}

/** Attendances, corrections and hours from the national system, newest first, with their sum. */
export function presentLedger(
  volunteer: TLedger['volunteer'],
  att: LedgerAttendanceRow[],
  adj: LedgerAdjustmentRow[],
  national: LedgerNationalRow[] = [],
): TLedger {
  const entries: TLedger['entries'] = [
    ...att.map((a) => ({
      // An activity's attendance, or the time served on a service order (点单派单).
      kind: a.serviceOrderId !== null ? ('service' as const) : ('attendance' as const),
      at: a.checkInAt.toISOString(),
      activityId: a.activityId,
      serviceOrderId: a.serviceOrderId,
      activityTitle: a.serviceOrderId !== null ? `点单服务：${a.serviceName ?? ''}` : a.title,
      checkInAt: a.checkInAt.toISOString(),
      checkOutAt: a.checkOutAt?.toISOString() ?? null,
      minutes: a.minutes,
      estimated: a.estimated,
      reason: null,
      by: null,
    })),
    ...adj.map((a) => ({
      kind: 'adjustment' as const,
      at: a.at.toISOString(),
      activityId: a.activityId,
      serviceOrderId: null,
      activityTitle: a.title,
      checkInAt: null,
      checkOutAt: null,
      minutes: a.minutes,
      estimated: false,
      reason: a.reason,
      by: a.by,
    })),
    ...national.map((n) => ({
      kind: 'national' as const,
      // The day served, at its start in Asia/Shanghai.
      at: startOfShanghaiDay(n.date).toISOString(),
      activityId: null,
      serviceOrderId: null,
      activityTitle: n.title,
      checkInAt: null,
      checkOutAt: null,
      minutes: n.minutes,
      estimated: false,
      reason: n.recordId,
      by: n.by,
    })),
  ].sort((x, y) => y.at.localeCompare(x.at));
  return {
    volunteer,
    entries,
    totalMinutes: entries.reduce((n, e) => n + e.minutes, 0),
  };
}

export function presentMonthlyRecord(
  place: TPlace,
  month: string,
  rows: MonthlyActivityRow[],
): TMonthlyRecord {
  const activities = rows.map((r) => ({
    id: r.id,
    title: r.title,
    startsAt: new Date(r.starts_at).toISOString(),
    endsAt: new Date(r.ends_at).toISOString(),
    signedUp: r.signed_up,
    attended: Number(r.attended),
    minutes: Number(r.minutes),
  }));
  return {
    place,
    month,
    activities,
    totals: {
      activities: activities.length,
      attended: activities.reduce((n, a) => n + a.attended, 0),
      minutes: activities.reduce((n, a) => n + a.minutes, 0),
    },
  };
}
