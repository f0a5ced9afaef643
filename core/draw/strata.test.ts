import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitmentOf, listFingerprint, verifyDraw, type DrawRule } from './draw.js';
import {
  cityWidePlan,
  drawDay,
  emptyDistricts,
  expandPlan,
  parseStratum,
  roundStateOfDays,
  scheduleProblems,
  shortfalls,
  stratify,
  stratumKey,
  type StratumPoint,
} from './strata.js';

// Three districts (东湖区 11, 西城区 12, 南山区 13): markets (P03, all), back streets (P02) and
// toilets (P09) at random.
const DISTRICTS = new Map([
  [11, '东湖区'],
  [12, '西城区'],
  [13, '南山区'],
]);
const PLAN: DrawRule[] = [
  { type: 'P03', mode: 'all' },
  { type: 'P02', mode: 'random', count: 3 },
  { type: 'P09', mode: 'random', count: 1 },
];
function cityPoints(): StratumPoint[] {
  const out: StratumPoint[] = [];
  let id = 100;
  for (const district of [11, 12, 13]) {
    for (const [type, n] of [
      ['P03', 2],
      ['P02', 6],
      ['P09', 3],
    ] as const) {
      for (let i = 0; i < n; i++) out.push({ id: id++, type, district });
    }
  }
  // Interleaved by id as a real catalogue is (declared district by district, then amended).
  return out.sort((a, b) => ((a.id * 7) % 31) - ((b.id * 7) % 31) || a.id - b.id);
}
const POINTS = cityPoints();

/** Points arbitrary: ids unique, in districts 11–14, of the plan's types and one other. */
const pointsArb = fc
  .uniqueArray(
    fc.record({
      id: fc.integer({ min: 1, max: 5000 }),
      type: fc.constantFrom('P02', 'P03', 'P09', 'P11'),
      district: fc.integer({ min: 11, max: 14 }),
    }),
    { selector: (p) => p.id, minLength: 0, maxLength: 120 },
  )
  .map((ps) => [...ps].sort((a, b) => a.id - b.id));
const seedArb = fc.string({ minLength: 8, maxLength: 40 });
const districtsArb = fc.uniqueArray(fc.integer({ min: 11, max: 14 }), {
  minLength: 1,
  maxLength: 3,
});

/** The plan asks of each district no more than its poorest stratum has (so the draw can run). */
function feasiblePlan(points: StratumPoint[], districts: number[]): DrawRule[] {
  const min = (type: string) =>
    Math.min(
      ...districts.map((d) => points.filter((p) => p.type === type && p.district === d).length),
    );
  return [
    { type: 'P03', mode: 'all' },
    { type: 'P02', mode: 'random', count: Math.min(2, min('P02')) },
    { type: 'P09', mode: 'random', count: Math.min(1, min('P09')) },
  ];
}

