import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type {
  TCheckinInput,
  TCheckinResult,
  TCheckinToken,
  TVolunteerSettings,
} from '../../../core/contracts/volunteers.js';
import { distanceM } from '../../../core/geo/coords.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { activityAttendance, activitySignups, settings } from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { takeRateLimits } from '../../platform/rate-limit.js';
import { withTx } from '../../platform/tx.js';
import { findActivity } from './activities.service.js';
import { recomputeHours } from './hours.service.js';
import { findOwnVolunteer, loadSettings, notAVolunteer } from './volunteers.service.js';

// ------------------------------------------------------------ signed, time-limited QR tokens

const SECRET_KEY = 'volunteers.qr_secret';

/**
 * The signing key, kept in the settings table so every app server signs alike; made on first use
 * (two servers racing both insert-or-ignore and then read the one that won).
 */
async function qrSecret(db: DbOrTx): Promise<string> {
  await db
    .insert(settings)
    .values({ key: SECRET_KEY, value: randomBytes(32).toString('hex') })
    .onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, SECRET_KEY));
  return row!.value as string;
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

function verifyShortCode(secret: string, activityId: number, code: string, ttlS: number) {
  const current = Math.floor(Date.now() / 1000 / ttlS);
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
  const a = await findActivity(database.db, activityId);
  const s = await loadSettings(database.db);
  const secret = await qrSecret(database.db);
  await database.afterCommit();
  const window = Math.floor(Date.now() / 1000 / s.qrTtlSeconds);
  const token = signToken(secret, a.id, window);
  return {
    token,
    shortCode: shortCodeFor(secret, a.id, window),
    url: `/volunteer-checkin/${a.id}?t=${encodeURIComponent(token)}`,
    expiresAt: new Date((window + 2) * s.qrTtlSeconds * 1000).toISOString(),
    refreshInS: Math.max(5, Math.ceil((window + 1) * s.qrTtlSeconds - Date.now() / 1000)),
  };
}

// ------------------------------------------------------------ check-in and check-out

const tooFar = (d: number, radius: number) =>
  new AppError('checkin_too_far', 422, {
    zh: `您距离活动地点约 ${Math.round(d)} 米，需在 ${radius} 米内签到`,
    en: `you are about ${Math.round(d)} m from the activity; check in within ${radius} m`,
  });

/** Checks the proof of presence; returns the GPS distance when GPS was used. */
async function provePresence(
  database: Database,
  actor: Actor,
  a: { id: number; lat: number | null; lng: number | null },
  input: TCheckinInput,
  s: TVolunteerSettings,
): Promise<number | null> {
  if (input.method === 'gps') {
    if (a.lat === null || a.lng === null) {
      throw new AppError('checkin_no_location', 400, {
        zh: '该活动没有设置地点坐标，请扫码签到',
        en: 'this activity has no location; check in with the QR code',
      });
    }
    const d = distanceM(input.lat, input.lng, a.lat, a.lng);
    if (d > s.checkinRadiusM) throw tooFar(d, s.checkinRadiusM);
    return Math.round(d);
  }
  const secret = await qrSecret(database.db);
  if (input.token) verifyToken(secret, a.id, input.token, s.qrTtlSeconds);
  else if (input.shortCode) {
    // Six digits can be guessed: a person gets a few tries per quarter hour.
    await takeRateLimits(database, [
      { key: `checkin-code:user:${actor.id}`, limit: 10, windowMs: 15 * 60_000 },
    ]);
    verifyShortCode(secret, a.id, input.shortCode, s.qrTtlSeconds);
  } else throw badToken();
  return null;
}

