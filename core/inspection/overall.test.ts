import { describe, expect, it } from 'vitest';
import { overallShare } from './overall.js';

// BRIEF §2.4: 整体观察 is one of the six official methods; no source gives its formula
// [unverified], so the share is our documented (r̄ − 1) ÷ 4 over the round's 1–5 ratings.
describe('overallShare', () => {
  it('the mean of every rating, 1 → 0, 3 → ½, 5 → 1 (docs/scoring.md §2)', () => {
    const r = overallShare([
      { environment: 4, civility: 3, facilities: 5, atmosphere: 4 },
      { environment: 2, civility: 3, facilities: 3, atmosphere: 4 },
    ]);
    // (4 + 3 + 5 + 4 + 2 + 3 + 3 + 4) ÷ 8 = 3.5 → (3.5 − 1) ÷ 4 = 0.625
    expect(r).toMatchObject({ share: 0.625, visits: 2, mean: 3.5 });
    expect(r.byDimension).toEqual({ environment: 3, civility: 3, facilities: 4, atmosphere: 4 });
    expect(
      overallShare([{ environment: 1, civility: 1, facilities: 1, atmosphere: 1 }]).share,
    ).toBe(0);
    expect(
      overallShare([{ environment: 5, civility: 5, facilities: 5, atmosphere: 5 }]).share,
    ).toBe(1);
  });

  it('visits without ratings, and values off the scale, are left out', () => {
    expect(overallShare([null, {}, { environment: 9 }])).toMatchObject({ share: null, visits: 0 });
    expect(overallShare([null, { environment: 3, civility: 0 }])).toMatchObject({
      share: 0.5,
      visits: 1,
    });
  });
});
