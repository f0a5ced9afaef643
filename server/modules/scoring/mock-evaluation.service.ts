import type { TMockEvaluation, TMockEvaluationInput } from '../../../core/contracts/scoring.js';
import type { DrawRule } from '../../../core/draw/draw.js';
import {
  mockPointsFrom,
  pointState,
  relianceVerdict,
  simulateDraws,
  whereToAct,
} from '../../../core/draw/mock-evaluation.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { scoringErrors } from './projection.service.js';
import * as repo from './scoring.repo.js';
import { cityWidePlan } from '../../../core/draw/strata.js';
import { currentOutlook } from './outlook.service.js';

// 模拟测评推演: every eligible point's state now (its visits' pass rates weighted by age, less a
// penalty per open problem at the point), then the official draw simulated many times with the
// plan's per-type counts. A point never visited has no state: its score is assumed from the
// visited points of its type (a Beta posterior, drawn once per type and run), and the result says
// how much rests on such assumptions. Three statements load the city; the rest is core/draw.

const DEFAULT_SEED = 20261203;

type Input = Omit<TMockEvaluationInput, 'runs' | 'target' | 'top'> & {
  runs: number;
  target: number;
  top: number;
};

export async function mockEvaluation(
  database: Database,
  actor: Actor,
  input: Input,
  now = Date.now(),
): Promise<TMockEvaluation> {
  requirePermission(actor, Permission.ScoreRead);
  const db = database.db;
  const t0 = performance.now();
  let plan: DrawRule[];
  let regionIds: number[] = [];
  let round: { id: number; name: string } | null = null;
  if (input.roundId !== undefined) {
    const r = await repo.roundExists(db, input.roundId);
    if (!r) throw scoringErrors.notFound('测评轮次', 'inspection round', input.roundId);
    plan = (r.plan as DrawRule[] | null) ?? [];
    // Drawn by district and day: the same number of points per type, city-wide.
    if (r.byDistrict) plan = cityWidePlan(plan, r.days);
    regionIds = r.regionIds;
    round = { id: r.id, name: r.name };
    if (!plan.length) {
      throw scoringErrors.invalid('该轮次没有抽样方案', 'the round has no draw plan', 'roundId');
    }
  } else {
    plan = input.plan!;
  }
  const names = await repo.pointTypeNames(db);
  const unknown = plan.filter((p) => !names.has(p.type)).map((p) => p.type);
  if (unknown.length) {
    throw scoringErrors.invalid(
      `点位类型不存在：${unknown.join('、')}`,
      `no such point type: ${unknown.join(', ')}`,
      'plan',
    );
  }
  const codes = [...new Set(plan.map((p) => p.type))];
  if (codes.length !== plan.length) {
    throw scoringErrors.invalid('同一点位类型出现两次', 'a point type appears twice', 'plan');
  }
  const [pts, visits, open] = await Promise.all([
    repo.mockPoints(db, codes, regionIds),
    repo.pointVisits(db, codes),
    repo.openProblemsByPoint(db),
  ]);
  if (pts.length === 0) {
    // Nothing to draw: a distribution of empty draws would read as a score of 0.
    throw scoringErrors.invalid(
      '方案中的点位类型没有可抽取的点位，无法推演',
      "the plan's point types have no points to draw",
      input.roundId !== undefined ? 'roundId' : 'plan',
    );
  }
  const history = new Map<number, { at: number; share: number }[]>();
  const items = new Map<number, number>();
  for (const v of visits) {
    const id = Number(v.point_id);
    const l = history.get(id);
    const e = { at: Number(v.at), share: Number(v.score) };
    if (l) l.push(e);
    else history.set(id, [e]);
    items.set(id, (items.get(id) ?? 0) + Number(v.items));
  }
  const load = performance.now() - t0;
  const t1 = performance.now();
  // The rates to assume come from the visited points' shares before their problem penalty: an
  // unvisited point's own open problems are then taken off its own assumed score.
  const { points: mock, rates } = mockPointsFrom(
    pts.map((p) => ({
      id: p.id,
      type: p.type,
      unitId: p.unitId,
      share: pointState(history.get(p.id) ?? [], 0, now),
      openProblems: open.get(p.id) ?? 0,
    })),
    codes,
  );
  const seed = input.seed ?? DEFAULT_SEED;
  const sim = simulateDraws(mock, plan, { runs: input.runs, seed, target: input.target });
  const top = whereToAct(mock, plan, input.top);
  const simulate = performance.now() - t1;
  const byId = new Map(pts.map((p) => [p.id, p]));
  const eligible = new Map<string, number>();
  for (const p of pts) eligible.set(p.type, (eligible.get(p.type) ?? 0) + 1);
  const visitsOf = new Map<string, { visits: number; items: number }>();
  for (const p of pts) {
    const o = visitsOf.get(p.type) ?? { visits: 0, items: 0 };
    o.visits += history.get(p.id)?.length ?? 0;
    o.items += items.get(p.id) ?? 0;
    visitsOf.set(p.type, o);
  }
  const withVisits = pts.filter((p) => history.has(p.id)).length;
  const r4 = (n: number) => Math.round(n * 10_000) / 10_000;
  return {
    round,
    plan: plan.map((p) => ({
      type: p.type,
      typeName: names.get(p.type) ?? null,
      mode: p.mode,
      count: p.mode === 'random' ? p.count : null,
      eligible: eligible.get(p.type) ?? 0,
    })),
    points: pts.length,
    withVisits,
    openProblems: pts.reduce((a, p) => a + (open.get(p.id) ?? 0), 0),
    runs: sim.runs,
    drawnPerRun: sim.drawnPerRun,
    target: input.target,
    seed,
    mean: r4(sim.mean),
    expected: r4(sim.expected),
    sd: r4(sim.sd),
    p5: r4(sim.p5),
    p50: r4(sim.p50),
    p95: r4(sim.p95),
    pTarget: r4(sim.pTarget ?? 0),
    histogram: sim.histogram.map(r4),
    coverage: {
      points: pts.length,
      visited: withVisits,
      assumedShare: r4(sim.assumedShare),
      cityRate: { mean: r4(rates.city.mean), visited: rates.city.visited },
      types: rates.types.map((r) => ({
        type: r.type,
        typeName: names.get(r.type) ?? null,
        points: r.points,
        visited: r.visited,
        visits: visitsOf.get(r.type)?.visits ?? 0,
        items: visitsOf.get(r.type)?.items ?? 0,
        basis: r.basis,
        mean: r4(r.mean),
        low: r4(r.low),
        high: r4(r.high),
      })),
    },
    verdict: relianceVerdict({
      points: pts.length,
      visited: withVisits,
      assumedShare: sim.assumedShare,
    }),
    whereToAct: top.map((w) => {
      const p = byId.get(w.id)!;
      return {
        pointId: w.id,
        name: p.name,
        type: w.type,
        score: r4(w.score),
        assumed: w.assumed,
        gain: Math.round(w.gain * 1e6) / 1e6,
        visits: history.get(w.id)?.length ?? 0,
        openProblems: open.get(w.id) ?? 0,
        unit: p.unitId === null ? null : { id: p.unitId, name: p.unitName ?? '' },
      };
    }),
    ms: { load: Math.round(load * 10) / 10, simulate: Math.round(simulate * 10) / 10 },
    // The field part is what this simulates; the year's standing (combination, gates, vetoes)
    // sits beside it so a good field figure is never read as a good year.
    outlook: await currentOutlook(database, actor, new Date(now)),
  };
}
