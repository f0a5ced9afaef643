import { randomBytes } from 'node:crypto';
import type {
  TCountOverride,
  TDrawVerification,
  TRound,
  TScheduleDay,
  TScheduleDayPatch,
} from '../../../core/contracts/inspections.js';
import {
  commitmentOf,
  drawPoints,
  listFingerprint,
  verifyDraw,
  type DrawPoint,
  type DrawRule,
} from '../../../core/draw/draw.js';
import {
  emptyDistricts,
  expandPlan,
  roundStateOfDays,
  scheduleProblems,
  shortfalls,
  stratify,
  type Shortfall,
} from '../../../core/draw/strata.js';
import { Permission, type TScope } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { findRoundOfLevel, present, wrongState } from './round-access.js';
import * as daysRepo from './round-days.repo.js';
import * as repo from './rounds.repo.js';

/*
 * 按城区分日抽签: a round whose plan applies per district, drawn day by day of its schedule
 * (测评日程). Each day is committed, drawn and revealed on its own with core/draw (strata.ts keys
 * its points by district and type); the round row sums its days up (state, drawn ids, dates,
 * districts) in the same transaction as each step, so everything that reads a round — the
 * inspectors' phones, visits, the report, point-type edits — works unchanged.
 */

type DayRow = daysRepo.RoundDayRow;
type DayState = DayRow['state'];
type L = { zh: string; en: string };
/** What a step sets on its day besides the state and version, which the step frame sets. */
type DayStepValues = Omit<Partial<daysRepo.RoundDayInsert>, 'state' | 'version'>;

const dayLabel = (d: Pick<DayRow, 'date'>) => ({
  zh: `${d.date} 的抽签`,
  en: `the draw of ${d.date}`,
});

/** 409 for a round-level step on a round drawn by day. */
export function drawnByDay(): AppError {
  return new AppError('drawn_by_day', 409, {
    zh: '本轮按城区分日抽签：请在测评日程中逐日公布承诺值、抽签和公开种子',
    en: 'this round is drawn by day: commit, draw and reveal each day of its schedule',
  });
}

/**
 * Checks a schedule against the districts and the plan: 400 listing every problem (a day
 * without a district, a date twice, a district on two days or not a district, a stray override).
 */
export async function checkSchedule(
  db: DbOrTx,
  plan: readonly DrawRule[],
  days: readonly TScheduleDay[],
): Promise<void> {
  const names = await daysRepo.districtNames(db);
  const others = await daysRepo.regionNames(
    db,
    days.flatMap((d) => d.regionIds).filter((id) => !names.has(id)),
  );
  const problems = scheduleProblems(days, plan, names, others);
  if (problems.length) {
    throw errors.invalid(
      {
        zh: `测评日程有误：${problems.map((p) => p.zh).join('；')}`,
        en: `the schedule is wrong: ${problems.map((p) => p.en).join('; ')}`,
      },
      problems.map((p) => ({ path: 'body.schedule', message: p.en })),
    );
  }
}

/** Inserts a new round's days (by date) and sums the round up from them. */
export async function insertSchedule(
  tx: Tx,
  roundId: number,
  days: TScheduleDay[],
): Promise<repo.RoundRow> {
  await daysRepo.insertDays(
    tx,
    roundId,
    [...days].sort((a, b) => a.date.localeCompare(b.date)),
  );
  return syncRound(tx, roundId);
}

const earliest = (xs: (Date | null)[]) =>
  xs.reduce<Date | null>((a, x) => (x && (!a || x < a) ? x : a), null);
const latest = (xs: (Date | null)[]) =>
  xs.reduce<Date | null>((a, x) => (x && (!a || x > a) ? x : a), null);

/**
 * A round drawn by day summed up from its days: state (core/draw/strata.ts roundStateOfDays), the
 * drawn days' ids in date order (what visits and phones read), its districts and first and last
 * dates, and the times of its first commitment, last draw and — once every day is — last reveal.
 */
async function syncRound(tx: Tx, roundId: number): Promise<repo.RoundRow> {
  const days = await daysRepo.daysOf(tx, [roundId]);
  const state = roundStateOfDays(days.map((d) => d.state));
  const drawn = days.filter((d) => d.drawnIds !== null);
  return repo.updateRound(tx, roundId, {
    state,
    drawnIds: drawn.length ? drawn.flatMap((d) => d.drawnIds!) : null,
    regionIds: [...new Set(days.flatMap((d) => d.regionIds))],
    startsOn: days[0]?.date ?? null,
    endsOn: days.at(-1)?.date ?? null,
    committedAt: earliest(days.map((d) => d.committedAt)),
    drawnAt: latest(days.map((d) => d.drawnAt)),
    revealedAt: state === 'revealed' ? latest(days.map((d) => d.revealedAt)) : null,
  });
}

