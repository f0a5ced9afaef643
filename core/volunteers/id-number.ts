/**
 * 公民身份号码 (resident ID number) under GB 11643-1999: 6 digits of the registering region, 8 of
 * the birth date (YYYYMMDD), 3 of a sequence (odd for men, even for women) and one check character
 * from ISO 7064 MOD 11-2 over the first 17 (0–9 or X). Pure: the server, the import and the form
 * check alike.
 *
 * The region code is not checked against a list: codes change with boundary reforms and the demo
 * city uses invented ones. Only the 18-character second generation is accepted (the 15-digit first
 * generation has been out of use since 2013).
 */

type Message = { zh: string; en: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** The text of an ID number as typed or pasted: full-width folded, spaces dropped, x upper-cased. */
export function normalizeIdNumber(text: string): string {
  return text.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

/** The check character (0–9 or X) of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export type TIdNumberCheck =
  | { ok: true; value: string; birthDate: string; gender: 'male' | 'female' }
  | { ok: false; code: 'format' | 'date' | 'checksum'; message: Message };

/** The messages of a bad ID number (the form and the import word them alike). */
export const ID_NUMBER_MESSAGES = {
  format: {
    zh: '身份证号应为 18 位：17 位数字加 1 位校验码（数字或 X）',
    en: 'an ID number has 18 characters: 17 digits and a check digit (a digit or X)',
  },
  date: (d: string): Message => ({
    zh: `身份证号中的出生日期 ${d} 不是有效日期`,
    en: `the birth date in the ID number (${d}) is not a real date`,
  }),
  checksum: {
    zh: '身份证号校验码不符，请核对是否输错',
    en: "the ID number's check digit does not match; check it for a typo",
  },
} as const;

/**
 * Checks an ID number (after `normalizeIdNumber`): the format, a birth date that exists, lies
 * after 1900-01-01 and is not after `today`, and the check character.
 */
export function checkIdNumber(text: string, today: Date = new Date()): TIdNumberCheck {
  const value = normalizeIdNumber(text);
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) {
    return { ok: false, code: 'format', message: ID_NUMBER_MESSAGES.format };
  }
  const [y, m, d] = [value.slice(6, 10), value.slice(10, 12), value.slice(12, 14)];
  const shown = `${y}-${m}-${d}`;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const real =
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d);
  // A birth date of tomorrow (Beijing time may be a day ahead of UTC) is still refused below.
  const latest = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1);
  if (!real || Number(y) < 1900 || date.getTime() > latest) {
    return { ok: false, code: 'date', message: ID_NUMBER_MESSAGES.date(shown) };
  }
  if (idCheckChar(value) !== value[17]) {
    return { ok: false, code: 'checksum', message: ID_NUMBER_MESSAGES.checksum };
  }
  return {
    ok: true,
    value,
    birthDate: shown,
    gender: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** True when the text is a valid ID number. */
export function isIdNumber(text: string): boolean {
  return checkIdNumber(text).ok;
}

/** 330102199001011234 → 330102********1234: what everyone but the national export sees. */
export function maskIdNumber(value: string): string {
  return `${value.slice(0, 6)}********${value.slice(-4)}`;
}

/**
 * True for a masked ID number (110105********002X, or any with a `*`): what exports write, so a
 * re-imported export leaves the ID alone and an import row with one is matched another way.
 */
export function isMaskedIdNumber(text: string): boolean {
  return text.includes('*') || text.includes('＊');
}

/** A valid ID number for tests and the demo: the first 17 digits completed with their check. */
export function withCheckChar(first17: string): string {
  return first17 + idCheckChar(first17);
}
