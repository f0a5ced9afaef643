import { readSurveyFloor } from '../../../core/scoring/rules.js';
import { randomBytes } from 'node:crypto';
import type { TQuotaBoard, TQuota, TQuotaUpdate, TRound } from '../../../core/contracts/surveys.js';
import { Permission } from '../../../core/permissions.js';
import type { TCollectionMode } from '../../../core/survey/modes.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { requireRegionWithin, requireUsersWithin } from '../org/jurisdiction.js';
import { findCampaign, findSurvey } from './design.repo.js';
import * as repo from './plan.repo.js';
import { presentQuotaBoard, presentQuotas, presentRound } from './surveys.present.js';
import { surveyErrors } from './surveys.errors.js';

/**
 * The first line of every read of survey data: survey.read, and the region the reader is confined
 * to. The surveys, questionnaires and rounds are the city's and read whole; an office or leader
 * held at a district or street (区/街道创建办, 区领导) reads only the quotas placed in its subtree
 * and their responses, progress and rates. Null: the whole survey (the city).
 */
export function requireSurveyRead(actor: Actor): number | null {
  requirePermission(actor, Permission.SurveyRead);
  return officeRegionOf(actor);
}

export async function loadRound(db: DbOrTx, id: number): Promise<repo.RoundRow> {
  const r = await repo.findRound(db, id);
  if (!r) throw surveyErrors.notFound('round', id);
  return r;
}

/** The campaign's floor effect for a survey (what happens under the floor), if it has a campaign. */
export async function floorEffectOf(db: DbOrTx, surveyId: number): Promise<string | null> {
  const raw = await repo.campaignFloorOfSurvey(db, surveyId);
  const floor = raw === undefined ? undefined : readSurveyFloor(raw);
  return floor?.enabled ? floor.effect : null;
}

export async function listRounds(
  database: Database,
  actor: Actor,
  surveyId: number,
): Promise<TRound[]> {
  requirePermission(actor, Permission.SurveyRead);
  const rows = await repo.roundsNewestFirst(database.db, surveyId);
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
    const s = await findSurvey(tx, surveyId);
    if (!s) throw surveyErrors.notFound('survey', surveyId);
    let floor = input.floorPercent;
    if (floor === undefined && s.campaignId) {
      const c = await findCampaign(tx, s.campaignId);
      if (c?.surveyFloor.enabled) floor = c.surveyFloor.minRate;
    }
    const dup = await repo.findRoundByName(tx, surveyId, input.name);
    if (dup) throw errors.duplicate('round', '名称', input.name);
    const row = await repo.insertRound(tx, { ...input, surveyId, floorPercent: floor ?? 80 });
    await writeAudit(tx, actor, {
      action: 'survey.round.create',
      entityType: 'survey_round',
      entityId: row.id,
      after: row,
    });
    return presentRound(row);
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
    const row = await repo.updateRoundRow(tx, id, version, fields);
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

/**
 * One quota per region named, for one group and collection mode; regions that already have one for
 * the group and mode are skipped. Household quotas are set on communities; street interviews may be
 * planned on any region (a district's or a street's spots, or a community).
 */
export async function addQuotas(
  database: Database,
  actor: Actor,
  roundId: number,
  input: {
    regionIds: number[];
    group: string;
    mode: TCollectionMode;
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
    const found = await repo.regionLevels(tx, ids);
    const levelOf = (id: number) => found.find((f) => f.id === id)?.level;
    const missing = ids.filter((id) => levelOf(id) === undefined);
    if (missing.length) {
      throw errors.invalid(
        { zh: '区域不存在', en: 'no such region' },
        missing.map((id) => ({ path: 'regionIds', message: `${id}：区域不存在 / no such region` })),
      );
    }
    const bad = input.mode === 'household' ? ids.filter((id) => levelOf(id) !== 'community') : [];
    if (bad.length) {
      throw errors.invalid(
        {
          zh: '入户配额应落在社区（村）；街访配额可设在任一区域',
          en: 'household quotas are set per community; street interviews on any region',
        },
        bad.map((id) => ({ path: 'regionIds', message: `${id}：不是社区 / not a community` })),
      );
    }
    const rows = await repo.insertQuotas(
      tx,
      ids.map((regionId) => ({
        roundId,
        regionId,
        group: input.group,
        mode: input.mode,
        target: input.target,
        population: input.population ?? null,
        centerLat: input.centerLat ?? null,
        centerLng: input.centerLng ?? null,
        radiusM: input.radiusM,
        publicToken: randomBytes(9).toString('base64url'),
      })),
    );
    await writeAudit(tx, actor, {
      action: 'survey.quota.create',
      entityType: 'survey_round',
      entityId: roundId,
      after: { ...input, created: rows.map((r) => r.id) },
    });
    return { created: rows.length, skipped: ids.length - rows.length };
  });
}

