import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('ignores key order and survives a JSON round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const roundTripped: unknown = JSON.parse(JSON.stringify(v));
        expect(canonicalJson(roundTripped)).toBe(canonicalJson(v));
      }),
    );
  });

  it('sorts keys and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [1, 'x', null], c: undefined })).toBe(
      '{"a":[1,"x",null],"b":1}',
    );
    expect(canonicalJson({ z: { y: true, x: false } })).toBe('{"z":{"x":false,"y":true}}');
  });

  it('distinguishes different values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const same = canonicalJson(a) === canonicalJson(b);
        // equal canonical forms imply deep equality after normalisation
        if (same) expect(JSON.parse(canonicalJson(a))).toEqual(JSON.parse(canonicalJson(b)));
      }),
    );
  });
});
