import type { TUnitType } from '../contracts/org.js';
import { splitNames } from '../frameworks/cells.js';
import { normKey } from '../frameworks/methods.js';

/**
 * 集体责任方: the names a 任务分解表 writes for several units at once (各区县, 各街道（乡镇）, 市直各部门,
 * 各级党委（党组）, 社区居委会) or for parties outside government (各物业公司, 各银行网点, 驻市单位).
 * A group resolves to its member units (each sees the task); an outside party to the unit that
 * answers for it. Defined once by the office; an import proposes a definition for a name it does
 * not know.
 */

export const PARTY_KINDS = ['group', 'outside'] as const;
export type TPartyKind = (typeof PARTY_KINDS)[number];
export const PARTY_KIND_LABELS: Record<TPartyKind, { zh: string; en: string }> = {
  group: { zh: '单位集合', en: 'Group of units' },
  outside: { zh: '外部责任方', en: 'Outside party' },
};

export interface PartyRef {
  id: number;
  name: string;
  aliases: readonly string[];
  kind: TPartyKind;
  /** Group: the member units (listed and by type, active only). Outside: none. */
  memberIds: readonly number[];
  /** Outside: the unit that answers for the party. */
  contactUnitId: number | null;
}

/** The comparison key of a party name: NFKC, no spaces, brackets alike (各县(市、区) = 各县（市、区）). */
export const partyKey = (name: string) => normKey(name);

/** Finds a party by its name or one of its aliases. */
export function partyMatcher(parties: readonly PartyRef[]): (name: string) => PartyRef | null {
  const by = new Map<string, PartyRef>();
  for (const p of parties) {
    for (const n of [p.name, ...p.aliases]) {
      const k = partyKey(n);
      if (k && !by.has(k)) by.set(k, p);
    }
  }
  return (name) => by.get(partyKey(name)) ?? null;
}

/**
 * The names in a 牵头单位/责任单位 cell, split at 、，,；;/ line breaks and spaces — but not inside
 * brackets, so "各县（市、区）" stays one name (the sheet parser's `splitNames`).
 */
export const splitPartyCell = splitNames;

export interface PartyProposal {
  kind: TPartyKind;
  /** For a group: every active unit of these types is a member. */
  memberTypes: TUnitType[];
}

const GROUP_RULES: [RegExp, TUnitType[]][] = [
  [/各(县|区)|县\(市、区\)|区县|县区|县市区/, ['district_government']],
  [/街道|乡镇|镇街/, ['street_office']],
  [/社区|村\(居\)委|居委会|村委会|各村/, ['community_committee']],
  [/党委|党组|党工委/, ['party_committee']],
  [/市直|各部门|成员单位|各单位/, ['government_department', 'party_committee']],
  [/学校|高校|中小学/, ['school']],
  [/医院|医疗机构|卫生院/, ['hospital']],
  [/国有企业|国企/, ['state_enterprise']],
];
const OUTSIDE = /物业|银行|网点|驻市|驻地|企业|商户|经营户|门店|商场|窗口|协会|商会|个体/;

/**
 * (Names are compared after `normKey`: half-width brackets, no spaces.)
 *
 * What a collective name the directory does not know probably is: a group by unit type (各区县 →
 * all district governments), an outside party (各物业公司), or a group to fill in (another 各…).
 * Null for a name that reads like one unit.
 */
export function proposeParty(name: string): PartyProposal | null {
  const n = normKey(name);
  const collective = /^各|^全市|各级|市直|驻市|^所有|等单位$|等部门$/.test(n) || OUTSIDE.test(n);
  if (!collective && !GROUP_RULES.slice(0, 3).some(([re]) => re.test(n) && /各|所有/.test(n))) {
    if (!/^(社区居委会|村\(居\)委会|居委会|村委会)$/.test(n)) return null;
  }
  if (OUTSIDE.test(n) && !/国有企业|国企/.test(n)) return { kind: 'outside', memberTypes: [] };
  for (const [re, types] of GROUP_RULES)
    if (re.test(n)) return { kind: 'group', memberTypes: types };
  return { kind: 'group', memberTypes: [] };
}