/**
 * Replaces the guides of a quota; each must be an active survey guide (调查员). An office held at
 * a district or street names guides on its subtree's quotas only, and adds or removes only its own
 * people (a guide the city placed there from elsewhere stays): else 403 outside_jurisdiction.
 */
export async function setQuotaGuides(
  database: Database,
  actor: Actor,
  quotaId: number,
  input: { guideIds: number[]; version: number },
): Promise<void> {
  requirePermission(actor, Permission.SurveyAssign);
  await withTx(database, async (tx) => {
    const q = await repo.findQuota(tx, quotaId);
    if (!q) throw surveyErrors.notFound('quota', quotaId);
    await requireRegionWithin(tx, actor, q.regionId);
    const ids = [...new Set(input.guideIds)];
    if (ids.length) {
      const found = await repo.usersRoles(tx, ids);
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
    if (!(await repo.bumpQuotaVersion(tx, quotaId, input.version))) {
      throw surveyErrors.stale('quota');
    }
    const before = await repo.quotaGuideIds(tx, quotaId);
    const changed = [
      ...ids.filter((id) => !before.includes(id)),
      ...before.filter((id) => !ids.includes(id)),
    ];
    await requireUsersWithin(tx, actor, changed);
    await repo.replaceQuotaGuides(tx, quotaId, ids);
    await writeAudit(tx, actor, {
      action: 'survey.quota.guides',
      entityType: 'survey_quota',
      entityId: quotaId,
      before,
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
    const before = await repo.findQuota(tx, quotaId);
    if (!before) throw surveyErrors.notFound('quota', quotaId);
    const { version, ...fields } = input;
    const row = await repo.updateQuotaRow(tx, quotaId, version, fields);
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

/**
 * Quotas of a round with progress (eligible responses) overall and per guide; with `within`, the
 * quotas placed in that region's subtree only.
 */
export async function quotasOf(
  db: DbOrTx,
  roundId: number,
  within: number | null = null,
): Promise<TQuota[]> {
  const rows = await repo.quotaRowsOfRound(db, roundId, within);
  const done = await repo.eligibleDoneOfRound(db, roundId, within);
  const guides = await repo.quotaGuidesOfRound(db, roundId, within);
  return presentQuotas(rows, done, guides);
}

/**
 * 配额看板: quotas with progress, and the guide roster per community against its minimum (below
 * the city: the quotas of the reader's subtree, their totals and roster).
 */
export async function quotaBoard(
  database: Database,
  actor: Actor,
  roundId: number,
): Promise<TQuotaBoard> {
  const within = requireSurveyRead(actor);
  const round = await loadRound(database.db, roundId);
  const quotas = await quotasOf(database.db, roundId, within);
  return presentQuotaBoard(round, quotas);
}

/** Active survey guides (for assigning): below the city, the office's own. */
export async function listGuides(database: Database, actor: Actor) {
  requirePermission(actor, Permission.SurveyAssign);
  return repo.activeGuides(database.db, officeRegionOf(actor));
}
