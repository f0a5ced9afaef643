import { randomInt } from 'node:crypto';
import type {
  TCitizenReport,
  TExposureItem,
  TJurisdiction,
  TTrackResponse,
} from '../../../core/contracts/citizen.js';
import { rateRefusal, reopenRefusal, reopenUntil } from '../../../core/citizen/replies.js';
import { pointInArea } from '../../../core/geo/polygon.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import { uploadImage } from '../files/files.service.js';
import { loadCalendar } from '../problems/problems.repo.js';
import { ensureCodeSequences, intakeProblem } from '../problems/problems.service.js';
import { exposureCursor, presentExposureItem, presentTrack } from './citizen.present.js';
import {
  deleteExposure,
  findCitizenReportByCode,
  findExposure,
  findJurisdiction,
  findProblemState,
  findProblemWithNames,
  findPublicPhotoFile,
  insertCitizenReport,
  listCategories,
  listExposureRows,
  listProblemEvents,
  listPublicPhotos,
  upsertExposure,
  upsertJurisdiction,
  type CategoryRow,
} from './citizen.repo.js';

/** Who a citizen report is filed as: the office's intake on the `citizen` channel. */
const CITIZEN_ACTOR: Actor = {
  ...SYSTEM_ACTOR,
  username: 'citizen',
  name: '市民随手拍',
  roles: ['office'],
};

