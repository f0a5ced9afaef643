import type {
  TCreateProblemRequest,
  TListProblemsQuery,
  TProblem,
  TProblemChannel,
  TProblemDetail,
} from '../../../core/contracts/problems.js';
import { shanghaiDate, type CalendarTable } from '../../../core/calendar/working-days.js';
import { escalationBounds } from '../../../core/problems/escalation.js';
import {
  availableActions,
  type TParty,
  type TProblemState,
} from '../../../core/problems/lifecycle.js';
import { Permission, type TScope } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import {
  requirePermission,
  type Actor,
  actorPermissions,
  officeRegionOf,
} from '../../platform/actor.js';
import { auditValues, writeAudit } from '../../platform/audit.js';
import { errors, isUniqueViolation } from '../../platform/errors.js';
import { pageOf } from '../../platform/pagination.js';
import { withTx } from '../../platform/tx.js';
import { checkAttachable, photosOf } from '../files/files.service.js';
import { presentCategory, presentEvent, presentProblem } from './problems.present.js';
import * as repo from './problems.repo.js';
import { resolvePlace } from '../org/region-routing.js';
import {
  insertIntake,
  intakeGroupCommit,
  type IntakeResult,
  type IntakeWrite,
} from './intake.repo.js';
import type { problems } from '../../db/schema/index.js';
import { requireRegionWithin } from '../org/jurisdiction.js';

const NO_CALENDAR: CalendarTable = new Map();

function machineOf(row: repo.ProblemRow) {
  return {
    state: row.state as TProblemState,
    unitId: row.unitId,
    reworkCount: row.reworkCount,
    extensionPending: row.extensionPending,
  };
}

function photoView(
  f: Awaited<ReturnType<typeof photosOf>>[number],
): TProblemDetail['photos'][number] {
  return {
    id: f.id,
    url: f.url,
    thumbUrl: f.thumbUrl,
    stage: f.stage,
    eventId: f.eventId,
    takenAt: f.takenAt,
    lat: f.lat,
    lng: f.lng,
  };
}

