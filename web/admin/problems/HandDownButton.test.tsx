import { describe, expect, it } from 'vitest';
import { handDownTargets } from './HandDownButton.js';

// 交办下级: which offices a registered problem may be handed to, by the user's level.

const REGIONS = [
  { id: 1, name: '示范市', level: 'city', parentId: null },
  { id: 2, name: '东湖区', level: 'district', parentId: 1 },
  { id: 3, name: '湖滨街道', level: 'street', parentId: 2 },
  { id: 4, name: '湖滨社区', level: 'community', parentId: 3 },
  { id: 5, name: '西城区', level: 'district', parentId: 1 },
];

describe('handDownTargets', () => {
  it('offers the city office the district and the street holding the problem', () => {
    expect(handDownTargets(REGIONS, 4, null).map((r) => r.name)).toEqual(['东湖区', '湖滨街道']);
  });

  it('offers a district office only the levels under it', () => {
    expect(handDownTargets(REGIONS, 4, 2).map((r) => r.name)).toEqual(['湖滨街道']);
    expect(handDownTargets(REGIONS, 3, 3)).toEqual([]);
  });

  it("offers nothing for a problem outside the user's level or without a place", () => {
    expect(handDownTargets(REGIONS, 4, 5)).toEqual([]);
    expect(handDownTargets(REGIONS, null, null)).toEqual([]);
  });
});
