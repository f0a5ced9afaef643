import type { L } from '../i18n.js';

/** Grids and patrols (GLOSSARY.md, "Grids, surveys, volunteers, results"). */
export const grids = {
  grid: { zh: '网格', en: 'Grid' },
  gridLeader: { zh: '网格长', en: 'Grid leader' },
  gridWorker: { zh: '网格员', en: 'Grid worker' },
  gridPatrol: { zh: '网格巡查', en: 'Grid patrol' },
  patrolRecords: { zh: '巡查记录', en: 'Patrols' },
  recentPatrols: { zh: '最近巡查', en: 'Recent patrols' },
  walking: { zh: '巡查中', en: 'Walking' },
  distance: { zh: '里程', en: 'Distance' },
  gpsSamples: { zh: '轨迹点', en: 'GPS samples' },
  building: { zh: '楼栋', en: 'Building' },
  flat: { zh: '门牌', en: 'Flat' },
} as const satisfies Record<string, L>;
