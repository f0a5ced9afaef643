import {
  GOOD_PERSON_MONTH_STATE_LABELS,
  MONTH_TRANSITIONS,
  NOMINATION_STATUS_LABELS,
  type TMonthStateInput,
  type TNomination,
  type TNominationInput,
  type TNominationsQuery,
  type TNominationStatusInput,
  type TUpwardStepInput,
} from '../../../core/contracts/good-people.js';
import { monthOf, previousMonth } from '../../../core/good-people/months.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { actorHas, officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors, isUniqueViolation } from '../../platform/errors.js';
import { pageOf } from '../../platform/pagination.js';
import { withTx } from '../../platform/tx.js';
import { checkAttachable } from '../files/files.service.js';
import { requireCityLevel, requireRegionWithin } from '../org/jurisdiction.js';
import { regionWithin } from '../org/regions.repo.js';
import { presentMonth, presentNomination } from './good-people.present.js';
import * as repo from './good-people.repo.js';

// 身边好人 (issue #22, item 5). Units, community staff and offices nominate (goodperson.nominate)
// and follow their own nominations; the 文明办 reviews (goodperson.review): a district or street
// office the nominees placed in its subtree — another district's are not there for it (404) —
// and the city office everything. The month's vote, the 好人榜 and the path upward are the city's
// (requireCityLevel): the list is the city's "XX好人" and goes up to the province from there.

export const RANK_KEY = 'good_person_nominations_rank_uq';

const who = { zh: '身边好人推荐', en: 'nomination' };
const notFound = (id: number) =>
  new AppError('not_found', 404, {
    zh: `${who.zh}不存在（${id}）`,
    en: `${who.en} not found (${id})`,
  });

/** 409: the month no longer takes nominations or reviews of its shortlist. */
export function monthNotCollecting(
  month: string,
  state: keyof typeof GOOD_PERSON_MONTH_STATE_LABELS,
) {
  const label = GOOD_PERSON_MONTH_STATE_LABELS[state];
  return new AppError('month_not_collecting', 409, {
    zh: `${month} 的身边好人已进入“${label.zh}”阶段，不再接受推荐或调整入围名单`,
    en: `${month} is at "${label.en}": nominations and the shortlist can no longer change`,
  });
}

/** What a reader of nominations sees: a reviewer its subtree (or all), a nominator its own. */
function readerFilter(actor: Actor): Pick<repo.NominationFilters, 'within' | 'nominatedBy'> {
  if (actorHas(actor, Permission.GoodPersonReview)) return { within: officeRegionOf(actor) };
  requirePermission(actor, Permission.GoodPersonNominate);
  return { nominatedBy: actor.id ?? -1 };
}

/** True when a reviewer's subtree holds the nominee (the city: always). */
async function inSubtree(db: DbOrTx, actor: Actor, regionId: number): Promise<boolean> {
  const own = officeRegionOf(actor);
  return own === null || (await regionWithin(db, regionId, own));
}

async function mayRead(db: DbOrTx, actor: Actor, r: repo.NominationTableRow): Promise<boolean> {
  if (actorHas(actor, Permission.GoodPersonReview) && (await inSubtree(db, actor, r.regionId)))
    return true;
  return actor.id !== null && r.nominatedBy === actor.id;
}

/** Rows with their votes and steps, as staff read them. */
async function presentRows(
  db: DbOrTx,
  actor: Actor,
  rows: repo.NominationRow[],
): Promise<TNomination[]> {
  const ids = rows.map((r) => r.id);
  const [votes, steps] = await Promise.all([repo.voteCounts(db, ids), repo.stepsOf(db, ids)]);
  const contacts = actorHas(actor, Permission.GoodPersonReview);
  return rows.map((r) =>
    presentNomination(r, { votes: votes.get(r.id) ?? 0, steps: steps.get(r.id) ?? [], contacts }),
  );
}

