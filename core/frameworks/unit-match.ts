import { normKey } from './methods.js';

/** Matching the unit names a sheet writes to the unit directory. */

export interface UnitRef {
  id: number;
  name: string;
  shortName: string | null;
}

export type TUnitMatch =
  | { ok: true; unit: UnitRef }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'ambiguous'; candidates: string[] };

/** Prefixes a city-level unit's name carries that sheets leave out: 市委宣传部 → 宣传部. */
const CITY_PREFIXES = ['市委', '市'];

/**
 * Finds units the way offices write them: by full name, by short name, or by the name without the
 * city prefix (市民政局 → 民政局). Compared after `normKey`, so full-width brackets and spaces do
 * not matter. The first tier with a hit decides; two units in that tier are ambiguous.
 */
export function unitMatcher(units: UnitRef[]): (name: string) => TUnitMatch {
  const tiers = [
    new Map<string, UnitRef[]>(),
    new Map<string, UnitRef[]>(),
    new Map<string, UnitRef[]>(),
  ];
  const add = (tier: number, key: string, u: UnitRef) => {
    if (!key) return;
    const list = tiers[tier]!.get(key) ?? [];
    if (!list.some((x) => x.id === u.id)) list.push(u);
    tiers[tier]!.set(key, list);
  };
  for (const u of units) {
    const name = normKey(u.name);
    add(0, name, u);
    if (u.shortName) add(1, normKey(u.shortName), u);
    for (const p of CITY_PREFIXES) {
      if (name.startsWith(p) && name.length - p.length >= 2) {
        add(2, name.slice(p.length), u);
        break;
      }
    }
  }
  return (raw: string) => {
    const key = normKey(raw);
    for (const tier of tiers) {
      const hit = tier.get(key);
      if (!hit) continue;
      if (hit.length === 1) return { ok: true, unit: hit[0]! };
      return { ok: false, reason: 'ambiguous', candidates: hit.map((u) => u.name) };
    }
    return { ok: false, reason: 'unknown' };
  };
}
