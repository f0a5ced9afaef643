import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  TCheckinInput,
  TCheckinResult,
  TCheckinToken,
  TVolunteerSettings,
} from '../../../core/contracts/volunteers.js';
import { distanceM } from '../../../core/geo/coords.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { takeRateLimits } from '../../platform/rate-limit.js';
import { withTx } from '../../platform/tx.js';
import { isSignedUp } from './activities.repo.js';
import { findActivity } from './activities.service.js';
import * as hoursRepo from './hours.repo.js';
import { clientIdTaken, grantHours, recomputeHours } from './hours.service.js';
import { insertSettingIfAbsent, settingValue } from './volunteers.repo.js';
import { presentCheckin } from './volunteers.present.js';
import { findOwnVolunteer, levelOf, loadSettings, notAVolunteer } from './volunteers.service.js';

// ------------------------------------------------------------ signed, time-limited QR tokens

const SECRET_KEY = 'volunteers.qr_secret';

/**
 * The signing key, kept in the settings table so every app server signs alike; made on first use
 * (two servers racing both insert-or-ignore and then read the one that won).
 */
async function qrSecret(db: DbOrTx): Promise<string> {
  await insertSettingIfAbsent(db, SECRET_KEY, randomBytes(32).toString('hex'));
  return (await settingValue(db, SECRET_KEY)) as string;
}

const mac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest();

/** The token for an activity in one time window: `<activity>.<window>.<signature>`. */
export function signToken(secret: string, activityId: number, window: number): string {
  const sig = mac(secret, `qr:${activityId}:${window}`).subarray(0, 16).toString('base64url');
  return `${activityId}.${window}.${sig}`;
}

/** The six digits people type when they cannot scan, for the same window. */
export function shortCodeFor(secret: string, activityId: number, window: number): string {
  const n = mac(secret, `code:${activityId}:${window}`).readUInt32BE(0) % 1_000_000;
  return String(n).padStart(6, '0');
}

const badToken = () =>
  new AppError('checkin_token_invalid', 403, {
    zh: '签到码无效，请重新扫描现场二维码',
    en: 'invalid check-in code; scan the QR code at the activity again',
  });
const expiredToken = () =>
  new AppError('checkin_token_expired', 410, {
    zh: '签到码已过期，请重新扫描现场二维码',
    en: 'the check-in code has expired; scan the QR code at the activity again',
  });

/**
 * A token is valid in its own window and the next one (so between one and two TTLs). A wrong
 * signature or another activity's token is forged (403); a genuine but old one has expired (410).
 */
export function verifyToken(
  secret: string,
  activityId: number,
  token: string,
  ttlS: number,
  now = Date.now(),
): void {
  const m = /^(\d{1,10})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) throw badToken();
  const window = Number(m[2]);
  const expected = Buffer.from(signToken(secret, Number(m[1]), window));
  const given = Buffer.from(token);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw badToken();
  if (Number(m[1]) !== activityId) throw badToken();
  const current = Math.floor(now / 1000 / ttlS);
  if (window > current) throw badToken();
  if (window < current - 1) throw expiredToken();
}

function verifyShortCode(
  secret: string,
  activityId: number,
  code: string,
  ttlS: number,
  now = Date.now(),
) {
  const current = Math.floor(now / 1000 / ttlS);
  const ok = [current, current - 1].some((w) => shortCodeFor(secret, activityId, w) === code);
  if (!ok) throw badToken();
}

/** What the organiser displays: the QR link and the short code, refreshed before they lapse. */
export async function checkinToken(
  database: Database,
  actor: Actor,
  activityId: number,
): Promise<TCheckinToken> {
  requirePermission(actor, Permission.VolunteerWrite);
  const a = await findActivity(database.db, activityId, levelOf(actor));
  const s = await loadSettings(database.db);
  const secret = await qrSecret(database.db);
  await database.afterCommit();
  const window = Math.floor(Date.now() / 1000 / s.qrTtlSeconds);
  const token = signToken(secret, a.id, window);
  return {
    token,
    shortCode: shortCodeFor(secret, a.id, window),
    url: `/m/checkin/${a.id}?t=${encodeURIComponent(token)}`,
    expiresAt: new Date((window + 2) * s.qrTtlSeconds * 1000).toISOString(),
    refreshInS: Math.max(5, Math.ceil((window + 1) * s.qrTtlSeconds - Date.now() / 1000)),
  };
}

// ------------------------------------------------------------ check-in and check-out

