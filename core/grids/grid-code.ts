/**
 * Grid codes (网格编码). The default scheme is the 15-digit one many cities use: the 12-digit
 * statistical code of the community (6 county + 3 street + 3 community) followed by a 3-digit
 * sequence within the community (001–999). `free` accepts any 1–40 letters, digits or dashes for
 * cities with their own scheme.
 */
export const GRID_CODE_SCHEMES = ['15-digit', 'free'] as const;
export type TGridCodeScheme = (typeof GRID_CODE_SCHEMES)[number];

/** Why a grid code is not acceptable under the scheme, in zh and en; null when it is. */
export function gridCodeProblem(
  code: string,
  regionCode: string | null,
  scheme: TGridCodeScheme = '15-digit',
): { zh: string; en: string } | null {
  if (scheme === 'free') {
    return /^[0-9A-Za-z-]{1,40}$/.test(code)
      ? null
      : {
          zh: '网格编码只能包含字母、数字和短横线',
          en: 'a grid code is letters, digits and dashes',
        };
  }
  if (!/^\d{15}$/.test(code)) {
    return { zh: '网格编码应为 15 位数字', en: 'a grid code is 15 digits' };
  }
  if (code.endsWith('000')) {
    return { zh: '网格序号应为 001–999', en: 'the grid sequence is 001–999' };
  }
  // The first 12 digits name the community; they must be the code of the grid's region when that
  // region carries a 12-digit statistical code (a street's code ends in 000, so it is a prefix too).
  if (regionCode && /^\d{12}$/.test(regionCode)) {
    const prefix = regionCode.replace(/(000)+$/, '');
    if (!code.startsWith(prefix)) {
      return {
        zh: `网格编码应以所属区划代码 ${prefix} 开头`,
        en: `a grid code starts with its region's code ${prefix}`,
      };
    }
  }
  return null;
}

/** The next free code in a community: its 12-digit code and the lowest unused sequence. */
export function nextGridCode(regionCode: string, used: readonly string[]): string | null {
  if (!/^\d{12}$/.test(regionCode)) return null;
  const taken = new Set(used.filter((c) => c.startsWith(regionCode)).map((c) => c.slice(12)));
  for (let n = 1; n <= 999; n++) {
    const seq = String(n).padStart(3, '0');
    if (!taken.has(seq)) return regionCode + seq;
  }
  return null;
}
