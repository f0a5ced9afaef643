import { createHash } from 'node:crypto';

/**
 * Hostile values for the generated fuzz (fuzz.int.test.ts). `always` is tried on every field;
 * `sometimes` is sampled per field with a seeded generator, so a run is repeatable.
 */

const nested = (depth: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

export const BAD_VALUES: { always: unknown[]; sometimes: unknown[] } = {
  always: [
    'a\u0000b', // NUL: PostgreSQL cannot store it in text
    '\u0001\u000b\u001f\ufffe', // control characters and a non-character
    'x'.repeat(1_000_000), // 1 MB string: under the 1 MiB body limit, so every field's own limit must refuse it
    'x'.repeat(20_000), // too long for a btree index entry, under the body limit
    { nested: nested(40) }, // deeper than any contract nests
    [],
    -1,
  ],
  sometimes: [
    '',
    ' ',
    '\ud800', // a lone surrogate half
    '%ZZ',
    '../../../../etc/passwd',
    "'; drop table users; --",
    '<script>alert(1)</script>',
    '<![CDATA[]]>&lt;',
    '𠮷'.repeat(3000),
    'NaN',
    'Infinity',
    '-0',
    '1e309',
    '9'.repeat(400),
    '2026-02-30',
    '0000-00-00',
    '9999-12-31T99:99:99Z',
    '2026-13-01',
    '275760-09-14T00:00:00Z',
    '1900-01-01',
    0,
    1.5,
    -2147483649,
    2147483648,
    Number.MAX_SAFE_INTEGER + 2, // beyond the integers a double holds exactly
    1e308,
    -1e308,
    null,
    true,
    {},
    [[[[]]]],
    { $gt: '' },
    { __proto__: { admin: true } },
    ['a\u0000'],
    nested(20),
  ],
};

/** Path segments, already as they appear in a URL. */
export const BAD_PATH_SEGMENTS = [
  '%ZZ',
  '%E4',
  '%',
  '%00',
  '%25ZZ',
  '..%2F..%2Fetc',
  '-1',
  '0',
  '1.5',
  'NaN',
];

/** Whole JSON bodies that are not what any route takes. */
export const BAD_JSON_BODIES = ['{', 'null', '[]', '"x"', '1e999', JSON.stringify(nested(200))];

/** A small deterministic generator (xorshift) seeded from text. */
export function seededRandom(seed: string): () => number {
  const h = createHash('sha256').update(seed).digest();
  let x = h.readUInt32LE(0) || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** `n` distinct items of `list`, drawn with `rnd`. */
export function pick<T>(rnd: () => number, list: readonly T[], n: number): T[] {
  const copy = [...list];
  const out: T[] = [];
  while (out.length < n && copy.length > 0) {
    out.push(copy.splice(Math.floor(rnd() * copy.length), 1)[0]!);
  }
  return out;
}