/** How old the phone's time of a queued check-in may be, and how far ahead its clock may run. */
export const OFFLINE_CHECKIN = { maxAgeMs: 24 * 3_600_000, clockAheadMs: 5 * 60_000 };

/**
 * When the check-in or check-out happened: the phone's time (`at`, sent by a queued one) when it
 * is earlier than now, else now. A phone clock running ahead is taken as now; a time more than a
 * day old is refused — the office records that attendance from its roster (补录).
 */
export function actionTime(input: Pick<TCheckinInput, 'at'>, now = Date.now()): number {
  if (!input.at) return now;
  const at = Date.parse(input.at);
  if (at < now - OFFLINE_CHECKIN.maxAgeMs) {
    throw new AppError('checkin_too_old', 409, {
      zh: '该签到记录超过 24 小时才同步，已不能自动计入，请联系活动组织方补录',
      en: 'this check-in reached the server more than a day late; ask the organiser to record it',
    });
  }
  return Math.min(at, now);
}

/**
 * A QR token or short code proves presence in its window: checked against now, or — for one that
 * waited in the phone's queue — against the time it was scanned or typed.
 */
function verifyCode(check: (now: number) => void, when: number): void {
  try {
    check(Date.now());
  } catch (err) {
    if (when >= Date.now() - 1000) throw err;
    check(when);
  }
}

const tooFar = (d: number, radius: number, what: { zh: string; en: string }) =>
  new AppError('checkin_too_far', 422, {
    zh: `您距离${what.zh}约 ${Math.round(d)} 米，需在 ${radius} 米内签到`,
    en: `you are about ${Math.round(d)} m from ${what.en}; check in within ${radius} m`,
  });

/**
 * A GPS check-in's proof: the phone within `radiusM` of the place (haversine on WGS-84). Returns
 * the distance in whole metres; farther is 422 with the distance. Activities and service orders
 * (点单派单, at the resident's address) check presence alike.
 */
export function requireNear(
  at: { lat: number; lng: number },
  place: { lat: number; lng: number },
  radiusM: number,
  what = { zh: '活动地点', en: 'the activity' },
): number {
  const d = distanceM(at.lat, at.lng, place.lat, place.lng);
  if (d > radiusM) throw tooFar(d, radiusM, what);
  return Math.round(d);
}

/** Checks the proof of presence; returns the GPS distance when GPS was used. */
async function provePresence(
  database: Database,
  actor: Actor,
  a: { id: number; lat: number | null; lng: number | null },
  input: TCheckinInput,
  s: TVolunteerSettings,
  when: number,
): Promise<number | null> {
  if (input.method === 'gps') {
    if (a.lat === null || a.lng === null) {
      throw new AppError('checkin_no_location', 400, {
        zh: '该活动没有设置地点坐标，请扫码签到',
        en: 'this activity has no location; check in with the QR code',
      });
    }
    return requireNear(input, { lat: a.lat, lng: a.lng }, s.checkinRadiusM);
  }
  const secret = await qrSecret(database.db);
  const { token, shortCode } = input;
  if (token) verifyCode((now) => verifyToken(secret, a.id, token, s.qrTtlSeconds, now), when);
  else if (shortCode) {
    // Six digits can be guessed: a person gets a few tries per quarter hour.
    await takeRateLimits(database, [
      { key: `checkin-code:user:${actor.id}`, limit: 10, windowMs: 15 * 60_000 },
    ]);
    verifyCode((now) => verifyShortCode(secret, a.id, shortCode, s.qrTtlSeconds, now), when);
  } else throw badToken();
  return null;
}

function checkWindow(
  a: { startsAt: Date; endsAt: Date; status: string },
  s: TVolunteerSettings,
  now: number,
) {
  const grace = s.checkinGraceMinutes * 60_000;
  if (
    a.status !== 'published' ||
    now < a.startsAt.getTime() - grace ||
    now > a.endsAt.getTime() + grace
  ) {
    throw new AppError('checkin_closed', 409, {
      zh: '不在活动签到时间内',
      en: 'check-in is not open for this activity now',
    });
  }
}

/**
 * What check-in and check-out both ask before writing: the proof of presence (GPS distance, QR
 * token or short code) and the activity's check-in window, at the time it happened (`when`).
 * Returns the settings and the distance.
 */
