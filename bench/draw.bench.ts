import { drawPoints, listFingerprint, type DrawPoint, type DrawRule } from '../core/draw/draw.js';
import { fmt } from './lib.js';

// Draw benchmark (issue #5): the verifiable draw over 10,000 points of 12 types, beside a baseline
// in the same run — the same per-type sampling with Math.random (not verifiable).

const TYPES = 12;
const POINTS = 10_000;

function cityPoints(): DrawPoint[] {
  return Array.from({ length: POINTS }, (_, i) => ({
    id: i + 1,
    type: `P${String((i % TYPES) + 1).padStart(2, '0')}`,
  }));
}

function plan(): DrawRule[] {
  return Array.from({ length: TYPES }, (_, t) => {
    const type = `P${String(t + 1).padStart(2, '0')}`;
    // A third of the types are mandatory (all points), the rest draw 30 % of theirs.
    return t % 3 === 0
      ? { type, mode: 'all' as const }
      : { type, mode: 'random' as const, count: 250 };
  });
}

function baseline(points: DrawPoint[], rules: DrawRule[]): number[] {
  const out: number[] = [];
  for (const r of rules) {
    const pool = points.filter((p) => p.type === r.type).map((p) => p.id);
    if (r.mode === 'all') {
      out.push(...pool);
      continue;
    }
    for (let i = 0; i < r.count; i++) {
      const j = i + Math.floor(Math.random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    out.push(...pool.slice(0, r.count));
  }
  return out;
}

export async function drawBench(): Promise<void> {
  const points = cityPoints();
  const rules = plan();
  const runs = 20;
  let t0 = performance.now();
  for (let i = 0; i < runs; i++) baseline(points, rules);
  const base = (performance.now() - t0) / runs;
  t0 = performance.now();
  let drawn = 0;
  for (let i = 0; i < runs; i++) drawn = (await drawPoints(`bench-${i}`, points, rules)).ids.length;
  const verifiable = (performance.now() - t0) / runs;
  t0 = performance.now();
  await listFingerprint(points);
  const fingerprint = performance.now() - t0;
  console.log(`\n== draw over ${POINTS.toLocaleString()} points, ${TYPES} types, ${drawn} drawn`);
  console.log(`baseline: Math.random sampling      ${fmt(base, 2)} ms`);
  console.log(
    `verifiable draw (SHA-256 stream)     ${fmt(verifiable, 2)} ms  ratio ${fmt(verifiable / base, 1)}× of baseline`,
  );
  console.log(`list fingerprint                     ${fmt(fingerprint, 2)} ms`);
}
