import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CARRIER_STATES,
  CARRIER_THEMES,
  type TCarrierState,
  type TCarrierTheme,
} from '../contracts/ad-carriers.js';
import {
  bigEnough,
  evaluateCoverage,
  type CoverageCarrier,
  type CoverageRule,
} from './coverage.js';

const RULE: CoverageRule = {
  minCount: 5,
  themeMins: [{ theme: 'core_values', min: 2 }],
  minWidthCm: 70,
  minHeightCm: 40,
  fixedOnly: false,
  perLengthCount: null,
  perLengthM: null,
  minHoardingPct: null,
};
const board = (over: Partial<CoverageCarrier> = {}): CoverageCarrier => ({
  widthCm: 120,
  heightCm: 80,
  state: 'intact',
  fixed: true,
  theme: 'core_values',
  cluster: null,
  ...over,
});

const carrierArb = fc.record({
  widthCm: fc.integer({ min: 1, max: 400 }),
  heightCm: fc.integer({ min: 1, max: 400 }),
  state: fc.constantFrom<TCarrierState>(...CARRIER_STATES),
  fixed: fc.boolean(),
  theme: fc.constantFrom<TCarrierTheme>(...CARRIER_THEMES),
  cluster: fc.option(fc.constantFrom('东门', '西门'), { nil: null }),
});

describe('公益广告 coverage', () => {
  it('counts a cluster once, however many carriers share it, with every theme they show', () => {
    const r = evaluateCoverage(
      [board({ cluster: '东门' }), board({ cluster: '东门', theme: 'minors' }), board()],
      RULE,
      { lengthM: null, hoardingPct: null },
    );
    expect(r).toMatchObject({ counted: 3, countedUnits: 2 });
    expect(r.checks[0]).toMatchObject({ kind: 'count', actual: 2, result: 'unmet' });
    expect(r.checks[1]).toMatchObject({ kind: 'theme', actual: 2, result: 'met' });
  });

  it('reads the size either way up: 40×70 counts like 70×40; 69×40 does not', () => {
    expect(bigEnough({ widthCm: 40, heightCm: 70 }, RULE)).toBe(true);
    expect(bigEnough({ widthCm: 69, heightCm: 40 }, RULE)).toBe(false);
  });

  it('per length: the required count grows with the road; no length skips, never fails', () => {
    const road = { ...RULE, minCount: null, themeMins: [], perLengthCount: 5, perLengthM: 300 };
    const five = Array.from({ length: 5 }, () => board());
    expect(
      evaluateCoverage(five, road, { lengthM: 300, hoardingPct: null }).checks[0],
    ).toMatchObject({ required: 5, result: 'met' });
    expect(
      evaluateCoverage(five, road, { lengthM: 301, hoardingPct: null }).checks[0],
    ).toMatchObject({ required: 6, result: 'unmet' });
    expect(
      evaluateCoverage([], road, { lengthM: null, hoardingPct: null }).checks[0],
    ).toMatchObject({ result: 'skipped', actual: null });
  });

  it('property: units never exceed counted carriers; only intact, big enough (and fixed) ones count', () => {
    fc.assert(
      fc.property(fc.array(carrierArb, { maxLength: 30 }), fc.boolean(), (cs, fixedOnly) => {
        const rule = { ...RULE, fixedOnly };
        const r = evaluateCoverage(cs, rule, { lengthM: null, hoardingPct: null });
        const eligible = cs.filter(
          (c) => c.state === 'intact' && bigEnough(c, rule) && (!fixedOnly || c.fixed),
        );
        expect(r.counted).toBe(eligible.length);
        const clusters = new Set(eligible.flatMap((c) => (c.cluster ? [c.cluster] : [])));
        expect(r.countedUnits).toBe(eligible.filter((c) => !c.cluster).length + clusters.size);
        expect(r.countedUnits).toBeLessThanOrEqual(r.counted);
      }),
    );
  });
});
