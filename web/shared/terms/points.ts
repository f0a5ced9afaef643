import type { L } from '../i18n.js';

/** Points, point types and inspection rounds (GLOSSARY.md, "Points and inspections"). */
export const points = {
  point: { zh: '点位', en: 'Point' },
  pointName: { zh: '点位名称', en: 'Point name' },
  pointType: { zh: '点位类型', en: 'Point type' },
  /** point.responsibleUnit: the unit accountable for the point. */
  responsibleUnit: { zh: '包保单位', en: 'Responsible unit' },
  checkItem: { zh: '检查项', en: 'Check item' },
  /** pointType sampling `mandatory`. */
  mandatory: { zh: '必查', en: 'Mandatory' },
  /** pointType sampling `random` (drawn at random). */
  random: { zh: '随机抽取', en: 'Random' },
  round: { zh: '测评轮次', en: 'Round' },
  mock: { zh: '模拟测评', en: 'Mock evaluation' },
  supervision: { zh: '督查', en: 'Supervision' },
  secret: { zh: '暗访', en: 'Secret visit' },
  draw: { zh: '抽签', en: 'Draw' },
  inspector: { zh: '测评员', en: 'Inspector' },
  fieldInspection: { zh: '实地检查', en: 'Field inspection' },
  visitRecord: { zh: '检查记录', en: 'Visit' },
  pointVisit: { zh: '点位检查', en: 'Visit' },
  pass: { zh: '合格', en: 'Pass' },
  fail: { zh: '不合格', en: 'Fail' },
  na: { zh: '不适用', en: 'N/A' },
  /** A serious failure: the point fails whatever its other items. */
  serious: { zh: '严重不合格', en: 'Serious' },
  seriousItem: { zh: '严重项', en: 'Serious item' },
  /** A point the inspector added on the spot (随机增加点位). */
  added: { zh: '随机增加', en: 'Added' },
  notVisited: { zh: '未检查', en: 'Not visited' },
  overallRating: { zh: '整体评价', en: 'Overall rating' },
  meanPointScore: { zh: '平均点位得分', en: 'Mean point score' },
  passCriteria: { zh: '合格标准', en: 'Pass criteria' },
} as const satisfies Record<string, L>;
