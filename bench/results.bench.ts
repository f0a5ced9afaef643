import { fmt, memoryMb } from './lib.js';
import type { DrawRule } from '../core/draw/draw.js';
import {
  mulberry32,
  simulateDraws,
  whereToAct,
  type TMockPoint,
} from '../core/draw/mock-evaluation.js';

// Results benchmark (issue #8, part): the Monte-Carlo mock evaluation — 10,000 simulated draws
// over 10,000 points (target < 1 s) — beside a baseline in the same run: drawing the same count of
// random numbers and summing as many scores in a plain loop (the work no method can avoid).

const POINTS = Number(process.env.BENCH_POINTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);

function city(): { points: TMockPoint[]; plan: DrawRule[] } {
  const rand = mulberry32(1);
  const types = Array.from({ length: 40 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`);
  const points = Array.from({ length: POINTS }, (_, i) => ({
    id: i + 1,
    type: types[i % types.length]!,
    score: Math.min(1, 0.5 + rand() * 0.6),
    unitId: (i % 300) + 1,
  }));
  // A prefecture plan: a few mandatory types, the rest 3–10 points each (≈ 300 points a draw).
  const plan: DrawRule[] = types.map((type, i) =>
    i < 4 ? { type, mode: 'all' as const } : { type, mode: 'random' as const, count: 3 + (i % 8) },
  );
  return { points, plan };
}

export async function resultsBench(): Promise<void> {
  const { points, plan } = city();
  const mandatory = points.filter((p) => plan.some((r) => r.type === p.type && r.mode === 'all'));
  console.log(
    `\n== mock evaluation: ${POINTS.toLocaleString()} points, ${RUNS.toLocaleString()} runs`,
  );
  // Baseline: per run, one random number and one addition per randomly drawn point.
  const perRun = plan.reduce((a, r) => a + (r.mode === 'random' ? r.count : 0), 0);
  const scores = Float64Array.from(points.map((p) => p.score));
  const rand = mulberry32(2);
  let t0 = performance.now();
  let sink = 0;
  for (let r = 0; r < RUNS; r++) {
    for (let i = 0; i < perRun; i++) sink += scores[Math.floor(rand() * scores.length)]!;
  }
  const baseMs = performance.now() - t0;
  console.log(
    `baseline: ${fmt((perRun * RUNS) / 1e6, 2)} M random picks and sums   ${fmt(baseMs)} ms  (${sink > 0 ? 'ok' : '-'})`,
  );
  for (let rep = 0; rep < 3; rep++) {
    t0 = performance.now();
    const res = simulateDraws(points, plan, { runs: RUNS, seed: rep + 1, target: 0.79 });
    const ms = performance.now() - t0;
    console.log(
      `simulateDraws (${res.drawnPerRun} drawn a run, ${mandatory.length} mandatory)  ${fmt(ms)} ms  ratio ${fmt(ms / baseMs, 2)}× of baseline  ` +
        `mean ${fmt(res.mean, 4)} (exact ${fmt(res.expected, 4)})  P(≥0.79) ${fmt(res.pTarget!, 3)}  ${ms < 1000 ? '✓ < 1 s' : '✗ ≥ 1 s'}`,
    );
  }
  t0 = performance.now();
  const top = whereToAct(points, plan, 20);
  console.log(
    `whereToAct (top ${top.length} of ${POINTS.toLocaleString()})  ${fmt(performance.now() - t0)} ms`,
  );
  console.log(memoryMb());
  return Promise.resolve();
}