export async function listNominations(database: Database, actor: Actor, q: TNominationsQuery) {
  const scope = readerFilter(actor);
  const { total, rows } = await repo.nominationPage(database.db, { ...q, ...scope });
  const page = pageOf(rows, q.limit, (r) => r.month);
  return {
    items: await presentRows(database.db, actor, page.items),
    nextCursor: page.nextCursor,
    total,
  };
}

export async function getNomination(database: Database, actor: Actor, id: number) {
  readerFilter(actor);
  const r = await repo.findNomination(database.db, id);
  if (!r || !(await mayRead(database.db, actor, r))) throw notFound(id);
  return (await presentRows(database.db, actor, [r]))[0]!;
}

/** The month's state (a month that never moved is collecting). */
async function monthState(db: DbOrTx, month: string) {
  return (await repo.findMonth(db, month))?.state ?? 'collecting';
}

/**
 * Nominations are monthly: for this month, or last month while its review is still open (papers
 * come in late); never for a month to come or one long past (Beijing time).
 */
function requireNominationMonth(month: string) {
  const now = monthOf(new Date());
  if (month > now || month < previousMonth(now)) {
    throw errors.invalid(
      {
        zh: '只能推荐本月或上月的身边好人',
        en: 'a nomination is for this month or last month',
      },
      [{ path: 'month', message: '只能是本月或上月 / this month or last month only' }],
    );
  }
}

/** A photo to attach: the actor's own upload, used by no problem and no other nomination. */
async function requirePhotoOf(db: DbOrTx, actor: Actor, photoId: string) {
  await checkAttachable(db, actor, [photoId]);
  if ((await repo.nominationsWithPhoto(db, photoId)).length) {
    throw errors.invalid(
      { zh: '照片不存在或不能使用', en: 'the photo does not exist or cannot be used' },
      [{ path: 'photoId', message: `照片不可用 / unusable photo ${photoId}` }],
    );
  }
}

/** A nomination by a unit, a community's staff or an office. */
export async function nominate(database: Database, actor: Actor, input: TNominationInput) {
  requirePermission(actor, Permission.GoodPersonNominate);
  requireNominationMonth(input.month);
  const id = await withTx(database, async (tx) => {
    if (!(await repo.regionExists(tx, input.regionId)))
      throw errors.notFound('region', input.regionId);
    // A district or street office puts forward people of its own subtree.
    await requireRegionWithin(tx, actor, input.regionId);
    const state = await monthState(tx, input.month);
    if (state !== 'collecting') throw monthNotCollecting(input.month, state);
    if (input.photoId) await requirePhotoOf(tx, actor, input.photoId);
    // A unit nominates as the unit; community staff (grid workers, a district or street office)
    // as their place; a city office as its department, else the city.
    const asCommunity =
      actor.roles.includes('grid_worker') ||
      officeRegionOf(actor) !== null ||
      actor.unitId === null;
    const values: repo.NominationInsert = {
      month: input.month,
      category: input.category,
      nomineeName: input.nomineeName,
      deeds: input.deeds,
      regionId: input.regionId,
      photoFileId: input.photoId ?? null,
      source: asCommunity ? 'community' : 'unit',
      nominatorUnitId: asCommunity ? null : actor.unitId,
      nominatorRegionId: asCommunity ? (actor.regionId ?? input.regionId) : null,
      nominatedBy: actor.id,
    };
    const nominationId = await repo.insertNomination(tx, values);
    await writeAudit(tx, actor, {
      action: 'goodperson.nominate',
      entityType: 'good_person_nomination',
      entityId: nominationId,
      after: values,
    });
    return nominationId;
  });
  return getNomination(database, actor, id);
}

const badMove = (from: repo.NominationTableRow['status'], to: repo.NominationTableRow['status']) =>
  new AppError('invalid_transition', 409, {
    zh: `“${NOMINATION_STATUS_LABELS[from].zh}”的推荐不能改为“${NOMINATION_STATUS_LABELS[to].zh}”`,
    en: `a nomination that is "${NOMINATION_STATUS_LABELS[from].en}" cannot become "${NOMINATION_STATUS_LABELS[to].en}"`,
  });