/** The round (locked) and its day (locked), or 404; a round drawn at once has no days. */
async function lockDay(tx: Tx, actor: Actor, roundId: number, dayId: number) {
  const round = await findRoundOfLevel(tx, actor, roundId, true);
  const day = await daysRepo.findDay(tx, roundId, dayId, true);
  if (!day) throw errors.notFound('round_day', dayId);
  return { round, day };
}

/** The districts that cannot meet the plan, named: "东湖区的背街小巷（P02）：方案抽取 3 个…". */
async function shortfallError(db: DbOrTx, short: Shortfall[]): Promise<AppError> {
  const districts = await daysRepo.districtNames(db);
  const types = await repo.pointTypeNames(db);
  const one = (s: Shortfall) => {
    const d = districts.get(s.district) ?? `#${s.district}`;
    const t = types.get(s.type) ?? s.type;
    return {
      zh: `${d}的${t}（${s.type}）：方案抽取 ${s.asked} 个，该城区仅有 ${s.eligible} 个可抽点位`,
      en: `${d}, ${t} (${s.type}): the plan asks for ${s.asked} but the district has only ${s.eligible} eligible`,
    };
  };
  const all = short.map(one);
  return errors.invalid(
    {
      zh: `抽签方案无法执行：${all.map((m) => m.zh).join('；')}`,
      en: `the plan cannot be drawn: ${all.map((m) => m.en).join('; ')}`,
    },
    all.map((m) => ({ path: 'plan', message: m.en })),
  );
}

/** Districts of the day with no eligible point of the plan's types: nothing to inspect there. */
async function emptyError(db: DbOrTx, ids: number[]): Promise<AppError> {
  const districts = await daysRepo.districtNames(db);
  const names = ids.map((id) => districts.get(id) ?? `#${id}`);
  return errors.invalid({
    zh: `${names.join('、')}没有可抽取的点位（方案中的点位类型在该城区均无申报点位），请调整当天的城区`,
    en: `${names.join(', ')}: no declared point of the plan's types in the district; change the day's districts`,
  });
}

/** A day's steps: the state each needs and leaves, and what it does (for the 409). */
const DAY_STEPS = {
  commit: { from: 'planned', to: 'committed', doing: { zh: '公布承诺值', en: 'commit' } },
  draw: { from: 'committed', to: 'drawn', doing: { zh: '抽签', en: 'draw' } },
  reveal: { from: 'drawn', to: 'revealed', doing: { zh: '公开种子', en: 'reveal' } },
} as const satisfies Record<string, { from: DayState; to: DayState; doing: L }>;

/**
 * The frame of a day's step, in one transaction: the round and the day locked, the day in the
 * state the step needs (else 409), the day moved on with what `apply` returns for it (its version
 * bumped), the round summed up again, the step audited (`round_day.<step>`) with what `apply`
 * says of it. `apply` may refuse (throw) before anything is written.
 */
async function dayStep(
  database: Database,
  actor: Actor,
  scope: TScope,
  name: keyof typeof DAY_STEPS,
  ids: { roundId: number; dayId: number },
  apply: (
    day: DayRow,
    tx: Tx,
    round: repo.RoundRow,
  ) => Promise<{ values: DayStepValues; audit: Record<string, unknown> }>,
): Promise<TRound> {
  const { roundId, dayId } = ids;
  const step = DAY_STEPS[name];
  return withTx(database, async (tx) => {
    const { round, day } = await lockDay(tx, actor, roundId, dayId);
    if (day.state !== step.from) {
      throw wrongState(day.state, step.from, step.doing, dayLabel(day));
    }
    const { values, audit } = await apply(day, tx, round);
    await daysRepo.updateDay(tx, day.id, { ...values, state: step.to, version: day.version + 1 });
    const row = await syncRound(tx, roundId);
    await writeAudit(tx, actor, {
      action: `round_day.${name}`,
      entityType: 'round_day',
      entityId: day.id,
      after: { roundId, date: day.date, ...audit },
    });
    return present(tx, actor, scope, row);
  });
}

/**
 * Step 1 of a day: freezes the eligible points of its districts (keyed by district and type),
 * expands the plan over them (with the day's overrides) and publishes SHA-256(seed) and the
 * list's fingerprint. A district that cannot meet the plan is refused now (400 naming district
 * and type), and so is one with no point of the plan's types at all, with nothing frozen.
 */