async function proveAttendance(
  database: Database,
  actor: Actor,
  activityId: number,
  input: TCheckinInput,
  when: number,
) {
  const a = await findActivity(database.db, activityId);
  const s = await loadSettings(database.db);
  const distance = await provePresence(database, actor, a, input, s, when);
  checkWindow(a, s, when);
  return { s, distance };
}

/** After a check-in or check-out was written: re-credit the volunteer's hours and audit it. */
async function creditAndAudit(
  tx: Tx,
  actor: Actor,
  action: 'volunteer.check_in' | 'volunteer.check_out',
  w: {
    activityId: number;
    volunteerId: number;
    input: TCheckinInput;
    s: TVolunteerSettings;
    distance: number | null;
    /** The time recorded, when the phone's (a queued check-in) rather than the server's. */
    at: Date;
  },
) {
  const { activityId, volunteerId, input, distance } = w;
  await recomputeHours(tx, volunteerId, w.s);
  await writeAudit(tx, actor, {
    action,
    entityType: 'volunteer_activity',
    entityId: activityId,
    after: {
      volunteerId,
      method: input.method,
      clientId: input.clientId,
      distance,
      ...(input.at ? { at: w.at.toISOString() } : {}),
    },
  });
}

/**
 * Checks the signed-in volunteer in. Idempotent: the same client id, or a second check-in by the
 * same person, returns the first one (`repeated`), never a second attendance.
 */
export async function checkIn(
  database: Database,
  actor: Actor,
  activityId: number,
  input: TCheckinInput,
): Promise<TCheckinResult> {
  requirePermission(actor, Permission.VolunteerServe);
  const own = await findOwnVolunteer(database.db, actor);
  if (!own || own.status !== 'active') throw notAVolunteer();
  const byClient = await hoursRepo.attendanceByClientId(database.db, input.clientId);
  if (byClient) {
    if (byClient.volunteerId !== own.id || byClient.activityId !== activityId)
      throw clientIdTaken();
    return presentCheckin(byClient, true, null);
  }
  const when = actionTime(input);
  const { s, distance } = await proveAttendance(database, actor, activityId, input, when);
  return withTx(database, async (tx) => {
    if (!(await isSignedUp(tx, activityId, own.id))) {
      throw new AppError('not_signed_up', 409, {
        zh: '请先报名该活动再签到',
        en: 'sign up for this activity before checking in',
      });
    }
    const inserted = await hoursRepo.insertAttendance(tx, {
      activityId,
      volunteerId: own.id,
      clientId: input.clientId,
      checkInAt: new Date(when),
      checkInMethod: input.method,
      checkInLat: input.method === 'gps' ? input.lat : null,
      checkInLng: input.method === 'gps' ? input.lng : null,
    });
    if (inserted) {
      const w = { activityId, volunteerId: own.id, input, s, distance, at: new Date(when) };
      await creditAndAudit(tx, actor, 'volunteer.check_in', w);
    }
    const row = await hoursRepo.attendanceOf(tx, activityId, own.id);
    if (!row) throw clientIdTaken();
    return presentCheckin(row, !inserted, distance);
  });
}

/** Checks the volunteer out (same proofs); repeating it returns the first check-out. */
export async function checkOut(
  database: Database,
  actor: Actor,
  activityId: number,
  input: TCheckinInput,
): Promise<TCheckinResult> {
  requirePermission(actor, Permission.VolunteerServe);
  const own = await findOwnVolunteer(database.db, actor);
  if (!own) throw notAVolunteer();
  const att = await hoursRepo.attendanceOf(database.db, activityId, own.id);
  if (!att) {
    throw new AppError('not_checked_in', 409, {
      zh: '尚未签到，不能签退',
      en: 'you have not checked in',
    });
  }
  if (att.checkOutAt) return presentCheckin(att, true, null);
  const when = actionTime(input);
  const { s, distance } = await proveAttendance(database, actor, activityId, input, when);
  // A phone whose clock ran behind the server's never checks out before it checked in.
  const at = new Date(Math.max(when, att.checkInAt.getTime()));
  return withTx(database, async (tx) => {
    const done = await hoursRepo.checkOut(tx, att.id, {
      clientId: input.clientId,
      method: input.method,
      at,
    });
    if (done) {
      const w = { activityId, volunteerId: own.id, input, s, distance, at };
      await creditAndAudit(tx, actor, 'volunteer.check_out', w);
      await grantHours(tx, actor, att.id);
    }
    const row = await hoursRepo.attendanceById(tx, att.id);
    return presentCheckin(row!, !done, distance);
  });
}
