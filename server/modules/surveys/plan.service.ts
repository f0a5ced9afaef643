import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { TQuotaBoard, TQuota, TQuotaUpdate, TRound } from '../../../core/contracts/surveys.js';
import { Permission } from '../../../core/permissions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import {
  campaigns,
  regions,
  surveyQuotaGuides,
  surveyQuotas,
  surveyRounds,
  surveys,
  users,
} from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { surveyErrors } from './surveys.errors.js';

type RoundRow = typeof surveyRounds.$inferSelect;

export function presentRound(r: RoundRow): TRound {
  return {
    id: r.id,
    surveyId: r.surveyId,
    name: r.name,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    status: r.status,
    dontKnowValid: r.dontKnowValid,
    floorPercent: r.floorPercent,
    minGuidesPerCommunity: r.minGuidesPerCommunity,
    version: r.version,
  };
}

export async function loadRound(db: DbOrTx, id: number): Promise<RoundRow> {
  const [r] = await db.select().from(surveyRounds).where(eq(surveyRounds.id, id));
  if (!r) throw surveyErrors.notFound('round', id);
  return r;
}

/** The campaign's floor effect for a survey (what happens under the floor), if it has a campaign. */
export async function floorEffectOf(db: DbOrTx, surveyId: number): Promise<string | null> {
  const [row] = await db
    .select({ floor: campaigns.surveyFloor })
    .from(surveys)
    .innerJoin(campaigns, eq(campaigns.id, surveys.campaignId))
    .where(eq(surveys.id, surveyId));
  return row?.floor.enabled ? row.floor.effect : null;
}

export async function listRounds(
  database: Database,
  actor: Actor,
  surveyId: number,
): Promise<TRound[]> {
  requirePermission(actor, Permission.SurveyRead);
  const rows = await database.db
    .select()
    .from(surveyRounds)
    .where(eq(surveyRounds.surveyId, surveyId))
    .orderBy(desc(surveyRounds.startsOn), desc(surveyRounds.id));
  return rows.map(presentRound);
}

const badDates = () =>
  errors.invalid({ zh: '结束日期不能早于开始日期', en: 'the end date is before the start' }, [
    { path: 'endsOn', message: '结束日期不能早于开始日期 / ends before it starts' },
  ]);

export async function createRound(
  database: Database,
  actor: Actor,
  surveyId: number,
  input: {
    name: string;
    startsOn: string;
    endsOn: string;
    dontKnowValid: boolean;
    floorPercent?: number | undefined;
    minGuidesPerCommunity: number;
  },
): Promise<TRound> {
  requirePermission(actor, Permission.SurveyWrite);
  if (input.endsOn < input.startsOn) throw badDates();
  return withTx(database, async (tx) => {
    const [s] = await tx.select().from(surveys).where(eq(surveys.id, surveyId));
    if (!s) throw surveyErrors.notFound('survey', surveyId);
    let floor = input.floorPercent;
    if (floor === undefined && s.campaignId) {
      const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, s.campaignId));
      if (c?.surveyFloor.enabled) floor = c.surveyFloor.minRate;
    }
    const [dup] = await tx
      .select()
      .from(surveyRounds)
      .where(and(eq(surveyRounds.surveyId, surveyId), eq(surveyRounds.name, input.name)));
    if (dup) throw errors.duplicate('round', '名称', input.name);
    const [row] = await tx
      .insert(surveyRounds)
      .values({ ...input, surveyId, floorPercent: floor ?? 80 })
      .returning();
    await writeAudit(tx, actor, {
      action: 'survey.round.create',
      entityType: 'survey_round',
      entityId: row!.id,
      after: row,
    });
    return presentRound(row!);
  });
}

export async function updateRound(
  database: Database,
  actor: Actor,
  id: number,
  input: Partial<Omit<TRound, 'id' | 'surveyId' | 'version'>> & { version: number },
): Promise<TRound> {
  requirePermission(actor, Permission.SurveyWrite);
  return withTx(database, async (tx) => {
    const before = await loadRound(tx, id);
    const { version, ...fields } = input;
    if ((fields.endsOn ?? before.endsOn) < (fields.startsOn ?? before.startsOn)) throw badDates();
    const [row] = await tx
      .update(surveyRounds)
      .set({ ...fields, version: sql`${surveyRounds.version} + 1` })
      .where(and(eq(surveyRounds.id, id), eq(surveyRounds.version, version)))
      .returning();
    if (!row) throw surveyErrors.stale('round');
    await writeAudit(tx, actor, {
      action: 'survey.round.update',
      entityType: 'survey_round',
      entityId: id,
      before,
      after: row,
    });
    return presentRound(row);
  });
}