const fieldRequired = (path: string, zh: string, en: string) =>
  errors.invalid({ zh, en }, [{ path, message: `${zh} / ${en}` }]);

/**
 * 评议: 入围 or 未入围 (with its reason) while the month collects — in the reviewer's subtree; 上榜
 * with a rank (or back to 入围) once the vote is closed and before the list is published — the city
 * office's. Audited as `goodperson.status`.
 */
export async function changeStatus(
  database: Database,
  actor: Actor,
  id: number,
  input: TNominationStatusInput,
) {
  requirePermission(actor, Permission.GoodPersonReview);
  try {
    await withTx(database, async (tx) => {
      const before = await repo.lockNomination(tx, id);
      if (!before || !(await inSubtree(tx, actor, before.regionId))) throw notFound(id);
      if (before.version !== input.version) throw errors.staleVersion('good_person_nomination');
      const state = await monthState(tx, before.month);
      const from = before.status;
      const to = input.status;
      const set: Partial<repo.NominationInsert> = {
        status: to,
        reviewedBy: actor.id,
        reviewedAt: new Date(),
      };
      if (to === 'shortlisted' && from === 'honoured') {
        // Taking someone off a list not yet published: the city's, while the vote is closed.
        requireCityLevel(actor, { zh: '好人榜', en: 'The 好人榜' });
        if (state !== 'closed') throw monthNotClosed(before.month, state);
        set.rank = null;
      } else if (to === 'shortlisted') {
        if (from !== 'submitted' && from !== 'rejected') throw badMove(from, to);
        if (state !== 'collecting') throw monthNotCollecting(before.month, state);
        set.reason = null;
      } else if (to === 'rejected') {
        if (from === 'honoured' || from === 'rejected') throw badMove(from, to);
        if (from === 'shortlisted' && state !== 'collecting')
          throw monthNotCollecting(before.month, state);
        if (!input.reason)
          throw fieldRequired('reason', '不予入围须说明原因', 'a rejection needs a reason');
        set.reason = input.reason;
      } else {
        requireCityLevel(actor, { zh: '好人榜', en: 'The 好人榜' });
        if (from !== 'shortlisted') throw badMove(from, to);
        if (state !== 'closed') throw monthNotClosed(before.month, state);
        if (!input.rank)
          throw fieldRequired('rank', '上榜须填写名次', 'an honoured person needs a rank');
        set.rank = input.rank;
      }
      if (!(await repo.updateNomination(tx, id, input.version, set)))
        throw errors.staleVersion('good_person_nomination');
      await writeAudit(tx, actor, {
        action: 'goodperson.status',
        entityType: 'good_person_nomination',
        entityId: id,
        before: { status: from, rank: before.rank, reason: before.reason },
        after: {
          status: to,
          label: NOMINATION_STATUS_LABELS[to].zh,
          reason: set.reason ?? null,
          rank: set.rank ?? null,
        },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, RANK_KEY)) {
      throw new AppError('rank_taken', 409, {
        zh: `本月好人榜第 ${input.rank} 名已有人选`,
        en: `rank ${input.rank} of this month's list is taken`,
      });
    }
    throw err;
  }
  return getNomination(database, actor, id);
}

function monthNotClosed(month: string, state: keyof typeof GOOD_PERSON_MONTH_STATE_LABELS) {
  const label = GOOD_PERSON_MONTH_STATE_LABELS[state];
  return new AppError('month_not_closed', 409, {
    zh: `${month} 处于“${label.zh}”阶段：投票截止后、发布前才能确定好人榜`,
    en: `${month} is at "${label.en}": the list is chosen after the vote closes and before it is published`,
  });
}

/** The month's course (a month that never moved: collecting, version 0). */
export async function getMonth(database: Database, actor: Actor, month: string) {
  readerFilter(actor);
  return presentMonth(month, await repo.findMonth(database.db, month));
}

/**
 * Opens the month's public vote (its shortlist must have someone, and no other month may be
 * voting), closes it (or reopens it), publishes the 好人榜 (someone must be on it). The city's.
 */
export async function moveMonth(
  database: Database,
  actor: Actor,
  month: string,
  input: TMonthStateInput,
) {
  requirePermission(actor, Permission.GoodPersonReview);
  requireCityLevel(actor, { zh: '身边好人的投票与好人榜发布', en: 'The vote and the 好人榜' });
  await withTx(database, async (tx) => {
    const before = await repo.lockMonth(tx, month);
    const from = before?.state ?? 'collecting';
    if ((before?.version ?? 0) !== input.version) throw errors.staleVersion('good_person_month');
    const to = input.state;
    if (!MONTH_TRANSITIONS[from].includes(to)) {
      throw new AppError('invalid_transition', 409, {
        zh: `${month} 处于“${GOOD_PERSON_MONTH_STATE_LABELS[from].zh}”阶段，不能改为“${GOOD_PERSON_MONTH_STATE_LABELS[to].zh}”`,
        en: `${month} is at "${GOOD_PERSON_MONTH_STATE_LABELS[from].en}" and cannot move to "${GOOD_PERSON_MONTH_STATE_LABELS[to].en}"`,
      });
    }
    const counts = new Map(
      (await repo.monthCounts(tx, month)).map((c) => [c.status, c.n] as const),
    );
    const now = new Date();
    const set: Parameters<typeof repo.moveMonth>[3] = { state: to };
    if (to === 'voting') {
      if (!counts.get('shortlisted')) {
        throw new AppError('empty_shortlist', 409, {
          zh: `${month} 还没有入围人选，不能开启投票`,
          en: `${month} has nobody shortlisted: the vote cannot open`,
        });
      }
      const others = (await repo.votingMonths(tx)).filter((m) => m !== month);
      if (others.length) {
        throw new AppError('another_vote_open', 409, {
          zh: `${others[0]} 的投票尚未截止，请先截止后再开启 ${month} 的投票`,
          en: `the vote of ${others[0]} is still open: close it before opening ${month}'s`,
        });
      }
      set.votingOpenedAt = now;
      set.votingClosedAt = null;
    } else if (to === 'closed') {
      set.votingClosedAt = now;
    } else {
      if (!counts.get('honoured')) {
        throw new AppError('empty_list', 409, {
          zh: `${month} 的好人榜还没有人选，不能发布`,
          en: `nobody is on ${month}'s list yet: it cannot be published`,
        });
      }
      set.publishedAt = now;
    }
    if (!(await repo.moveMonth(tx, month, input.version, set)))
      throw errors.staleVersion('good_person_month');
    await writeAudit(tx, actor, {
      action: 'goodperson.month',
      entityType: 'good_person_month',
      entityId: month,
      before: { state: from },
      after: { state: to, label: GOOD_PERSON_MONTH_STATE_LABELS[to].zh },
    });
  });
  return presentMonth(month, await repo.findMonth(database.db, month));
}

/** One step of an honoured person's path upward (省级, 中国好人榜): the city office records it. */
export async function addStep(
  database: Database,
  actor: Actor,
  id: number,
  input: TUpwardStepInput,
) {
  requirePermission(actor, Permission.GoodPersonReview);
  requireCityLevel(actor, { zh: '向上推荐', en: 'The path upward' });
  await withTx(database, async (tx) => {
    const r = await repo.lockNomination(tx, id);
    if (!r) throw notFound(id);
    if (r.status !== 'honoured' || (await monthState(tx, r.month)) !== 'published') {
      throw new AppError('not_honoured', 409, {
        zh: '只有已发布好人榜上的人选才能向上推荐',
        en: 'only a person on a published 好人榜 can be put forward upward',
      });
    }
    const values = {
      nominationId: id,
      level: input.level,
      stage: input.stage,
      on: input.on,
      note: input.note || null,
      createdBy: actor.id,
    };
    const stepId = await repo.insertStep(tx, values);
    await writeAudit(tx, actor, {
      action: 'goodperson.step',
      entityType: 'good_person_nomination',
      entityId: id,
      after: { stepId, ...values },
    });
  });
  return getNomination(database, actor, id);
}