function checkWindow(a: { startsAt: Date; endsAt: Date; status: string }, s: TVolunteerSettings) {
  const now = Date.now();
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

function result(
  row: typeof activityAttendance.$inferSelect,
  repeated: boolean,
  distance: number | null,
): TCheckinResult {
  return {
    activityId: row.activityId,
    checkInAt: row.checkInAt.toISOString(),
    checkOutAt: row.checkOutAt?.toISOString() ?? null,
    creditedMinutes: row.creditedMinutes,
    repeated,
    distanceM: distance,
  };
}

const clientIdTaken = () =>
  new AppError('client_id_taken', 409, {
    zh: '该提交编号已被其他签到使用',
    en: 'this client id belongs to another check-in',
  });

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
  const [byClient] = await database.db
    .select()
    .from(activityAttendance)
    .where(eq(activityAttendance.clientId, input.clientId));
  if (byClient) {
    if (byClient.volunteerId !== own.id || byClient.activityId !== activityId)
      throw clientIdTaken();
    return result(byClient, true, null);
  }
  const a = await findActivity(database.db, activityId);
  const s = await loadSettings(database.db);
  const distance = await provePresence(database, actor, a, input, s);
  checkWindow(a, s);
  return withTx(database, async (tx) => {
    const [signed] = await tx
      .select()
      .from(activitySignups)
      .where(
        and(
          eq(activitySignups.activityId, activityId),
          eq(activitySignups.volunteerId, own.id),
          eq(activitySignups.status, 'signed'),
        ),
      );
    if (!signed) {
      throw new AppError('not_signed_up', 409, {
        zh: '请先报名该活动再签到',
        en: 'sign up for this activity before checking in',
      });
    }
    const inserted = await tx
      .insert(activityAttendance)
      .values({
        activityId,
        volunteerId: own.id,
        clientId: input.clientId,
        checkInAt: new Date(),
        checkInMethod: input.method,
        checkInLat: input.method === 'gps' ? input.lat : null,
        checkInLng: input.method === 'gps' ? input.lng : null,
      })
      .onConflictDoNothing()
      .returning({ id: activityAttendance.id });
    if (inserted.length) {
      await recomputeHours(tx, own.id, s);
      await writeAudit(tx, actor, {
        action: 'volunteer.check_in',
        entityType: 'volunteer_activity',
        entityId: activityId,
        after: { volunteerId: own.id, method: input.method, clientId: input.clientId, distance },
      });
    }
    const [row] = await tx
      .select()
      .from(activityAttendance)
      .where(
        and(
          eq(activityAttendance.activityId, activityId),
          eq(activityAttendance.volunteerId, own.id),
        ),
      );
    if (!row) throw clientIdTaken();
    return result(row, !inserted.length, distance);
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
  const [att] = await database.db
    .select()
    .from(activityAttendance)
    .where(
      and(
        eq(activityAttendance.activityId, activityId),
        eq(activityAttendance.volunteerId, own.id),
      ),
    );
  if (!att) {
    throw new AppError('not_checked_in', 409, {
      zh: '尚未签到，不能签退',
      en: 'you have not checked in',
    });
  }
  if (att.checkOutAt) return result(att, true, null);
  const a = await findActivity(database.db, activityId);
  const s = await loadSettings(database.db);
  const distance = await provePresence(database, actor, a, input, s);
  checkWindow(a, s);
  return withTx(database, async (tx) => {
    const done = await tx
      .update(activityAttendance)
      .set({
        checkOutAt: new Date(),
        checkOutClientId: input.clientId,
        checkOutMethod: input.method,
      })
      .where(and(eq(activityAttendance.id, att.id), sql`${activityAttendance.checkOutAt} is null`))
      .returning({ id: activityAttendance.id });
    if (done.length) {
      await recomputeHours(tx, own.id, s);
      await writeAudit(tx, actor, {
        action: 'volunteer.check_out',
        entityType: 'volunteer_activity',
        entityId: activityId,
        after: { volunteerId: own.id, method: input.method, clientId: input.clientId, distance },
      });
    }
    const [row] = await tx
      .select()
      .from(activityAttendance)
      .where(eq(activityAttendance.id, att.id));
    return result(row!, !done.length, distance);
  });
}