/** One quota per community named; communities that already have one for the group are skipped. */
export async function addQuotas(
  database: Database,
  actor: Actor,
  roundId: number,
  input: {
    regionIds: number[];
    group: string;
    target: number;
    population?: number | null | undefined;
    centerLat?: number | null | undefined;
    centerLng?: number | null | undefined;
    radiusM: number;
  },
): Promise<{ created: number; skipped: number }> {
  requirePermission(actor, Permission.SurveyWrite);
  return withTx(database, async (tx) => {
    await loadRound(tx, roundId);
    const ids = [...new Set(input.regionIds)];
    const found = await tx
      .select({ id: regions.id, level: regions.level })
      .from(regions)
      .where(inArray(regions.id, ids));
    const bad = ids.filter((id) => found.find((f) => f.id === id)?.level !== 'community');
    if (bad.length) {
      throw errors.invalid(
        { zh: '配额应落在社区（村）', en: 'quotas are set per community' },
        bad.map((id) => ({ path: 'regionIds', message: `${id}：不是社区 / not a community` })),
      );
    }
    const rows = await tx
      .insert(surveyQuotas)
      .values(
        ids.map((regionId) => ({
          roundId,
          regionId,
          group: input.group,
          target: input.target,
          population: input.population ?? null,
          centerLat: input.centerLat ?? null,
          centerLng: input.centerLng ?? null,
          radiusM: input.radiusM,
          publicToken: randomBytes(9).toString('base64url'),
        })),
      )
      .onConflictDoNothing()
      .returning({ id: surveyQuotas.id, regionId: surveyQuotas.regionId });
    await writeAudit(tx, actor, {
      action: 'survey.quota.create',
      entityType: 'survey_round',
      entityId: roundId,
      after: { ...input, created: rows.map((r) => r.id) },
    });
    return { created: rows.length, skipped: ids.length - rows.length };
  });
}

/** Replaces the guides of a quota; each must be an active survey guide (调查员). */
export async function setQuotaGuides(
  database: Database,
  actor: Actor,
  quotaId: number,
  input: { guideIds: number[]; version: number },
): Promise<void> {
  requirePermission(actor, Permission.SurveyWrite);
  await withTx(database, async (tx) => {
    const [q] = await tx.select().from(surveyQuotas).where(eq(surveyQuotas.id, quotaId));
    if (!q) throw surveyErrors.notFound('quota', quotaId);
    const ids = [...new Set(input.guideIds)];
    if (ids.length) {
      const found = await tx
        .select({ id: users.id, roles: users.roles, active: users.active })
        .from(users)
        .where(inArray(users.id, ids));
      const bad = ids.filter((id) => {
        const u = found.find((f) => f.id === id);
        return !u || !u.active || !u.roles.includes('surveyor');
      });
      if (bad.length) {
        throw errors.invalid(
          { zh: '只能分配在岗的调查员', en: 'only active survey guides can be assigned' },
          bad.map((id) => ({ path: 'guideIds', message: `${id}：不是调查员 / not a guide` })),
        );
      }
    }
    const [bumped] = await tx
      .update(surveyQuotas)
      .set({ version: sql`${surveyQuotas.version} + 1` })
      .where(and(eq(surveyQuotas.id, quotaId), eq(surveyQuotas.version, input.version)))
      .returning({ id: surveyQuotas.id });
    if (!bumped) throw surveyErrors.stale('quota');
    const before = await tx
      .select({ userId: surveyQuotaGuides.userId })
      .from(surveyQuotaGuides)
      .where(eq(surveyQuotaGuides.quotaId, quotaId));
    await tx.delete(surveyQuotaGuides).where(eq(surveyQuotaGuides.quotaId, quotaId));
    if (ids.length) {
      await tx.insert(surveyQuotaGuides).values(ids.map((userId) => ({ quotaId, userId })));
    }
    await writeAudit(tx, actor, {
      action: 'survey.quota.guides',
      entityType: 'survey_quota',
      entityId: quotaId,
      before: before.map((b) => b.userId),
      after: ids,
    });
  });
}

