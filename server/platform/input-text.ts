import { AppError } from './errors.js';

/**
 * The one rule for text that comes in (docs/decisions.md, "Text input hygiene"), applied to every
 * request's params, query and JSON body by a global hook before the zod schemas see them, and to the
 * fields of multipart forms:
 * - U+0000 (NUL) is refused with 400 naming the field: no person types it, PostgreSQL cannot store it
 *   in text, and a NUL that got through would break every later reader of the value.
 * - Other C0 control characters are normalised away: vertical tab and form feed (Word's manual line
 *   and page breaks, pasted into descriptions) become a line break; the rest are removed. TAB, LF
 *   and CR stay.
 * - U+FFFE and U+FFFF (non-characters) are removed, a lone surrogate half becomes U+FFFD, so every
 *   stored string is valid Unicode and can be written into UTF-8, XML and XLSX.
 */

// Everything this rule may change; a string without any of it is returned as is (the common case).
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /[\u000b\u000c]/g;
// eslint-disable-next-line no-control-regex
const DROP = /[\u0001-\u0008\u000e-\u001f\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Nesting deeper than this is refused: no contract here nests more than a few levels. */
export const MAX_INPUT_DEPTH = 32;

export class InputTextError extends AppError {}

function nulError(path: string): InputTextError {
  return new InputTextError(
    'invalid_text',
    400,
    {
      zh: `请求参数有误：${path} 含有不允许的空字符（U+0000）`,
      en: `invalid request: ${path} contains a NUL character (U+0000), which is not allowed`,
    },
    {
      fields: [
        { path, message: '不允许 NUL 字符（U+0000） / NUL character (U+0000) is not allowed' },
      ],
    },
  );
}

/** One string under the rule; throws for NUL. */
export function normaliseText(s: string, path = 'value'): string {
  if (!SUSPECT.test(s)) return s;
  if (s.includes('\u0000')) throw nulError(path);
  return s.replace(LINE_BREAKS, '\n').replace(DROP, '').replace(LONE_SURROGATE, '\ufffd');
}

/**
 * Applies the rule to every string (and every key) inside a parsed value, in place where it can,
 * and returns the value. Throws 400 for NUL or for nesting deeper than MAX_INPUT_DEPTH.
 */
export function normaliseInput(value: unknown, path: string, depth = 0): unknown {
  if (typeof value === 'string') return normaliseText(value, path);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_INPUT_DEPTH) {
    throw new InputTextError(
      'too_deep',
      400,
      {
        zh: `请求参数有误：${path} 嵌套层级过深`,
        en: `invalid request: ${path} is nested too deeply`,
      },
      {
        fields: [
          {
            path,
            message: `嵌套超过 ${MAX_INPUT_DEPTH} 层 / nested deeper than ${MAX_INPUT_DEPTH} levels`,
          },
        ],
      },
    );
  }
  if (Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      value[i] = normaliseInput(value[i], `${path}.${i}`, depth + 1);
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const clean = normaliseText(key, `${path}.${key}`);
    const v = normaliseInput(obj[key], `${path}.${clean}`, depth + 1);
    if (clean !== key) {
      delete obj[key];
      obj[clean] = v;
    } else if (v !== obj[key]) {
      obj[key] = v;
    }
  }
  return obj;
}
