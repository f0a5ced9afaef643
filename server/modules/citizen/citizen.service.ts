import { randomInt } from 'node:crypto';
import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import type {
  TCitizenReport,
  TExposureItem,
  TJurisdiction,
  TTrackResponse,
} from '../../../core/contracts/citizen.js';
import { pointInArea } from '../../../core/geo/polygon.js';
import { Permission } from '../../../core/permissions.js';
import { escalationLevel } from '../../../core/problems/escalation.js';
import { PROBLEM_STATE_LABELS, type TProblemState } from '../../../core/problems/lifecycle.js';
import type { Database, DbOrTx } from '../../db/client.js';
import {
  citizenReports,
  exposures,
  files,
  problemCategories,
  problemEvents,
  problemPhotos,
  problems,
  settings,
  units,
} from '../../db/schema/index.js';
import { requirePermission, SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import { uploadImage } from '../files/files.service.js';
import { loadCalendar } from '../problems/problems.repo.js';
import { ensureCodeSequences, intakeProblem } from '../problems/problems.service.js';

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

export async function getJurisdiction(db: DbOrTx): Promise<TJurisdiction | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, 'jurisdiction'));
  return row ? (row.value as TJurisdiction) : null;
}

export async function putJurisdiction(
  database: Database,
  actor: Actor,
  j: TJurisdiction,
): Promise<TJurisdiction> {
  requirePermission(actor, Permission.RegionWrite);
  return withTx(database, async (tx) => {
    const before = await getJurisdiction(tx);
    await tx
      .insert(settings)
      .values({ key: 'jurisdiction', value: j, updatedBy: actor.id })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: j, updatedBy: actor.id, updatedAt: new Date() },
      });
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

/** The categories a citizen can choose: active subcategories, with their class as the group. */
export async function citizenCategories(db: DbOrTx) {
  const all = await db
    .select()
    .from(problemCategories)
    .orderBy(problemCategories.sortOrder, problemCategories.id);
  const names = new Map(all.map((c) => [c.id, c.name]));
  return all
    .filter((c) => c.active && c.parentId !== null)
    .map((c) => ({ id: c.id, name: c.name, group: names.get(c.parentId!) ?? null }));
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
    await tx.insert(citizenReports).values({
      problemId: detail.problem.id,
      trackingCode,
      deviceId: input.deviceId ?? null,
      ip,
      createdAt: now,
    });
  });
  return { trackingCode, submittedAt: now.toISOString() };
}

/** Public wording of each timeline step; internal steps (extension talk) are left out. */
const PUBLIC_STEPS: Record<string, { zh: string; en: string } | null> = {
  create: { zh: '已收到您的反映', en: 'Report received' },
  register: { zh: '已立案', en: 'Accepted' },
  reject: { zh: '不予立案', en: 'Not accepted' },
  dispatch: { zh: '已交责任单位办理', en: 'Sent to the responsible unit' },
  return: { zh: '重新确定责任单位', en: 'Being reassigned' },
  submit: { zh: '责任单位已整改，待核查', en: 'Fixed, awaiting verification' },
  approve: { zh: '核查通过，已销号', en: 'Verified and closed' },
  rework: { zh: '核查未通过，继续整改', en: 'Verification failed; being fixed again' },
  approve_extension: { zh: '办理期限已延长', en: 'Deadline extended' },
  defer: { zh: '暂缓办理', en: 'Deferred' },
  resume: { zh: '恢复办理', en: 'Resumed' },
  reopen: { zh: '重新办理', en: 'Reopened' },
  merge: { zh: '与同一问题合并办理', en: 'Handled together with the same problem' },
};

function publicPhotoUrls(base: string, fileId: string) {
  return { url: `${base}/photos/${fileId}`, thumbUrl: `${base}/photos/${fileId}/thumb` };
}

async function problemWithNames(db: DbOrTx, id: number) {
  const [row] = await db
    .select({ p: problems, categoryName: problemCategories.name, unitName: units.name })
    .from(problems)
    .innerJoin(problemCategories, eq(problemCategories.id, problems.categoryId))
    .leftJoin(units, eq(units.id, problems.unitId))
    .where(eq(problems.id, id));
  return row;
}

/** The photos the public may see of problems: what was reported and what was fixed. */
async function publicPhotos(db: DbOrTx, problemIds: number[]) {
  if (!problemIds.length) return [];
  return db
    .select({
      problemId: problemPhotos.problemId,
      fileId: problemPhotos.fileId,
      stage: problemPhotos.stage,
    })
    .from(problemPhotos)
    .where(
      and(
        inArray(problemPhotos.problemId, problemIds),
        inArray(problemPhotos.stage, ['before', 'after']),
      ),
    )
    .orderBy(problemPhotos.id);
}

/** The problems a tracking code shows: the report, and the one it was merged into. */
async function trackedProblems(db: DbOrTx, code: string) {
  const [report] = await db
    .select()
    .from(citizenReports)
    .where(eq(citizenReports.trackingCode, code));
  const own = report ? await problemWithNames(db, report.problemId) : undefined;
  if (!report || !own) return undefined;
  const handling = own.p.mergedIntoId ? await problemWithNames(db, own.p.mergedIntoId) : undefined;
  return { report, own, handling: handling ?? own };
}