describe('the draw by district and day', () => {
  it('keys a point and a rule by district and type, and reads the key back', () => {
    expect(stratumKey(12, 'P02')).toBe('12/P02');
    expect(parseStratum('12/P02')).toEqual({ district: 12, type: 'P02' });
    expect(parseStratum('P02')).toBeNull();
    expect(parseStratum('x/P02')).toBeNull();
    expect(stratify([{ id: 5, type: 'P03', district: 11 }])).toEqual([{ id: 5, type: '11/P03' }]);
  });

  it('expands the plan per district in the day’s order, an override replacing a count', () => {
    expect(expandPlan(PLAN, [12, 11], [{ regionId: 11, type: 'P02', count: 5 }])).toEqual([
      { type: '12/P03', mode: 'all' },
      { type: '12/P02', mode: 'random', count: 3 },
      { type: '12/P09', mode: 'random', count: 1 },
      { type: '11/P03', mode: 'all' },
      { type: '11/P02', mode: 'random', count: 5 },
      { type: '11/P09', mode: 'random', count: 1 },
    ]);
  });

  it('draws only points of the day’s districts, honouring each district’s counts', async () => {
    await fc.assert(
      fc.asyncProperty(seedArb, pointsArb, districtsArb, async (seed, points, districts) => {
        const plan = feasiblePlan(points, districts);
        const r = await drawDay(seed, points, plan, { regionIds: districts });
        const byId = new Map(points.map((p) => [p.id, p]));
        expect(new Set(r.ids).size).toBe(r.ids.length);
        for (const id of r.ids) expect(districts).toContain(byId.get(id)!.district);
        for (const d of districts) {
          const drawn = r.ids.map((id) => byId.get(id)!).filter((p) => p.district === d);
          const all = points.filter((p) => p.district === d && p.type === 'P03');
          expect(drawn.filter((p) => p.type === 'P03').map((p) => p.id)).toEqual(
            all.map((p) => p.id),
          );
          for (const rule of plan) {
            if (rule.mode !== 'random') continue;
            expect(drawn.filter((p) => p.type === rule.type)).toHaveLength(rule.count);
          }
          expect(drawn.some((p) => p.type === 'P11')).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same draw for the same seed, and a day’s draw owes nothing to other districts', async () => {
    await fc.assert(
      fc.asyncProperty(seedArb, pointsArb, districtsArb, async (seed, points, districts) => {
        const plan = feasiblePlan(points, districts);
        const day = { regionIds: districts };
        const once = await drawDay(seed, points, plan, day);
        expect(await drawDay(seed, points, plan, day)).toEqual(once);
        // The frozen list of a day holds its districts' points only; the other districts' points
        // (another day's) change nothing, whatever they are.
        const own = points.filter((p) => districts.includes(p.district));
        expect(await drawDay(seed, own, plan, day)).toEqual(once);
      }),
      { numRuns: 40 },
    );
  });

  it('draws two days independently: each day from its own seed and list', async () => {
    const day1 = { regionIds: [11] };
    const day2 = { regionIds: [12, 13] };
    const list1 = POINTS.filter((p) => p.district === 11);
    const list2 = POINTS.filter((p) => p.district !== 11);
    const a = await drawDay('seed-day-1', list1, PLAN, day1);
    // Drawing day 2 (before or after, any number of times) leaves day 1 as it was.
    const b = await drawDay('seed-day-2', list2, PLAN, day2);
    expect(await drawDay('seed-day-1', list1, PLAN, day1)).toEqual(a);
    expect(a.ids).toHaveLength(2 + 3 + 1);
    expect(b.ids).toHaveLength(2 * (2 + 3 + 1));
    expect(a.ids.filter((id) => b.ids.includes(id))).toEqual([]);
  });

  it('verifies a day like any draw, and sees a point moved to another district', async () => {
    const seed = 'day-2026-11-24';
    const list = stratify(POINTS.filter((p) => p.district !== 13));
    const plan = expandPlan(PLAN, [11, 12]);
    const { ids } = await drawDay(
      seed,
      POINTS.filter((p) => p.district !== 13),
      PLAN,
      { regionIds: [11, 12] },
    );
    const published = {
      seed,
      commitment: await commitmentOf(seed),
      fingerprint: await listFingerprint(list),
      points: list,
      plan,
    };
    expect(await verifyDraw(published, ids)).toMatchObject({ ok: true, ids });
    const moved = list.map((p, i) => (i === 0 ? { ...p, type: p.type.replace(/^\d+/, '13') } : p));
    const v = await verifyDraw({ ...published, points: moved }, ids);
    expect(v.ok).toBe(false);
    expect(v.reasons.join()).toContain('点位清单在承诺后被改动');
  });

  it('finds the districts that cannot meet the plan, naming district and type', () => {
    const points: StratumPoint[] = [
      { id: 1, type: 'P03', district: 11 },
      { id: 2, type: 'P03', district: 11 },
      { id: 3, type: 'P02', district: 11 },
      { id: 4, type: 'P02', district: 12 },
      { id: 5, type: 'P02', district: 12 },
      { id: 6, type: 'P02', district: 12 },
    ];
    const plan: DrawRule[] = [
      { type: 'P03', mode: 'all' },
      { type: 'P02', mode: 'random', count: 3 },
    ];
    expect(shortfalls(points, expandPlan(plan, [11, 12]))).toEqual([
      { district: 11, type: 'P02', asked: 3, eligible: 1 },
    ]);
    // An override asking less of 东湖区 meets it; a mandatory type with no point asks nothing.
    expect(
      shortfalls(points, expandPlan(plan, [11, 12], [{ regionId: 11, type: 'P02', count: 1 }])),
    ).toEqual([]);
    expect(shortfalls([], expandPlan([{ type: 'P03', mode: 'all' }], [13]))).toEqual([]);
    // …but a district with no point of any of the plan's types has nothing to inspect.
    expect(emptyDistricts(points, [11, 12, 13])).toEqual([13]);
  });

  it('names what is wrong with a schedule', () => {
    const problems = (days: Parameters<typeof scheduleProblems>[0]) =>
      scheduleProblems(days, PLAN, DISTRICTS).map((p) => p.zh);
    expect(
      problems([
        { date: '2026-11-24', regionIds: [11] },
        { date: '2026-11-25', regionIds: [12, 13] },
      ]),
    ).toEqual([]);
    expect(problems([])).toEqual(['测评日程至少需要一天']);
    expect(problems([{ date: '2026-11-24', regionIds: [] }])).toEqual(['2026-11-24 未安排城区']);
    expect(
      problems([
        { date: '2026-11-24', regionIds: [11] },
        { date: '2026-11-24', regionIds: [12] },
      ]),
    ).toEqual(['日期 2026-11-24 重复']);
    expect(
      problems([
        { date: '2026-11-24', regionIds: [11, 12] },
        { date: '2026-11-25', regionIds: [12, 99] },
      ]),
    ).toEqual([
      '西城区 同时安排在 2026-11-24 和 2026-11-25，每个城区只能安排一天',
      '2026-11-25 安排的区域 #99 不是城区（区县）',
    ]);
    expect(
      problems([
        {
          date: '2026-11-24',
          regionIds: [11],
          overrides: [
            { regionId: 12, type: 'P02', count: 1 },
            { regionId: 11, type: 'P03', count: 1 },
            { regionId: 11, type: 'P02', count: 1 },
            { regionId: 11, type: 'P02', count: 2 },
          ],
        },
      ]),
    ).toEqual([
      '2026-11-24 的数量调整针对 西城区，但该城区不在当天日程中',
      '东湖区 的数量调整针对 P03，但方案未随机抽取该类型',
      '东湖区 的 P02 数量调整重复',
    ]);
  });

  it('sums a round up from its days', () => {
    expect(roundStateOfDays(['planned', 'planned'])).toBe('planned');
    expect(roundStateOfDays(['committed', 'planned'])).toBe('committed');
    expect(roundStateOfDays(['drawn', 'planned'])).toBe('drawn');
    expect(roundStateOfDays(['revealed', 'committed'])).toBe('drawn');
    expect(roundStateOfDays(['revealed', 'revealed'])).toBe('revealed');
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('planned', 'committed', 'drawn', 'revealed' as const), {
          minLength: 1,
          maxLength: 6,
        }),
        (states) => {
          const s = roundStateOfDays(states);
          // Under way (visits allowed) exactly when some day has drawn points.
          expect(s === 'drawn' || s === 'revealed').toBe(
            states.some((x) => x === 'drawn' || x === 'revealed'),
          );
        },
      ),
    );
  });

  it('gives the mock evaluation a stratified plan as city-wide counts: each district’s, summed', () => {
    const plan: DrawRule[] = [
      { type: 'P03', mode: 'all' },
      { type: 'P02', mode: 'random', count: 3 },
    ];
    expect(
      cityWidePlan(plan, [
        { regionIds: [2, 5], overrides: [{ regionId: 5, type: 'P02', count: 1 }] },
        { regionIds: [9] },
      ]),
    ).toEqual([
      { type: 'P03', mode: 'all' },
      { type: 'P02', mode: 'random', count: 3 + 1 + 3 },
    ]);
    // Property: with no overrides, a random count is the plan's times the districts.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.array(fc.integer({ min: 1, max: 99 }), { maxLength: 4 }), { maxLength: 5 }),
        (count, days) => {
          const [r] = cityWidePlan(
            [{ type: 'T', mode: 'random', count }],
            days.map((regionIds) => ({ regionIds })),
          );
          const n = days.reduce((a, d) => a + d.length, 0);
          return r!.mode === 'random' && r!.count === count * n;
        },
      ),
    );
  });
});
