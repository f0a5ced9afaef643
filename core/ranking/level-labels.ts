import type { TRankingRulesConfig } from '../contracts/rankings.js';

/**
 * The rules as a level below the city reads them in its own ranking and 通报: a district's own
 * departments are 区直, not 市直 (a street's, 街道). The city's rules name the classes from the
 * city's seat; only the leading 市直 / "City " of a label changes, the keys and members stay.
 */
export function rulesAtLevel(
  rules: TRankingRulesConfig,
  level: 'city' | 'district' | 'street' | 'community' | null,
): TRankingRulesConfig {
  if (level === null || level === 'city') return rules;
  const zh = level === 'district' ? '区直' : '街道';
  const en = level === 'district' ? 'District ' : 'Street ';
  return {
    ...rules,
    classes: rules.classes.map((c) => ({
      ...c,
      label: {
        zh: c.label.zh.startsWith('市直') ? zh + c.label.zh.slice(2) : c.label.zh,
        en: c.label.en.startsWith('City ') ? en + c.label.en.slice(5) : c.label.en,
      },
    })),
  };
}