export async function track(database: Database, code: string): Promise<TTrackResponse> {
  const db = database.db;
  const found = await trackedProblems(db, code);
  if (!found) throw trackingNotFound();
  const { report, own, handling } = found;
  const ids = [...new Set([own.p.id, handling.p.id])];
  const events = await db
    .select()
    .from(problemEvents)
    .where(inArray(problemEvents.problemId, ids))
    .orderBy(problemEvents.at, problemEvents.id);
  // After a merge the citizen follows the problem it joined, from the moment it joined.
  const mergedAt = events.find((e) => e.problemId === own.p.id && e.action === 'merge')?.at;
  const timeline = events
    .filter((e) => e.problemId === own.p.id || (mergedAt !== undefined && e.at > mergedAt))
    .flatMap((e) => {
      const label = PUBLIC_STEPS[e.action];
      if (!label) return [];
      return [{ at: e.at.toISOString(), label, publicNote: e.action === 'reject' ? e.note : null }];
    });
  const base = `/api/public/track/${code}`;
  const photos = (await publicPhotos(db, ids)).map((p) => ({
    ...publicPhotoUrls(base, p.fileId),
    stage: p.stage,
  }));
  const state = handling.p.state as TProblemState;
  return {
    trackingCode: code,
    categoryName: own.categoryName,
    description: own.p.description,
    address: own.p.address,
    status: state,
    statusLabel: PROBLEM_STATE_LABELS[state],
    unitName: handling.unitName,
    submittedAt: report.createdAt.toISOString(),
    timeline,
    photos,
  };
}

function trackingNotFound() {
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
    const [e] = await db.select().from(exposures).where(eq(exposures.problemId, owner.exposureId));
    if (e) problemIds = [e.problemId];
  }
  const [f] = problemIds.length
    ? await db
        .select({ file: files })
        .from(problemPhotos)
        .innerJoin(files, eq(files.id, problemPhotos.fileId))
        .where(
          and(
            eq(problemPhotos.fileId, fileId),
            inArray(problemPhotos.problemId, problemIds),
            inArray(problemPhotos.stage, ['before', 'after']),
          ),
        )
        .limit(1)
    : [];
  if (!f) throw errors.notFound('file', fileId);
  const data = await storage.get(thumb && f.file.thumbKey ? f.file.thumbKey : f.file.storageKey);
  if (!data) throw errors.notFound('file', fileId);
  return { data, mime: f.file.mime };
}

export async function publishExposure(
  database: Database,
  actor: Actor,
  problemId: number,
  input: { title: string; note?: string | null | undefined },
): Promise<void> {
  requirePermission(actor, Permission.ProblemManage);
  await withTx(database, async (tx) => {
    const [p] = await tx
      .select({ id: problems.id, state: problems.state })
      .from(problems)
      .where(eq(problems.id, problemId));
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
    await tx
      .insert(exposures)
      .values(values)
      .onConflictDoUpdate({
        target: exposures.problemId,
        set: { title: values.title, note: values.note },
      });
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
  requirePermission(actor, Permission.ProblemManage);
  const [e] = await database.db.select().from(exposures).where(eq(exposures.problemId, problemId));
  return e ? { title: e.title, note: e.note, publishedAt: e.publishedAt.toISOString() } : null;
}

export async function unpublishExposure(
  database: Database,
  actor: Actor,
  problemId: number,
): Promise<void> {
  requirePermission(actor, Permission.ProblemManage);
  await withTx(database, async (tx) => {
    const gone = await tx.delete(exposures).where(eq(exposures.problemId, problemId)).returning();
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
    const at = new Date(Number(m[1]));
    after = or(
      lt(exposures.publishedAt, at),
      and(eq(exposures.publishedAt, at), lt(exposures.problemId, Number(m[2]))),
    );
  }
  const rows = await db
    .select({
      e: exposures,
      p: problems,
      categoryName: problemCategories.name,
      unitName: units.name,
    })
    .from(exposures)
    .innerJoin(problems, eq(problems.id, exposures.problemId))
    .innerJoin(problemCategories, eq(problemCategories.id, problems.categoryId))
    .leftJoin(units, eq(units.id, problems.unitId))
    .where(after)
    .orderBy(desc(exposures.publishedAt), desc(exposures.problemId))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const photos = await publicPhotos(
    db,
    page.map((r) => r.p.id),
  );
  const calendar = await loadCalendar(db);
  const now = new Date();
  const items = page.map((r): TExposureItem => {
    const state = r.p.state as TProblemState;
    const base = `/api/public/exposure/${r.p.id}`;
    return {
      id: r.p.id,
      title: r.e.title,
      note: r.e.note,
      categoryName: r.categoryName,
      address: r.p.address,
      lat: r.p.lat,
      lng: r.p.lng,
      unitName: r.unitName,
      status: state,
      statusLabel: PROBLEM_STATE_LABELS[state],
      escalation: escalationLevel(
        { state, deadline: r.p.deadline, reworkCount: r.p.reworkCount },
        now,
        calendar,
      ),
      recurrence: r.p.recurrenceOfId !== null,
      reportedAt: r.p.createdAt.toISOString(),
      publishedAt: r.e.publishedAt.toISOString(),
      closedAt: r.p.closedAt ? r.p.closedAt.toISOString() : null,
      photos: photos
        .filter((ph) => ph.problemId === r.p.id)
        .map((ph) => ({ ...publicPhotoUrls(base, ph.fileId), stage: ph.stage })),
    };
  });
  const last = page[page.length - 1];
  return {
    items,
    nextCursor:
      rows.length > q.limit && last ? `${last.e.publishedAt.getTime()}_${last.p.id}` : null,
  };
}
