import { describe, expect, it } from 'vitest';
import { DEFAULT_RANKING_CONFIG } from '../contracts/rankings.js';
import { classOfType, toRankingRules, unitFigures, unitMeasures } from './measures.js';
import { rankUnits } from './unit-ranking.js';

const counts = (due: number, onTime: number, reworked: number) => ({
  due,
  deferred: 0,
  closed: onTime,
  closedOnTime: onTime,
  reworked,
  extended: 0,
  handlingHoursSum: 0,
});

describe('ranking measures', () => {
  it('turns counts into rates and a sample', () => {
    const m = unitMeasures({
      problems: { ...counts(10, 8, 1), deferred: 2 },
      evidence: { standards: 4, submitted: 3, due: 2, onTime: 1 },
      visits: { visits: 5, passed: 4 },
    });
    expect(m.values).toEqual({
      onTimeCloseRate: 1,
      closeRate: 1,
      reworkRate: 0.125,
      evidenceCompleteness: 0.75,
      evidenceTimeliness: 0.5,
      pointPassRate: 0.8,
    });
    expect(m.sample).toBe(13);
    expect(unitMeasures({}).values.onTimeCloseRate).toBeNull();
    expect(
      unitMeasures({ evidence: { standards: 2, submitted: 0, due: 0, onTime: 0 } }).values,
    ).toMatchObject({ evidenceCompleteness: 0, evidenceTimeliness: null });
  });

  it('classes units by type and ranks them with the office rules', () => {
    expect(classOfType(DEFAULT_RANKING_CONFIG, 'street_office')).toBe('street');
    expect(classOfType(DEFAULT_RANKING_CONFIG, 'school')).toBeNull();
    const units = [
      { id: 1, type: 'street_office' },
      { id: 2, type: 'street_office' },
      { id: 3, type: 'school' },
    ];
    const c = new Map([
      [1, { problems: counts(10, 9, 0) }],
      [2, { problems: counts(10, 5, 5) }],
    ]);
    const figures = unitFigures(DEFAULT_RANKING_CONFIG, units, (id) => c.get(id) ?? {});
    expect(figures.map((f) => f.unitId)).toEqual([1, 2]);
    const ranked = rankUnits(toRankingRules(DEFAULT_RANKING_CONFIG), figures);
    // Unit 1: (40·0.9 + 20·1) / 60 = 93.33; unit 2: (40·0.5 + 20·0.5) / 60 = 50.
    expect(ranked.map((r) => [r.unitId, r.score, r.flag])).toEqual([
      [1, 93.33, 'red'],
      [2, 50, 'black'],
    ]);
  });
});