/** Edits one quota's target, weight or area; a stale version is a 409. */
export async function updateQuota(
  database: Database,
  actor: Actor,
  quotaId: number,
  input: TQuotaUpdate,
): Promise<TQuota> {
  requirePermission(actor, Permission.SurveyWrite);
  const roundId = await withTx(database, async (tx) => {
    const [before] = await tx.select().from(surveyQuotas).where(eq(surveyQuotas.id, quotaId));
    if (!before) throw surveyErrors.notFound('quota', quotaId);
    const { version, ...fields } = input;
    const [row] = await tx
      .update(surveyQuotas)
      .set({ ...fields, version: sql`${surveyQuotas.version} + 1` })
      .where(and(eq(surveyQuotas.id, quotaId), eq(surveyQuotas.version, version)))
      .returning();
    if (!row) throw surveyErrors.stale('quota');
    await writeAudit(tx, actor, {
      action: 'survey.quota.update',
      entityType: 'survey_quota',
      entityId: quotaId,
      before,
      after: row,
    });
    return row.roundId;
  });
  const quota = (await quotasOf(database.db, roundId)).find((q) => q.id === quotaId);
  if (!quota) throw surveyErrors.notFound('quota', quotaId);
  return quota;
}

/** Quotas of a round with progress (eligible responses) overall and per guide. */
export async function quotasOf(db: DbOrTx, roundId: number): Promise<TQuota[]> {
  const rows = await db
    .select({ q: surveyQuotas, regionName: regions.name })
    .from(surveyQuotas)
    .innerJoin(regions, eq(regions.id, surveyQuotas.regionId))
    .where(eq(surveyQuotas.roundId, roundId))
    .orderBy(asc(regions.code), asc(surveyQuotas.group));
  const done = await execRows<{ quota_id: number; guide_id: number | null; n: number }>(
    db,
    sql`select quota_id, guide_id, count(*)::int as n from survey_responses
        where round_id = ${roundId} and eligible group by quota_id, guide_id`,
  );
  const guides = await db
    .select({ quotaId: surveyQuotaGuides.quotaId, id: users.id, name: users.name })
    .from(surveyQuotaGuides)
    .innerJoin(surveyQuotas, eq(surveyQuotas.id, surveyQuotaGuides.quotaId))
    .innerJoin(users, eq(users.id, surveyQuotaGuides.userId))
    .where(eq(surveyQuotas.roundId, roundId))
    .orderBy(asc(users.name));
  return rows.map(({ q, regionName }) => ({
    id: q.id,
    roundId: q.roundId,
    regionId: q.regionId,
    regionName,
    group: q.group,
    target: q.target,
    population: q.population,
    centerLat: q.centerLat,
    centerLng: q.centerLng,
    radiusM: q.radiusM,
    publicToken: q.publicToken,
    done: done.filter((d) => d.quota_id === q.id).reduce((n, d) => n + d.n, 0),
    guides: guides
      .filter((g) => g.quotaId === q.id)
      .map((g) => ({
        id: g.id,
        name: g.name,
        done: done.find((d) => d.quota_id === q.id && d.guide_id === g.id)?.n ?? 0,
      })),
    version: q.version,
  }));
}

/** 配额看板: quotas with progress, and the guide roster per community against its minimum. */
export async function quotaBoard(
  database: Database,
  actor: Actor,
  roundId: number,
): Promise<TQuotaBoard> {
  requirePermission(actor, Permission.SurveyRead);
  const round = await loadRound(database.db, roundId);
  const quotas = await quotasOf(database.db, roundId);
  const byRegion = new Map<number, { name: string; guides: Set<number> }>();
  for (const q of quotas) {
    const r = byRegion.get(q.regionId) ?? { name: q.regionName, guides: new Set<number>() };
    for (const g of q.guides) r.guides.add(g.id);
    byRegion.set(q.regionId, r);
  }
  const min = round.minGuidesPerCommunity;
  return {
    round: presentRound(round),
    quotas,
    roster: [...byRegion.entries()].map(([regionId, r]) => ({
      regionId,
      regionName: r.name,
      guides: r.guides.size,
      minimum: min,
      shortfall: Math.max(0, min - r.guides.size),
    })),
    target: quotas.reduce((n, q) => n + q.target, 0),
    done: quotas.reduce((n, q) => n + Math.min(q.done, q.target), 0),
  };
}

/** Active survey guides (for assigning). */
export async function listGuides(database: Database, actor: Actor) {
  requirePermission(actor, Permission.SurveyWrite);
  return database.db
    .select({ id: users.id, name: users.name, username: users.username })
    .from(users)
    .where(and(eq(users.active, true), sql`'surveyor' = any(${users.roles})`))
    .orderBy(asc(users.name));
}
