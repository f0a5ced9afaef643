import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeXmlAttr, escapeXmlText, toXml } from './open311-xml.js';
import { elementsNamed, parseXml, textOf } from './open311-xml.test-kit.js';

/**
 * The oracle, written apart from the implementation: XML 1.0's `Char` production, code point by
 * code point (`for…of` yields a lone surrogate on its own and a proper pair as one code point).
 */
function representable(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const ok =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      (c >= 0x10000 && c <= 0x10ffff);
    if (ok) out += ch;
  }
  return out;
}

/** Strings mixing every kind of trouble: C0 controls, lone surrogates, U+FFFE/FFFF, markup, CR. */
const hostileUnit = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 3 }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), weight: 3 },
  {
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom('\uFFFE', '\uFFFF', '\r\n', '\r', ']]>', '<', '&', '"', "'", '>'),
    weight: 3,
  },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }), weight: 2 },
);
const hostile = fc.string({ unit: hostileUnit, maxLength: 40 });

describe('Open311 XML', () => {
  it('any text, as element text and as an attribute, parses back as its representable part', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const doc = `<?xml version="1.0"?>\n<a v="${escapeXmlAttr(s)}" w='${escapeXmlAttr(s)}'>${escapeXmlText(s)}</a>`;
        const root = parseXml(doc);
        const want = representable(s);
        expect(textOf(root)).toBe(want);
        expect(root.attributes.v).toBe(want);
        expect(root.attributes.w).toBe(want);
      }),
      { numRuns: 2000, seed: 16 },
    );
  });

  it('any stored text in a request list gives a document a strict parser reads back', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 4 }), (texts) => {
        const list = texts.map((t, i) => ({ service_request_id: String(i), description: t }));
        const root = parseXml(toXml('service_requests', list));
        expect(elementsNamed(root, 'request')).toHaveLength(texts.length);
        expect(elementsNamed(root, 'description').map(textOf)).toEqual(texts.map(representable));
      }),
      { numRuns: 500, seed: 16 },
    );
  });

  it('the cases from the issue', () => {
    const s = 'a\u000Bb\u0001c\r\nd]]>e<&\'"f\u0000g\uD800h\uFFFEi\uDBFF\uDC00j';
    const root = parseXml(toXml('service_requests', [{ description: s }]));
    expect(textOf(root)).toBe('abc\r\nd]]>e<&\'"fgh' + 'i\uDBFF\uDC00j');
    expect(escapeXmlText('x\ry')).toBe('x&#13;y');
    expect(escapeXmlAttr('\t\n\r')).toBe('&#9;&#10;&#13;');
  });
});