export async function commitDay(
  database: Database,
  actor: Actor,
  roundId: number,
  dayId: number,
): Promise<TRound> {
  const scope = requirePermission(actor, Permission.InspectionManage);
  return dayStep(database, actor, scope, 'commit', { roundId, dayId }, async (day, tx, round) => {
    const roundPlan = round.plan as DrawRule[];
    const plan = expandPlan(roundPlan, day.regionIds, day.overrides as TCountOverride[]);
    const points = await daysRepo.dayEligiblePoints(
      tx,
      roundPlan.map((r) => r.type),
      day.regionIds,
    );
    const empty = emptyDistricts(points, day.regionIds);
    if (empty.length) throw await emptyError(tx, empty);
    const short = shortfalls(points, plan);
    if (short.length) throw await shortfallError(tx, short);
    const list = stratify(points);
    const seed = randomBytes(32).toString('hex');
    const commitment = await commitmentOf(seed);
    const fingerprint = await listFingerprint(list);
    return {
      values: { plan, seed, commitment, fingerprint, frozenList: list, committedAt: new Date() },
      audit: { regionIds: day.regionIds, commitment, fingerprint, points: list.length },
    };
  });
}

/** Step 2 of a day: the draw, from its committed seed, frozen list and plan. Once only. */
export async function drawDay(
  database: Database,
  actor: Actor,
  roundId: number,
  dayId: number,
): Promise<TRound> {
  const scope = requirePermission(actor, Permission.InspectionManage);
  return dayStep(database, actor, scope, 'draw', { roundId, dayId }, async (day) => {
    const { ids } = await drawPoints(
      day.seed!,
      day.frozenList as DrawPoint[],
      day.plan as DrawRule[],
    );
    return { values: { drawnIds: ids, drawnAt: new Date() }, audit: { drawnIds: ids } };
  });
}

/** Step 3 of a day: its seed is made public so anyone can re-run its draw. */
export async function revealDay(
  database: Database,
  actor: Actor,
  roundId: number,
  dayId: number,
): Promise<TRound> {
  const scope = requirePermission(actor, Permission.InspectionManage);
  return dayStep(database, actor, scope, 'reveal', { roundId, dayId }, async (day) => ({
    values: { revealedAt: new Date() },
    audit: { seed: day.seed },
  }));
}

/** Anyone signed in may re-run a revealed day's draw from what was published. */
export async function verifyDay(
  database: Database,
  actor: Actor,
  roundId: number,
  dayId: number,
): Promise<TDrawVerification> {
  requirePermission(actor, Permission.ProblemRead);
  await findRoundOfLevel(database.db, actor, roundId);
  const day = await daysRepo.findDay(database.db, roundId, dayId);
  if (!day) throw errors.notFound('round_day', dayId);
  if (day.state !== 'revealed') {
    throw wrongState(day.state, 'revealed', { zh: '核验', en: 'verify' }, dayLabel(day));
  }
  return verifyDraw(
    {
      seed: day.seed!,
      commitment: day.commitment!,
      fingerprint: day.fingerprint!,
      points: day.frozenList as DrawPoint[],
      plan: day.plan as DrawRule[],
    },
    day.drawnIds ?? [],
  );
}

/**
 * Changes a day of the schedule — its date, districts or overrides — while it is planned
 * (committed: its list is frozen, 409). Versioned (stale → 409); the whole schedule is checked
 * again (a district already on another day, a date taken: 400).
 */
export async function updateDay(
  database: Database,
  actor: Actor,
  roundId: number,
  dayId: number,
  input: TScheduleDayPatch,
): Promise<TRound> {
  const scope = requirePermission(actor, Permission.InspectionManage);
  return withTx(database, async (tx) => {
    const { round, day } = await lockDay(tx, actor, roundId, dayId);
    if (day.version !== input.version) throw errors.staleVersion('round_day');
    if (day.state !== 'planned') {
      throw wrongState(
        day.state,
        'planned',
        { zh: '修改日程', en: 'change the schedule' },
        dayLabel(day),
      );
    }
    const next: TScheduleDay = {
      date: input.date ?? day.date,
      regionIds: input.regionIds ?? day.regionIds,
      overrides: input.overrides ?? (day.overrides as TCountOverride[]),
    };
    const all = (await daysRepo.daysOf(tx, [roundId])).map((d): TScheduleDay =>
      d.id === day.id
        ? next
        : { date: d.date, regionIds: d.regionIds, overrides: d.overrides as TCountOverride[] },
    );
    await checkSchedule(tx, round.plan as DrawRule[], all);
    const updated = await daysRepo.updateDayAtVersion(tx, day.id, input.version, next);
    if (!updated) throw errors.staleVersion('round_day');
    const row = await syncRound(tx, roundId);
    await writeAudit(tx, actor, {
      action: 'round_day.update',
      entityType: 'round_day',
      entityId: day.id,
      before: { date: day.date, regionIds: day.regionIds, overrides: day.overrides },
      after: { roundId, ...next },
    });
    return present(tx, actor, scope, row);
  });
}
