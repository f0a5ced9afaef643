import { describe, expect, it } from 'vitest';
import { DEFAULT_RANKING_CONFIG } from '../contracts/rankings.js';
import { rulesAtLevel } from './level-labels.js';

const labels = (level: Parameters<typeof rulesAtLevel>[1]) =>
  rulesAtLevel(DEFAULT_RANKING_CONFIG, level).classes.map((c) => c.label);

describe('ranking classes as a level reads them', () => {
  it('the city keeps its labels', () => {
    expect(rulesAtLevel(DEFAULT_RANKING_CONFIG, 'city')).toBe(DEFAULT_RANKING_CONFIG);
    expect(rulesAtLevel(DEFAULT_RANKING_CONFIG, null)).toBe(DEFAULT_RANKING_CONFIG);
  });

  it('a district’s departments are 区直, a street’s 街道; other labels and the keys stay', () => {
    expect(labels('district')).toEqual([
      { zh: '区县', en: 'Districts' },
      { zh: '区直部门', en: 'District departments' },
      { zh: '街道/乡镇', en: 'Streets / townships' },
    ]);
    expect(labels('street')[1]).toEqual({ zh: '街道部门', en: 'Street departments' });
    const district = rulesAtLevel(DEFAULT_RANKING_CONFIG, 'district');
    expect(district.classes.map((c) => [c.key, c.unitTypes])).toEqual(
      DEFAULT_RANKING_CONFIG.classes.map((c) => [c.key, c.unitTypes]),
    );
    expect(district.metrics).toBe(DEFAULT_RANKING_CONFIG.metrics);
  });
});
