import type { L } from '../i18n.js';

/** Organisation: regions, units and who answers for what (GLOSSARY.md, "Organisation"). */
export const org = {
  region: { zh: '行政区划', en: 'Region' },
  /** 区域 names a node of the region tree wherever it is used (a regionName column or filter). */
  regionArea: { zh: '区域', en: 'Region' },
  regionShort: { zh: '区划', en: 'Region' },
  ofRegion: { zh: '所属区划', en: 'Region' },
  regionCode: { zh: '区划代码', en: 'Region code' },
  regionBoundary: { zh: '区划边界', en: 'Region boundary' },
  city: { zh: '全市', en: 'City' },
  cityLevel: { zh: '市级', en: 'City' },
  district: { zh: '区县', en: 'District' },
  urbanDistrict: { zh: '城区', en: 'District' },
  community: { zh: '社区', en: 'Community' },
  ofCommunity: { zh: '所属社区', en: 'Community' },
  unit: { zh: '单位', en: 'Unit' },
  unitName: { zh: '单位名称', en: 'Unit name' },
  unitType: { zh: '单位类型', en: 'Unit type' },
  ofUnit: { zh: '所属单位', en: 'Unit' },
  parentUnit: { zh: '上级单位', en: 'Parent unit' },
  memberUnits: { zh: '成员单位', en: 'Member units' },
  allWorkingGroups: { zh: '全部工作组', en: 'All working groups' },
  newWorkingGroup: { zh: '新建工作组', en: 'New working group' },
  newUnit: { zh: '新建单位', en: 'New unit' },
  leadUnit: { zh: '牵头单位', en: 'Lead unit' },
  /** 责任单位 is Responsible unit everywhere (it was Unit in 10 places). */
  responsibleUnit: { zh: '责任单位', en: 'Responsible unit' },
  /** The unit paired with a community for household visits. */
  pairedUnit: { zh: '包联单位', en: 'Paired unit' },
  office: { zh: '创建办', en: 'Campaign office' },
  leader: { zh: '包抓领导', en: 'Leader in charge' },
  assignment: { zh: '任务分解', en: 'Task breakdown' },
  /** A unit's rows of the task breakdown (admin). The phone app's 我的任务 is common.myTasks. */
  myAssignments: { zh: '我的任务', en: 'My assignments' },
  pledge: { zh: '目标责任书', en: 'Pledge' },
  agreement: { zh: '责任书', en: 'Agreement' },
  signed: { zh: '已签订', en: 'Signed' },
  notSigned: { zh: '未签订', en: 'Not signed' },
  frontageDuty: { zh: '门前三包', en: 'Frontage duty' },
} as const satisfies Record<string, L>;