/** Phone numbers are for the office; others see the first three and last four digits. */
export function phoneFor(actor: Actor, phone: string | null): string | null {
  if (!phone) return null;
  if (actorPermissions(actor).has(Permission.ProblemManage)) return phone;
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** The parties of the lifecycle an actor plays for one problem. */
export function partiesOf(actor: Actor, problem: { unitId: number | null }): TParty[] {
  const perms = actorPermissions(actor);
  const parties: TParty[] = [];
  if (perms.has(Permission.ProblemManage)) parties.push('office');
  if (perms.has(Permission.ProblemVerify)) parties.push('verifier');
  if (
    perms.has(Permission.ProblemRectify) &&
    actor.unitId !== null &&
    actor.unitId === problem.unitId
  ) {
    parties.push('unit');
  }
  return parties;
}

/** The channel a report arrives on: the office says where it came from; others report as themselves. */
function channelFor(actor: Actor, asked: TProblemChannel | undefined): TProblemChannel {
  if (actorPermissions(actor).has(Permission.ProblemManage)) return asked ?? 'office';
  if (actor.roles.includes('unit')) return 'unit';
  if (actor.roles.includes('grid_worker')) return 'patrol';
  return 'inspection';
}

/**
 * A problem the actor is about to change, as the request saw it: 404 when it is not the actor's
 * to see, 409 stale_version when it changed since (every write to one problem starts here).
 */
export async function problemToChange(
  db: DbOrTx,
  id: number,
  scope: TScope,
  version: number,
): Promise<repo.ProblemRow> {
  const row = await repo.findProblem(db, id, scope);
  if (!row) throw errors.notFound('problem', id);
  if (row.version !== version) throw errors.staleVersion('problem');
  return row;
}

export async function detail(
  db: DbOrTx,
  actor: Actor,
  row: repo.ProblemRow,
  now = new Date(),
): Promise<TProblemDetail> {
  const calendar = await repo.loadCalendar(db);
  const events = await repo.listEvents(db, row.id);
  const photos = await photosOf(db, row.id);
  return {
    photos: photos.map(photoView),
    problem: presentProblem(row, now, calendar),
    reporterPhone: phoneFor(actor, row.reporterPhone),
    timeline: events.map(presentEvent),
    actions: availableActions(machineOf(row), partiesOf(actor, row)),
  };
}

/**
 * The one intake for every channel: office entry, unit self-report, hotline orders (idempotent on
 * the order number), and later inspections, patrols and citizens.
 */
export interface IntakeOptions {
  duplicateRadiusM: number;
  recurrenceDays: number;
}
export const DEFAULT_INTAKE: IntakeOptions = { duplicateRadiusM: 50, recurrenceDays: 90 };

export async function createProblem(
  database: Database,
  actor: Actor,
  input: TCreateProblemRequest,
  opts: IntakeOptions = DEFAULT_INTAKE,
): Promise<{ detail: TProblemDetail; created: boolean }> {
  requirePermission(actor, Permission.ProblemReport);
  const manage = actorPermissions(actor).has(Permission.ProblemManage);
  if (input.register && !manage) throw errors.forbidden();
  await ensureCodeSequences(database);
  try {
    // The write is a single statement: atomic without an explicit transaction.
    // Concurrent intakes on the pool share one statement and one commit (group commit).
    const out = await intakeProblem(database.db, actor, input, opts, {}, (w) =>
      intakeGroupCommit(database).submit(w),
    );
    await database.afterCommit();
    return out;
  } catch (err) {
    // The same external order sent twice at once: the loser of the race gets the winner's problem.
    if (!input.externalRef || !isUniqueViolation(err)) throw err;
    const existing = await repo.findByExternalRef(
      database.db,
      channelFor(actor, input.channel),
      input.externalRef,
    );
    if (!existing) throw err;
    return { detail: await detail(database.db, actor, existing), created: false };
  }
}

/** This year's code sequence, and next year's when the year is about to turn (call before intake). */
export async function ensureCodeSequences(database: Database): Promise<void> {
  for (const at of [Date.now(), Date.now() + 60_000]) {
    await repo.ensureCodeSequence(database, Number(shanghaiDate(new Date(at)).slice(0, 4)));
  }
}

/**
 * The intake on a connection or inside a caller's transaction (imports put many in one): reads
 * first (repeated order, photos), routes a located report with the in-memory grid index, then one
 * statement checks category, region and grid, finds its recurrence and nearby problems, and writes
 * the problem, its first event, its photos and its audit record. A repeated external reference on
 * the same channel returns the existing problem (`created: false`).
 */
export async function intakeProblem(
  db: DbOrTx,
  actor: Actor,
  input: TCreateProblemRequest,
  opts: IntakeOptions = DEFAULT_INTAKE,
  /** Links a caller module knows of (an inspection finding names its point). */
  links: { pointId?: number | null } = {},
  /** The write; by default alone on `db` (the caller's transaction, say). */
  write: (w: IntakeWrite) => Promise<IntakeResult> = (w) => insertIntake(db, w),
): Promise<{ detail: TProblemDetail; created: boolean }> {
  const channel = channelFor(actor, input.channel);
  if (input.externalRef) {
    const existing = await repo.findByExternalRef(db, channel, input.externalRef);
    if (existing) return { detail: await detail(db, actor, existing), created: false };
  }
  const photoIds = input.photoIds ?? [];
  await checkAttachable(db, actor, photoIds);
  const now = new Date();
  const state: TProblemState = input.register ? 'registered' : 'reported';
  const located = input.lat != null && input.lng != null;
  // A located intake's lookups — the problem it recurs (反弹), open problems of its kind nearby,
  // the check of its grid and region boundaries — run inside the write statement (intake.repo).
  // Its grid (and, outside every grid, its region by boundary) comes from in-memory indexes; if the
  // statement finds the grids or boundaries at the place changed since the index was loaded
  // (another app server edited one, say), it writes nothing, and the intake is routed again from
  // fresh indexes. After ROUTING_ATTEMPTS they are read from the tables and the write goes
  // unchecked: grids or boundaries edited without pause, never seen.
  for (let attempt = 1; ; attempt++) {
    // Grid, region and where the region came from: one resolver for every intake (org/region-routing).
    const place = await resolvePlace(db, input, attempt <= ROUTING_ATTEMPTS);
    // A district or street office's problem with no place is in its own region.
    const officeRegion = place.regionId === null ? officeRegionOf(actor) : null;
    const regionId = place.regionId ?? officeRegion;
    const regionSource = officeRegion !== null ? 'given' : place.regionSource;
    await requireRegionWithin(db, actor, regionId);
    // Every column but id and code (drawn by the write), so the answer is exactly the stored row
    // without reading it back; recurrenceOfId is the statement's.
    const problem: Omit<typeof problems.$inferSelect, 'id' | 'code'> = {
      title: input.title,
      description: input.description ?? null,
      categoryId: input.categoryId,
      severity: input.severity,
      channel,
      state,
      lat: input.lat ?? null,
      lng: input.lng ?? null,
      address: input.address ?? null,
      regionId,
      regionSource,
      pointId: links.pointId ?? null,
      gridId: place.gridId,
      reporterId: actor.id,
      reporterUnitId: actor.roles.includes('unit') ? actor.unitId : null,
      reporterName: input.reporterName ?? (actor.id !== null ? actor.name : null),
      reporterPhone: input.reporterPhone ?? null,
      externalRef: input.externalRef ?? null,
      unitId: null,
      deadline: null,
      reworkCount: 0,
      extensionCount: 0,
      handlingHours: null,
      recurrenceOfId: null,
      mergedIntoId: null,
      extensionPending: false,
      escalationIssued: 'none',
      extensionRequestedDeadline: null,
      registeredAt: state === 'registered' ? now : null,
      dispatchedAt: null,
      submittedAt: null,
      closedAt: null,
      deferredAt: null,
      handedToRegionId: null,
      handedAt: null,
      handDueAt: null,
      handRemindedAt: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const event = {
      action: 'create',
      fromState: null,
      toState: state,
      actorId: actor.id,
      actorName: actor.name,
      at: now,
      note: null,
      data: { channel } as Record<string, unknown>,
    };
    // The statement fills in id, code, the names and recurrenceOfId; reported/registered problems
    // have no deadline, so no colour: no calendar needed.
    const draft = presentProblem(
      { ...problem, id: 0, code: '', categoryName: '', regionName: null, unitName: null },
      now,
      NO_CALENDAR,
    );
    const written = await write({
      year: Number(shanghaiDate(now).slice(0, 4)),
      categoryId: input.categoryId,
      regionId,
      problem,
      event,
      photoIds,
      audit: auditValues(
        actor,
        { action: 'problem.create', entityType: 'problem', after: draft },
        { jsonReady: true },
      ),
      place: located
        ? {
            lat: input.lat!,
            lng: input.lng!,
            radiusM: opts.duplicateRadiusM,
            since: new Date(now.getTime() - opts.recurrenceDays * 86_400_000),
            gridToken: place.gridToken,
            boundaryToken: place.boundaryToken,
          }
        : null,
    });
    if (!written.ok) {
      if (written.gridStale) {
        place.stale();
        continue;
      }
      if (!written.categoryFound || input.regionId == null || written.regionFound) {
        throw errors.notFound('category', input.categoryId);
      }
      throw errors.notFound('region', input.regionId);
    }
    const { recurrenceOfId } = written;
    if (recurrenceOfId !== null) event.data = { channel, recurrenceOfId };
    const row: repo.ProblemRow = {
      ...problem,
      recurrenceOfId,
      id: written.problemId,
      code: written.code,
      categoryName: written.categoryName,
      regionName: written.regionName,
      unitName: null,
    };
    const out: TProblemDetail = {
      problem: {
        ...draft,
        id: row.id,
        code: row.code,
        categoryName: row.categoryName,
        regionName: row.regionName,
        recurrenceOfId,
      },
      reporterPhone: phoneFor(actor, problem.reporterPhone),
      timeline: [presentEvent({ ...event, id: written.eventId, problemId: row.id })],
      actions: availableActions(machineOf(row), partiesOf(actor, row)),
      photos: photoIds.length ? (await photosOf(db, row.id)).map(photoView) : [],
    };
    if (located) {
      out.similar = written.similar.map((n) => ({
        id: n.id,
        code: n.code,
        title: n.title,
        state: n.state as TProblemState,
        distanceM: Math.round(n.distanceM * 10) / 10,
      }));
    }
    return { detail: out, created: true };
  }
}

/** Routings from the in-memory grid index before falling back to reading the grids table. */
const ROUTING_ATTEMPTS = 3;

export async function listProblems(
  database: Database,
  actor: Actor,
  q: TListProblemsQuery,
): Promise<{ items: TProblem[]; nextCursor: string | null; total: number; totalCapped: boolean }> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const now = new Date();
  const calendar = await repo.loadCalendar(database.db);
  const { rows, total, totalCapped } = await repo.listProblems(
    database.db,
    scope,
    q,
    escalationBounds(now, calendar),
    now,
  );
  const noDeadline = q.order === 'asc' ? 'infinity' : '-infinity';
  const page = pageOf(rows, q.limit, (r) =>
    q.sort === 'deadline' ? (r.deadline ?? noDeadline) : r[q.sort],
  );
  return {
    items: page.items.map((r) => presentProblem(r, now, calendar)),
    nextCursor: page.nextCursor,
    total,
    totalCapped,
  };
}

export async function getProblem(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TProblemDetail> {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const row = await repo.findProblem(database.db, id, scope);
  if (!row) throw errors.notFound('problem', id);
  return detail(database.db, actor, row);
}

export async function listCategories(database: Database, actor: Actor) {
  requirePermission(actor, Permission.ProblemRead);
  return (await repo.listCategories(database.db)).map(presentCategory);
}

export async function getCalendarYear(database: Database, actor: Actor, year: number) {
  requirePermission(actor, Permission.ProblemRead);
  const days = await repo.listCalendarYear(database.db, year);
  return { year, days };
}

/** Replaces a year's holidays and adjusted workdays (the office keeps the table current). */
export async function putCalendarYear(
  database: Database,
  actor: Actor,
  year: number,
  days: { day: string; kind: 'holiday' | 'workday'; name: string }[],
) {
  requirePermission(actor, Permission.CalendarWrite);
  const wrong = days.find((d) => !d.day.startsWith(`${year}-`));
  if (wrong) {
    throw errors.invalid({
      zh: `日期 ${wrong.day} 不属于 ${year} 年`,
      en: `${wrong.day} is not in ${year}`,
    });
  }
  if (new Set(days.map((d) => d.day)).size !== days.length) {
    throw errors.invalid({ zh: '日期重复', en: 'a day is listed twice' });
  }
  return withTx(database, async (tx) => {
    const before = await repo.listCalendarYear(tx, year);
    await repo.replaceCalendarYear(tx, year, days);
    await writeAudit(tx, actor, {
      action: 'calendar.update',
      entityType: 'calendar',
      entityId: year,
      before,
      after: days,
    });
    return { year, days: await repo.listCalendarYear(tx, year) };
  });
}
