import { normKey } from '../frameworks/methods.js';

/**
 * The names of a unit: one full name, one display 简称 and any number of aliases — the other names
 * offices write for it (城管, 市城管局…). Names are compared by `unitNameKey`, so full-width
 * characters, spaces and letter case do not make two names different.
 */

/** Characters that separate several names in one cell: 、，,；;/ (full and half width). */
export const UNIT_NAME_SEPARATORS = /[、，,；;/／]/;
const SEPARATORS_G = /[、，,；;/／]+/;

/** At most this many aliases per unit, each at most this long. */
export const MAX_UNIT_ALIASES = 20;
export const MAX_UNIT_ALIAS_LENGTH = 30;

/** The comparison key of a unit name: NFKC, no spaces, lower-case. */
export function unitNameKey(name: string): string {
  return normKey(name);
}

/** Names in one cell ("城管局、城管 / 市城管局"), trimmed, empty ones dropped, in order. */
export function splitUnitNames(raw: string | null | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(SEPARATORS_G)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The names of all lists in order, each name once (by key; the first spelling is kept). */
export function mergeUnitNames(...lists: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const raw of list) {
      const name = raw.trim();
      const key = unitNameKey(name);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      out.push(name);
    }
  }
  return out;
}

/** Aliases without the ones that repeat the unit's own full or short name. */
export function ownAliases(
  aliases: readonly string[],
  name: string,
  shortName: string | null | undefined,
): string[] {
  const own = new Set([unitNameKey(name), unitNameKey(shortName ?? '')]);
  return mergeUnitNames(aliases).filter((a) => !own.has(unitNameKey(a)));
}

export interface UnitNames {
  /** Identifies the unit (its id, or its code in an import); never equal for two units. */
  key: string | number;
  name: string;
  shortName: string | null;
  aliases: readonly string[];
}

export interface UnitNameClash {
  alias: string;
  /** The other unit's full name. */
  other: string;
  /** Which of the other unit's names the alias repeats. */
  as: 'name' | 'shortName' | 'alias';
}

const AS_LABEL: Record<UnitNameClash['as'], { zh: string; en: string }> = {
  name: { zh: '名称', en: 'name' },
  shortName: { zh: '简称', en: 'short name' },
  alias: { zh: '别名', en: 'alias' },
};

/** Builds an index of every unit's names, so the aliases of one unit can be checked against it. */
export function unitNameIndex(
  units: readonly UnitNames[],
): (self: string | number, aliases: readonly string[]) => UnitNameClash | null {
  const owners = new Map<
    string,
    { key: string | number; name: string; as: UnitNameClash['as'] }[]
  >();
  const add = (name: string | null, u: UnitNames, as: UnitNameClash['as']) => {
    const k = name ? unitNameKey(name) : '';
    if (!k) return;
    const list = owners.get(k) ?? [];
    list.push({ key: u.key, name: u.name, as });
    owners.set(k, list);
  };
  for (const u of units) {
    add(u.name, u, 'name');
    add(u.shortName, u, 'shortName');
    for (const a of u.aliases) add(a, u, 'alias');
  }
  return (self, aliases) => {
    for (const alias of aliases) {
      const hit = owners.get(unitNameKey(alias))?.find((o) => o.key !== self);
      if (hit) return { alias, other: hit.name, as: hit.as };
    }
    return null;
  };
}

/** The message for an alias another unit already uses, naming that unit. */
export function unitNameClashMessage(c: UnitNameClash): { zh: string; en: string } {
  return {
    zh: `别名“${c.alias}”已是单位“${c.other}”的${AS_LABEL[c.as].zh}，不能再用作本单位的别名`,
    en: `alias "${c.alias}" is already the ${AS_LABEL[c.as].en} of unit "${c.other}"`,
  };
}
