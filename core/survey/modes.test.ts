import { describe, expect, it } from 'vitest';
import { placeProblems } from './modes.js';

// 入户 and 随机街访 (BRIEF §3; Jinan 2016: 80 street interviews + 220 households).
describe('where a response was taken, per collection mode', () => {
  it('a household interview needs its household code', () => {
    expect(placeProblems('household', { householdCode: '3幢-101' })).toEqual([]);
    expect(placeProblems('household', { householdCode: '  ' }).map((p) => p.path)).toEqual([
      'householdCode',
    ]);
    expect(placeProblems('household', {})[0]!.message.zh).toBe('入户调查须填写户码');
  });

  it('a street interview has no household code and gives its spot or a position', () => {
    expect(placeProblems('street', { spot: '人民广场东门' })).toEqual([]);
    expect(placeProblems('street', { lat: 30.26, lng: 120.15 })).toEqual([]);
    expect(placeProblems('street', { lat: 30.26, lng: null }).map((p) => p.path)).toEqual(['spot']);
    expect(
      placeProblems('street', { householdCode: '3幢-101', spot: '广场' }).map((p) => p.path),
    ).toEqual(['householdCode']);
    const none = placeProblems('street', { spot: '' });
    expect(none[0]!.message).toEqual({
      zh: '街访须填写访问地点或提供定位',
      en: 'a street interview needs its spot or a GPS position',
    });
  });
});