// Tracking codes: SJ + 10 characters without look-alikes (0/O, 1/I): 32^10 ≈ 10^15 codes.
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export function newTrackingCode(): string {
  let s = 'SJ';
  for (let i = 0; i < 10; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

export const MAX_CITIZEN_PHOTOS = 3;

// The report page, tracking and the board are public (no actor): their limits are the rate limits
// the routes take and what each answer leaves out.

/** The area citizen reports must fall in (null: anywhere). */
export async function getJurisdiction(db: DbOrTx): Promise<TJurisdiction | null> {
  return findJurisdiction(db);
}

/** What the report page needs before a citizen starts: categories, jurisdiction, photo limit. */
export async function publicSetup(database: Database) {
  return {
    categories: await citizenCategories(database.db),
    jurisdiction: await getJurisdiction(database.db),
    maxPhotos: MAX_CITIZEN_PHOTOS,
  };
}

export async function putJurisdiction(
  database: Database,
  actor: Actor,
  j: TJurisdiction,
): Promise<TJurisdiction> {
  requirePermission(actor, Permission.RegionWrite);
  return withTx(database, async (tx) => {
    const before = await findJurisdiction(tx);
    await upsertJurisdiction(tx, j, actor.id);
    await writeAudit(tx, actor, {
      action: 'settings.jurisdiction',
      entityType: 'settings',
      entityId: 'jurisdiction',
      before,
      after: j,
    });
    return j;
  });
}

/** The categories open to the public: active subcategories, with their class's name. */
export function publicCategories(all: CategoryRow[]) {
  const names = new Map(all.map((c) => [c.id, c.name]));
  return all
    .filter((c) => c.active && c.parentId !== null)
    .map((c) => ({ ...c, group: names.get(c.parentId!) ?? null }));
}

/** The categories a citizen can choose: active subcategories, with their class as the group. */
export async function citizenCategories(db: DbOrTx) {
  return publicCategories(await listCategories(db)).map((c) => ({
    id: c.id,
    name: c.name,
    group: c.group,
  }));
}

/**
 * A citizen's report: checks the honeypot, the jurisdiction and the category before storing any
 * photo, then files the problem (state `reported`, channel `citizen`) and its tracking code in one
 * transaction.
 */
export async function submitReport(
  database: Database,
  storage: FileStorage,
  input: TCitizenReport,
  photos: { data: Buffer; filename: string }[],
  ip: string | null,
): Promise<{ trackingCode: string; submittedAt: string }> {
  if (input.website) {
    throw new AppError('invalid', 400, { zh: '提交无效', en: 'the submission was refused' });
  }
  if (photos.length > MAX_CITIZEN_PHOTOS) {
    throw errors.invalid({
      zh: `最多上传 ${MAX_CITIZEN_PHOTOS} 张照片`,
      en: `at most ${MAX_CITIZEN_PHOTOS} photos`,
    });
  }
  const jurisdiction = await getJurisdiction(database.db);
  if (jurisdiction && !pointInArea(input.lng, input.lat, jurisdiction.geometry)) {
    throw new AppError('outside_jurisdiction', 400, {
      zh: `所选位置不在${jurisdiction.name}范围内，请在地图上重新选择`,
      en: `the location is outside ${jurisdiction.name}; choose it again on the map`,
    });
  }
  const categories = await citizenCategories(database.db);
  const category = categories.find((c) => c.id === input.categoryId);
  if (!category) throw errors.notFound('category', input.categoryId);

  const actor: Actor = { ...CITIZEN_ACTOR, ip };
  const stored: { id: string }[] = [];
  for (const p of photos) {
    stored.push(await uploadImage(database, storage, actor, p, { anonymous: true }));
  }
  await ensureCodeSequences(database);
  const trackingCode = newTrackingCode();
  const now = new Date();
  await withTx(database, async (tx) => {
    const { detail } = await intakeProblem(tx, actor, {
      title: `随手拍：${category.name}`,
      description: input.description,
      categoryId: input.categoryId,
      severity: 'normal',
      channel: 'citizen',
      lat: input.lat,
      lng: input.lng,
      address: input.address ?? null,
      reporterName: '市民',
      reporterPhone: input.phone || null,
      photoIds: stored.map((s) => s.id),
    });
    await insertCitizenReport(tx, {
      problemId: detail.problem.id,
      trackingCode,
      deviceId: input.deviceId ?? null,
      ip,
      createdAt: now,
      // Texts need a number: without one the wish is not kept.
      smsOptIn: Boolean(input.smsOptIn && input.phone),
    });
  });
  return { trackingCode, submittedAt: now.toISOString() };
}

/** The problems a tracking code shows: the report, and the one it was merged into. */
export async function trackedProblems(db: DbOrTx, code: string) {
  const report = await findCitizenReportByCode(db, code);
  const own = report ? await findProblemWithNames(db, report.problemId) : undefined;
  if (!report || !own) return undefined;
  const handling = own.p.mergedIntoId
    ? await findProblemWithNames(db, own.p.mergedIntoId)
    : undefined;
  return { report, own, handling: handling ?? own };
}

/** What the tracking page shows; `reopenWindowDays` (REOPEN_WINDOW_DAYS) bounds the reopening. */
export async function track(
  database: Database,
  code: string,
  opts: { reopenWindowDays: number },
): Promise<TTrackResponse> {
  const db = database.db;
  const found = await trackedProblems(db, code);
  if (!found) throw trackingNotFound();
  const ids = [...new Set([found.own.p.id, found.handling.p.id])];
  const events = await listProblemEvents(db, ids);
  const feedback = reporterFeedback(found, new Date(), opts.reopenWindowDays);
  return presentTrack(code, found, events, await listPublicPhotos(db, ids), feedback);
}

/** The reporter's part as the rules see it: the handling problem's state, the report's marks. */
export function reporterView(found: NonNullable<Awaited<ReturnType<typeof trackedProblems>>>) {
  return {
    state: found.handling.p.state,
    closedAt: found.handling.p.closedAt,
    ratedAt: found.report.ratedAt,
    reopenedAt: found.report.reopenedAt,
  };
}

function reporterFeedback(
  found: NonNullable<Awaited<ReturnType<typeof trackedProblems>>>,
  now: Date,
  windowDays: number,
): TTrackResponse['feedback'] {
  const v = reporterView(found);
  const r = found.report;
  const canReopen = reopenRefusal(v, now, windowDays) === null;
  return {
    canRate: rateRefusal(v) === null,
    rating:
      r.rating && r.ratedAt
        ? { value: r.rating, comment: r.ratingComment, at: r.ratedAt.toISOString() }
        : null,
    canReopen,
    reopenUntil: canReopen && v.closedAt ? reopenUntil(v.closedAt, windowDays).toISOString() : null,
    reopenWindowDays: windowDays,
    reopened:
      r.reopenedAt && r.reopenReason
        ? { at: r.reopenedAt.toISOString(), reason: r.reopenReason }
        : null,
  };
}

export function trackingNotFound() {
  return new AppError('not_found', 404, {
    zh: '没有找到这个查询码，请核对后再试',
    en: 'no report has this tracking code; check it and try again',
  });
}

/** A public photo: only a before/after photo of a problem the code or the exposure shows. */
export async function publicPhoto(
  database: Database,
  storage: FileStorage,
  owner: { trackingCode: string } | { exposureId: number },
  fileId: string,
  thumb: boolean,
): Promise<{ data: Buffer; mime: string }> {
  const db = database.db;
  let problemIds: number[] = [];
  if ('trackingCode' in owner) {
    const found = await trackedProblems(db, owner.trackingCode);
    if (found) problemIds = [found.own.p.id, found.handling.p.id];
  } else {
    const e = await findExposure(db, owner.exposureId);
    if (e) problemIds = [e.problemId];
  }
  const f = problemIds.length ? await findPublicPhotoFile(db, fileId, problemIds) : undefined;
  if (!f) throw errors.notFound('file', fileId);
  const data = await storage.get(thumb && f.thumbKey ? f.thumbKey : f.storageKey);
  if (!data) throw errors.notFound('file', fileId);
  return { data, mime: f.mime };
}

export async function publishExposure(
  database: Database,
  actor: Actor,
  problemId: number,
  input: { title: string; note?: string | null | undefined },
): Promise<void> {
  requirePermission(actor, Permission.ExposureManage);
  await withTx(database, async (tx) => {
    const p = await findProblemState(tx, problemId);
    if (!p) throw errors.notFound('problem', problemId);
    if (p.state === 'reported' || p.state === 'rejected' || p.state === 'merged') {
      throw new AppError('not_publishable', 409, {
        zh: '未立案、不予立案或已合并的问题不能曝光',
        en: 'a problem that is not registered, was rejected or was merged cannot be published',
      });
    }
    const values = {
      problemId,
      title: input.title,
      note: input.note ?? null,
      publishedBy: actor.id,
    };
    await upsertExposure(tx, values);
    await writeAudit(tx, actor, {
      action: 'exposure.publish',
      entityType: 'problem',
      entityId: problemId,
      after: values,
    });
  });
}

/** The office's view of a problem's place on the board (null when not published). */
export async function getExposure(database: Database, actor: Actor, problemId: number) {
  requirePermission(actor, Permission.ExposureManage);
  const e = await findExposure(database.db, problemId);
  return e ? { title: e.title, note: e.note, publishedAt: e.publishedAt.toISOString() } : null;
}

export async function unpublishExposure(
  database: Database,
  actor: Actor,
  problemId: number,
): Promise<void> {
  requirePermission(actor, Permission.ExposureManage);
  await withTx(database, async (tx) => {
    const gone = await deleteExposure(tx, problemId);
    if (!gone.length) throw errors.notFound('problem', problemId);
    await writeAudit(tx, actor, {
      action: 'exposure.unpublish',
      entityType: 'problem',
      entityId: problemId,
      before: gone[0],
    });
  });
}

/** 曝光台, newest first, keyset by (published time, id). */
export async function listExposures(
  database: Database,
  q: { limit: number; cursor?: string | undefined },
): Promise<{ items: TExposureItem[]; nextCursor: string | null }> {
  const db = database.db;
  let after = undefined;
  if (q.cursor) {
    const m = /^(\d{1,15})_(\d{1,15})$/.exec(q.cursor);
    if (!m) throw errors.invalid({ zh: '分页游标无效', en: 'invalid page cursor' });
    after = { at: new Date(Number(m[1])), problemId: Number(m[2]) };
  }
  const rows = await listExposureRows(db, after, q.limit);
  const page = rows.slice(0, q.limit);
  const photos = await listPublicPhotos(
    db,
    page.map((r) => r.p.id),
  );
  const calendar = await loadCalendar(db);
  const now = new Date();
  const last = page[page.length - 1];
  return {
    items: page.map((r) => presentExposureItem(r, photos, now, calendar)),
    nextCursor: rows.length > q.limit && last ? exposureCursor(last) : null,
  };
}
