import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_DEPTH, normaliseInput, normaliseText } from './input-text.js';

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// Any UTF-16 code units, control characters and lone surrogates included.
const anyText = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
});

describe('normaliseText', () => {
  it('refuses NUL and names the field', () => {
    expect(() => normaliseText('a\u0000b', 'body.name')).toThrow(/body\.name/);
  });

  it('turns Word line breaks (VT, FF) into LF and keeps TAB, LF, CR', () => {
    expect(normaliseText('a\u000bb\u000cc\td\ne\rf')).toBe('a\nb\nc\td\ne\rf');
  });

  it('replaces lone surrogates but keeps real pairs (emoji)', () => {
    expect(normaliseText('x\ud800y')).toBe('x\ufffdy');
    expect(normaliseText('ok 👍 \udc00')).toBe('ok 👍 \ufffd');
  });

  it('for any text without NUL: no forbidden character or lone surrogate remains, and it is idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        fc.pre(!s.includes('\u0000'));
        const out = normaliseText(s);
        expect(FORBIDDEN.test(out)).toBe(false);
        expect(LONE.test(out)).toBe(false);
        expect(normaliseText(out)).toBe(out);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves ordinary text (Chinese, emoji, punctuation, TAB/LF/CR) exactly as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        fc.pre(!FORBIDDEN.test(s));
        expect(normaliseText(s)).toBe(s);
      }),
    );
  });
});

describe('normaliseInput', () => {
  it('cleans strings and keys at every depth and keeps other values', () => {
    const v = { a: ['x\u0001', 1, null, true], 'k\u0007': { b: 'y\u000bz' } };
    expect(normaliseInput(v, 'body')).toEqual({ a: ['x', 1, null, true], k: { b: 'y\nz' } });
  });

  it('names the path of a NUL inside arrays', () => {
    expect(() => normaliseInput({ items: [{ name: 'ok' }, { name: '\u0000' }] }, 'body')).toThrow(
      /body\.items\.1\.name/,
    );
  });

  it('refuses nesting deeper than the limit, accepts the limit', () => {
    const nest = (n: number) => {
      let v: unknown = 'x';
      for (let i = 0; i < n; i++) v = [v];
      return v;
    };
    expect(() => normaliseInput(nest(MAX_INPUT_DEPTH), 'body')).not.toThrow();
    expect(() => normaliseInput(nest(MAX_INPUT_DEPTH + 1), 'body')).toThrow(/nested/);
  });
});
