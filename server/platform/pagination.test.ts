import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { decodeCursor, encodeCursor, likePattern, pageOf } from './pagination.js';

describe('keyset cursors', () => {
  it('round-trip the sort value and id', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), fc.nat(), (v, id) => {
        expect(decodeCursor(encodeCursor(v, id))).toEqual([v, id]);
      }),
    );
    const d = new Date('2026-11-23T08:00:00.123Z');
    expect(decodeCursor(encodeCursor(d, 5))).toEqual([d.toISOString(), 5]);
  });

  it('reject garbage with a 400, never a crash', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          decodeCursor(s);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).status).toBe(400);
        }
      }),
    );
  });

  it('pageOf returns a cursor only when there is another page', () => {
    const rows = [1, 2, 3].map((id) => ({ id, name: `n${id}` }));
    expect(pageOf(rows, 3, (r) => r.name).nextCursor).toBeNull();
    const p = pageOf(rows, 2, (r) => r.name);
    expect(p.items.map((r) => r.id)).toEqual([1, 2]);
    expect(decodeCursor(p.nextCursor!)).toEqual(['n2', 2]);
  });

  it('escapes LIKE wildcards', () => {
    expect(likePattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
