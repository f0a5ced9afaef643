import { describe, expect, it } from 'vitest';
import { answersKey, detectSuspicious, type ResponseTrace } from './suspicious.js';

const MIN = 60_000;
const base = Date.UTC(2026, 10, 23, 2);
const row = (id: number, o: Partial<ResponseTrace> = {}): ResponseTrace => ({
  id,
  guideId: 1,
  submittedAt: base + id * MIN,
  answersKey: answersKey({ Q1: '知道', Q5: ['b', 'a'] }),
  lat: null,
  lng: null,
  area: null,
  ...o,
});

describe('suspicious patterns', () => {
  it('answer keys ignore key and multiple-choice order', () => {
    expect(answersKey({ Q5: ['a', 'b'], Q1: '知道' })).toBe(
      answersKey({ Q1: '知道', Q5: ['b', 'a'] }),
    );
    expect(answersKey({ Q1: '知道' })).not.toBe(answersKey({ Q1: '不知道' }));
  });

  it('flags three identical sheets from one guide within 30 minutes, not spread-out ones', () => {
    const burst = [row(1), row(2), row(3)];
    const spread = [10, 50, 90].map((m, i) =>
      row(100 + i, { submittedAt: base + m * MIN, guideId: 2 }),
    );
    const otherGuides = [
      row(200, { guideId: 3 }),
      row(201, { guideId: 4 }),
      row(202, { guideId: 5 }),
    ];
    const self = [1, 2, 3].map((i) => row(300 + i, { guideId: null }));
    const flags = detectSuspicious([...burst, ...spread, ...otherGuides, ...self]);
    expect([...flags.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3]);
    expect(flags.get(1)).toEqual(['identical']);
  });

  it('different answers in a burst are fine', () => {
    const rows = [1, 2, 3].map((i) => row(i, { answersKey: answersKey({ Q1: String(i) }) }));
    expect(detectSuspicious(rows).size).toBe(0);
  });

  it('flags a response far from its community', () => {
    const area = { lat: 30.27, lng: 120.16, radiusM: 1500 };
    const flags = detectSuspicious([
      row(1, { lat: 30.271, lng: 120.161, area, guideId: 7 }),
      row(2, { lat: 30.4, lng: 120.16, area, guideId: 8 }),
      row(3, { lat: null, lng: null, area, guideId: 9 }),
    ]);
    expect(flags.get(1)).toBeUndefined();
    expect(flags.get(2)).toEqual(['far']);
    expect(flags.get(3)).toBeUndefined();
  });
});
