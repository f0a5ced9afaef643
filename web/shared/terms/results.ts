import type { L } from '../i18n.js';

/** Rankings and what follows them (GLOSSARY.md, "Grids, surveys, volunteers, results"). */
export const results = {
  unitRanking: { zh: '单位排名', en: 'Unit ranking' },
  rank: { zh: '名次', en: 'Rank' },
  /** The flag a unit was awarded in a period (red or black). */
  flag: { zh: '评定', en: 'Flag' },
  rankingRules: { zh: '排名规则', en: 'Ranking rules' },
  bulletin: { zh: '通报', en: 'Bulletin' },
  redFlag: { zh: '流动红旗', en: 'Red flag' },
  blackFlag: { zh: '黑牌', en: 'Black card' },
} as const satisfies Record<string, L>;
