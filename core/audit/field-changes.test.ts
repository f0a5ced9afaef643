import { describe, expect, it } from 'vitest';
import { fieldChanges } from './field-changes.js';

describe('fieldChanges', () => {
  it('lists changed, added and removed fields, ignoring bookkeeping ones', () => {
    expect(
      fieldChanges(
        { name: '甲', unitId: 3, lat: 30.1, version: 1, tags: { a: 1, b: 2 } },
        { name: '乙', unitId: 3, version: 2, address: '湖滨路', tags: { b: 2, a: 1 } },
      ),
    ).toEqual([
      { field: 'address', before: null, after: '湖滨路' },
      { field: 'lat', before: 30.1, after: null },
      { field: 'name', before: '甲', after: '乙' },
    ]);
  });

  it('treats a creation (no before) as every field set', () => {
    expect(fieldChanges(null, { name: '甲', version: 1 })).toEqual([
      { field: 'name', before: null, after: '甲' },
    ]);
  });
});
