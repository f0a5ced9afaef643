import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  basePoints,
  competitionRanks,
  DEFAULT_CREDIT_RULES,
  evaluateGrant,
  maskMobile,
  normaliseMobile,
  publicName,
  type TCreditRule,
} from './rules.js';

const rule = (over: Partial<TCreditRule> = {}): TCreditRule => ({
  enabled: true,
  points: 5,
  dayCap: null,
  monthCap: null,
  ...over,
});

describe('文明积分 rules', () => {
  it('gives points per report, per star, and per hour rounded down', () => {
    expect(basePoints('report', rule(), 1)).toBe(5);
    expect(basePoints('star_rating', rule({ points: 10 }), 8)).toBe(80);
    // 50 minutes at 10 points an hour: 8 (not 8.33, never rounded up).
    expect(basePoints('volunteer_hours', rule({ points: 10 }), 50)).toBe(8);
    expect(basePoints('volunteer_hours', rule({ points: 10 }), 150)).toBe(25);
    expect(basePoints('volunteer_hours', rule({ points: 10 }), 5)).toBe(0);
  });

  it('gives nothing when the rule is off or there is nothing to count', () => {
    expect(basePoints('report', rule({ enabled: false }), 1)).toBe(0);
    expect(basePoints('star_rating', rule(), 0)).toBe(0);
  });

  it('grants in full under the caps', () => {
    expect(evaluateGrant('report', rule({ dayCap: 15 }), 1, { day: 10, month: 10 })).toEqual({
      points: 5,
      asked: 5,
      reason: 'granted',
    });
  });

  it('cuts a grant to what is left of the day, then gives 0 with the reason', () => {
    const r = rule({ dayCap: 12, monthCap: 100 });
    expect(evaluateGrant('report', r, 1, { day: 10, month: 10 })).toEqual({
      points: 2,
      asked: 5,
      reason: 'capped_day',
    });
    expect(evaluateGrant('report', r, 1, { day: 12, month: 12 })).toEqual({
      points: 0,
      asked: 5,
      reason: 'capped_day',
    });
    // Earned beyond the cap (a cap lowered since): still 0, never negative.
    expect(evaluateGrant('report', r, 1, { day: 30, month: 30 }).points).toBe(0);
  });

  it('names the month when the month is what stops it', () => {
    const r = rule({ dayCap: 15, monthCap: 100 });
    expect(evaluateGrant('report', r, 1, { day: 0, month: 98 })).toEqual({
      points: 2,
      asked: 5,
      reason: 'capped_month',
    });
  });

  it('never gives more than asked, than the day leaves or than the month leaves', () => {
    const cap = fc.option(fc.integer({ min: 0, max: 200 }), { nil: null });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        cap,
        cap,
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 600 }),
        (points, dayCap, monthCap, day, extra, minutes) => {
          const r = rule({ points, dayCap, monthCap });
          const earned = { day, month: day + extra };
          const out = evaluateGrant('volunteer_hours', r, minutes, earned);
          expect(out.points).toBeGreaterThanOrEqual(0);
          expect(out.points).toBeLessThanOrEqual(out.asked);
          if (dayCap !== null) expect(out.points).toBeLessThanOrEqual(Math.max(0, dayCap - day));
          if (monthCap !== null)
            expect(out.points).toBeLessThanOrEqual(Math.max(0, monthCap - earned.month));
          expect(out.reason === 'granted').toBe(out.points === out.asked);
        },
      ),
    );
  });

  it('has defaults for every source', () => {
    for (const r of Object.values(DEFAULT_CREDIT_RULES)) expect(r.enabled).toBe(true);
  });

  it('keys accounts by mobile numbers only, masks them, names the public board', () => {
    expect(normaliseMobile('138 1234-5678')).toBe('13812345678');
    expect(normaliseMobile('0571-88886666')).toBeNull();
    expect(normaliseMobile('')).toBeNull();
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(publicName('张建国', true)).toBe('张建国');
    expect(publicName('张建国', false)).toBe('张**');
    expect(publicName(null, true)).toBeNull();
  });

  it('ranks ties alike and skips the places they take', () => {
    expect(competitionRanks([30, 20, 20, 10])).toEqual([1, 2, 2, 4]);
    expect(competitionRanks([5, 5])).toEqual([1, 1]);
    expect(competitionRanks([])).toEqual([]);
  });
});
