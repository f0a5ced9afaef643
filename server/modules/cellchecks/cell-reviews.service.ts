import {
  FINAL_OUTCOMES,
  type TFinalOutcome,
  type TOutcomeInput,
  type TReviewBulletin,
  type TReviewDetail,
  type TReviewHolder,
  type TReviewInput,
  type TReviewPatch,
} from '../../../core/contracts/cell-checks.js';
import { CELL_TYPE_LABELS, type TCellType } from '../../../core/contracts/honours.js';
import { CAP_RULE, capCount, dropOverCap, yearScore } from '../../../core/cells/dynamic.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { actorHas, officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import * as honoursRepo from '../honours/honours.repo.js';
import { regionWithin } from '../org/regions.repo.js';
import { changeHonourStatus, today } from './cell-checks.service.js';
import { presentReview } from './cell-checks.present.js';
import * as repo from './cell-checks.repo.js';

// 复审 (issue #22, item 3): an office opens a year's review of the holders it manages; each holder
// files its report by the deadline (not filing = giving the title up); the office records
// 保留 / 限期整改 / 撤销; closing applies them (with the renewal cap: 末位淘汰) and freezes the 通报.
// A district office sees and runs its own reviews (those opened at a region of its subtree); the
// city all of them.

const reviewNotFound = (id: number) =>
  new AppError('not_found', 404, { zh: `复审不存在（${id}）`, en: `review not found (${id})` });

async function visibleReview(db: DbOrTx, actor: Actor, id: number) {
  const r = await repo.findReview(db, id);
  const own = officeRegionOf(actor);
  if (
    !r ||
    (own !== null &&
      (r.officeRegionId === null || !(await regionWithin(db, r.officeRegionId, own))))
  )
    throw reviewNotFound(id);
  return r;
}

const closedAlready = () =>
  new AppError('review_closed', 409, { zh: '复审已结束', en: 'the review is closed' });

async function openReviewOf(db: DbOrTx, actor: Actor, id: number) {
  const r = await visibleReview(db, actor, id);
  if (r.status !== 'open') throw closedAlready();
  return r;
}

export async function listReviews(
  database: Database,
  actor: Actor,
  q: { year?: number | undefined; cellType?: TCellType | undefined },
) {
  requirePermission(actor, Permission.UnitRead);
  const rows = await repo.reviews(database.db, {
    ...(q.year ? { year: q.year } : {}),
    ...(q.cellType ? { cellType: q.cellType } : {}),
    within: officeRegionOf(actor),
  });
  return rows.map(presentReview);
}

/** The review's holders with their live (open) or frozen (closed) year scores. */
async function holdersOf(db: DbOrTx, r: repo.ReviewRow): Promise<TReviewHolder[]> {
  const rows = await repo.reviewHolders(db, r.id);
  const figures = await repo.yearFigures(
    db,
    rows.map((h) => h.honourId),
    r.year,
  );
  return rows.map((h) => {
    const f = figures.get(h.honourId)!;
    return {
      honourId: h.honourId,
      holderName: h.holderName,
      title: h.title,
      level: h.level,
      regionName: h.regionName,
      status: h.status,
      report: h.report,
      filedAt: h.filedAt ? h.filedAt.toISOString() : null,
      outcome: h.outcome,
      rectifyDeadline: h.rectifyDeadline,
      outcomeNote: h.outcomeNote,
      finalOutcome: h.finalOutcome,
      score: h.score ?? yearScore(f.average, f.deductions),
      averageScore: f.average === null ? null : Math.round(f.average * 10) / 10,
      deductions: f.deductions,
    };
  });
}

