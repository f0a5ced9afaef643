import { describe, expect, it } from 'vitest';
import { copyOrder } from './migrate-to-postgres.js';

describe('copyOrder', () => {
  const fk = (table: string, column: string, refTable: string, nullable = true) => ({
    table,
    column,
    refTable,
    nullable,
  });

  it('puts referenced tables first and notes self-references', () => {
    const { order, deferred, selfRefs } = copyOrder(
      ['problems', 'units', 'regions', 'users'],
      [
        fk('problems', 'unit_id', 'units'),
        fk('problems', 'merged_into_id', 'problems'),
        fk('units', 'region_id', 'regions'),
        fk('users', 'unit_id', 'units'),
        fk('regions', 'parent_id', 'regions'),
      ],
    );
    expect(order.indexOf('regions')).toBeLessThan(order.indexOf('units'));
    expect(order.indexOf('units')).toBeLessThan(order.indexOf('problems'));
    expect(order.indexOf('units')).toBeLessThan(order.indexOf('users'));
    expect(selfRefs.get('problems')).toEqual(['merged_into_id']);
    expect(selfRefs.get('regions')).toEqual(['parent_id']);
    expect(deferred.size).toBe(0);
  });

  it('breaks a cycle at a nullable column, and refuses a cycle of NOT NULL columns', () => {
    const { order, deferred } = copyOrder(
      ['a', 'b'],
      [fk('a', 'b_id', 'b', false), fk('b', 'a_id', 'a')],
    );
    // a needs b (NOT NULL), so b goes first with its reference to a copied afterwards
    expect(order).toEqual(['b', 'a']);
    expect(deferred.get('b')).toEqual(['a_id']);
    expect(() =>
      copyOrder(['a', 'b'], [fk('a', 'b_id', 'b', false), fk('b', 'a_id', 'a', false)]),
    ).toThrow(/cycle/);
  });
});