export async function getReview(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TReviewDetail> {
  requirePermission(actor, Permission.UnitRead);
  const r = await visibleReview(database.db, actor, id);
  return {
    ...presentReview(r),
    holders: await holdersOf(database.db, r),
    bulletin: (r.bulletin as TReviewBulletin | null) ?? null,
  };
}

export async function openReview(database: Database, actor: Actor, input: TReviewInput) {
  requirePermission(actor, Permission.UnitWrite);
  const own = officeRegionOf(actor);
  const id = await withTx(database, async (tx) => {
    const holders = await repo.reviewCandidates(tx, {
      cellType: input.cellType,
      year: input.year,
      scope: input.scope,
      within: own,
    });
    if (!holders.length)
      throw new AppError('nothing_to_review', 409, {
        zh: `${input.year} 年没有待复审的${CELL_TYPE_LABELS[input.cellType].zh}（或已在其他复审中）`,
        en: `no ${CELL_TYPE_LABELS[input.cellType].en.toLowerCase()} to review in ${input.year} (or all are under another review)`,
      });
    const reviewId = await repo.insertReview(tx, {
      cellType: input.cellType,
      year: input.year,
      name: input.name || `${input.year} 年度${CELL_TYPE_LABELS[input.cellType].zh}复审`,
      scope: input.scope,
      filingDeadline: input.filingDeadline,
      renewalCapPct: input.renewalCapPct ?? null,
      officeRegionId: own,
    });
    await repo.insertReviewHolders(tx, reviewId, input.year, holders);
    await writeAudit(tx, actor, {
      action: 'cellReview.open',
      entityType: 'cellReview',
      entityId: reviewId,
      after: { ...input, holders: holders.length },
    });
    return reviewId;
  });
  return getReview(database, actor, id);
}

export async function updateReview(
  database: Database,
  actor: Actor,
  id: number,
  input: TReviewPatch,
) {
  requirePermission(actor, Permission.UnitWrite);
  const { version, ...patch } = input;
  await withTx(database, async (tx) => {
    const before = await openReviewOf(tx, actor, id);
    if (!(await repo.updateReviewRow(tx, id, version, patch)))
      throw errors.staleVersion('cellReview');
    await writeAudit(tx, actor, {
      action: 'cellReview.update',
      entityType: 'cellReview',
      entityId: id,
      before: { ...before, bulletin: undefined },
      after: patch,
    });
  });
  return getReview(database, actor, id);
}

async function memberOf(db: DbOrTx, reviewId: number, honourId: number) {
  const member = (await repo.reviewHolders(db, reviewId)).find((h) => h.honourId === honourId);
  if (!member) throw errors.notFound('honour', honourId);
  return member;
}

/**
 * A holder's 复审 report, by the deadline (Shanghai date). The office that runs the review files
 * what it received; a unit user files its own unit's report.
 */
export async function fileReport(
  database: Database,
  actor: Actor,
  id: number,
  honourId: number,
  report: string,
) {
  const office = actorHas(actor, Permission.UnitWrite);
  if (!office && !(actor.roles.includes('unit') && actor.unitId !== null)) throw errors.forbidden();
  await withTx(database, async (tx) => {
    // A unit user's review is found through its own title (404 otherwise).
    const r = office ? await openReviewOf(tx, actor, id) : await repo.findReview(tx, id);
    if (!r) throw reviewNotFound(id);
    const member = await memberOf(tx, id, honourId);
    if (!office && member.unitId !== actor.unitId) throw reviewNotFound(id);
    if (r.status !== 'open') throw closedAlready();
    if (today() > r.filingDeadline)
      throw new AppError('deadline_passed', 409, {
        zh: `报送截止日期（${r.filingDeadline}）已过`,
        en: `the filing deadline (${r.filingDeadline}) has passed`,
      });
    await repo.updateReviewHolder(tx, id, honourId, { report, filedAt: new Date() });
    await writeAudit(tx, actor, {
      action: 'cellReview.file',
      entityType: 'cellReview',
      entityId: id,
      after: { honourId, length: report.length },
    });
  });
  // The filer's own line (a unit sees no one else's).
  const r = (await repo.findReview(database.db, id))!;
  return (await holdersOf(database.db, r)).find((h) => h.honourId === honourId)!;
}

export async function recordOutcome(
  database: Database,
  actor: Actor,
  id: number,
  honourId: number,
  input: TOutcomeInput,
) {
  requirePermission(actor, Permission.UnitWrite);
  if (input.outcome === 'rectify' && !input.rectifyDeadline)
    throw errors.invalid({ zh: '限期整改须填写期限', en: 'rectification needs a deadline' }, [
      {
        path: 'rectifyDeadline',
        message: '限期整改须填写期限 / rectification needs a deadline',
      },
    ]);
  await withTx(database, async (tx) => {
    await openReviewOf(tx, actor, id);
    const member = await memberOf(tx, id, honourId);
    if (!member.filedAt)
      throw new AppError('not_filed', 409, {
        zh: `“${member.holderName}”尚未报送复审报告`,
        en: `"${member.holderName}" has not filed its report`,
      });
    const set = {
      outcome: input.outcome,
      rectifyDeadline: input.outcome === 'rectify' ? input.rectifyDeadline! : null,
      outcomeNote: input.note || null,
    };
    await repo.updateReviewHolder(tx, id, honourId, set);
    await writeAudit(tx, actor, {
      action: 'cellReview.outcome',
      entityType: 'cellReview',
      entityId: id,
      before: { outcome: member.outcome },
      after: { honourId, ...set },
    });
  });
  return getReview(database, actor, id);
}

const REASON: Record<Exclude<TFinalOutcome, 'keep'>, string> = {
  rectify: '复审结果：限期整改',
  revoke: '复审结果：撤销',
  relinquished: '未按期报送复审报告，视为放弃称号',
  capped: '复审保留数超出比例上限，末位淘汰',
};
const STATUS_OF = {
  rectify: 'rectifying',
  revoke: 'revoked',
  relinquished: 'relinquished',
  capped: 'revoked',
} as const;

/**
 * Closes the review after its deadline: a holder that did not file gives the title up (放弃); every
 * filer needs an outcome; over the cap the lowest year scores fall out (core/cells/dynamic.ts);
 * statuses change (audited, with the review as the reason) and the 通报 is frozen.
 */
export async function closeReview(database: Database, actor: Actor, id: number, version: number) {
  requirePermission(actor, Permission.UnitWrite);
  await withTx(database, async (tx) => {
    const r = await openReviewOf(tx, actor, id);
    if (today() <= r.filingDeadline)
      throw new AppError('deadline_not_passed', 409, {
        zh: `报送截止日期（${r.filingDeadline}）未过，不能结束复审`,
        en: `the filing deadline (${r.filingDeadline}) has not passed yet`,
      });
    const holders = await holdersOf(tx, r);
    const pending = holders.filter((h) => h.filedAt && !h.outcome);
    if (pending.length)
      throw new AppError('outcomes_missing', 409, {
        zh: `尚有 ${pending.length} 个已报送的单位未定复审结果：${pending.map((h) => h.holderName).join('、')}`,
        en: `${pending.length} filed holder(s) have no outcome yet: ${pending.map((h) => h.holderName).join(', ')}`,
      });
    const limit = capCount(holders.length, r.renewalCapPct);
    const dropped = new Set(
      dropOverCap(
        holders
          .filter((h) => h.filedAt && h.outcome === 'keep')
          .map((h) => ({ honourId: h.honourId, score: h.score, deductions: h.deductions })),
        limit,
      ),
    );
    const finals = new Map<number, TFinalOutcome>();
    for (const h of holders) {
      const final: TFinalOutcome = !h.filedAt
        ? 'relinquished'
        : dropped.has(h.honourId)
          ? 'capped'
          : h.outcome!;
      finals.set(h.honourId, final);
      await repo.updateReviewHolder(tx, id, h.honourId, { finalOutcome: final, score: h.score });
      if (final === 'keep') continue;
      const honour = await honoursRepo.findHonour(tx, h.honourId);
      const deadline = final === 'rectify' ? `，整改期限 ${h.rectifyDeadline}` : '';
      await changeHonourStatus(
        tx,
        actor,
        honour!,
        STATUS_OF[final],
        `${r.name}（复审 #${r.id}）：${REASON[final]}${deadline}`,
      );
    }
    const counts = Object.fromEntries(FINAL_OUTCOMES.map((o) => [o, 0])) as Record<
      TFinalOutcome,
      number
    >;
    for (const f of finals.values()) counts[f] += 1;
    const order = (o: TFinalOutcome) => FINAL_OUTCOMES.indexOf(o);
    const bulletin: TReviewBulletin = {
      title: `关于${r.name}结果的通报`,
      issuer: r.officeRegionName ? `${r.officeRegionName}文明办` : '市文明办',
      cellType: r.cellType,
      year: r.year,
      closedOn: today(),
      renewalCapPct: r.renewalCapPct,
      underReview: holders.length,
      capCount: limit,
      counts,
      capRule: CAP_RULE,
      rows: holders
        .map((h) => ({
          holderName: h.holderName,
          title: h.title,
          level: h.level,
          regionName: h.regionName,
          filed: h.filedAt !== null,
          score: h.score,
          finalOutcome: finals.get(h.honourId)!,
          rectifyDeadline: finals.get(h.honourId) === 'rectify' ? h.rectifyDeadline : null,
          note: h.outcomeNote,
        }))
        .sort(
          (a, b) =>
            order(a.finalOutcome) - order(b.finalOutcome) ||
            b.score - a.score ||
            (a.holderName < b.holderName ? -1 : a.holderName > b.holderName ? 1 : 0),
        ),
    };
    if (
      !(await repo.updateReviewRow(tx, id, version, {
        status: 'closed',
        closedAt: new Date(),
        bulletin,
      }))
    )
      throw errors.staleVersion('cellReview');
    await writeAudit(tx, actor, {
      action: 'cellReview.close',
      entityType: 'cellReview',
      entityId: id,
      after: { counts, capCount: limit, dropped: [...dropped] },
    });
  });
  return getReview(database, actor, id);
}

/** The closed review's 通报 (404 while the review is open). */
export async function reviewBulletin(database: Database, actor: Actor, id: number) {
  const d = await getReview(database, actor, id);
  if (!d.bulletin)
    throw new AppError('not_found', 404, {
      zh: '复审尚未结束，暂无通报',
      en: 'the review is still open: no bulletin yet',
    });
  return d.bulletin;
}
