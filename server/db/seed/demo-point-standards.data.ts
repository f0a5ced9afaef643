import type { QuantityRule } from '../../../core/inspection/quantity.js';

/**
 * Which demo-framework standards each demo checklist item evidences (by hand; item text → codes).
 * Every field standard that a walk-by inspection of these 12 types can see is covered; I2.1.1
 * (实践所站 records) and I3.2.2 (社区法律顾问/普法宣传栏) have no checklist item in the demo types, and
 * the simulation standards (hotlines) are verified by calling, not by visiting a point.
 */
export const DEMO_ITEM_STANDARDS: Record<string, Record<string, string[]>> = {
  P01: {
    沿途可见固定式公益广告不少于5处且无破损: ['I1.2.1'],
    '地面无垃圾、烟头、痰迹': ['I6.1.1'],
    无占道经营和乱堆乱放: ['I4.1.1'],
    '车辆规范停放，盲道无占用': ['I4.1.2'],
    '无乱张贴、乱涂写': ['I4.1.3'],
    '果皮箱完好、不满溢': ['I6.1.1'],
  },
  P02: {
    路面硬化无明显坑洼积水: ['I4.3.1'],
    路灯完好: ['I4.3.1'],
    无露天垃圾堆放: ['I6.1.1'],
    '无乱搭乱建、乱拉线': ['I4.1.1', 'I4.1.3'],
    墙面无小广告: ['I4.1.3'],
    排水设施完好: ['I4.3.1'],
  },
  P03: {
    显著位置有公益广告和诚信经营宣传: ['I1.2.1', 'I3.1.2'],
    设公平秤和投诉点: ['I3.1.2'],
    '地面干净、无积水、垃圾及时清运': ['I6.1.1'],
    市场内外无占道经营: ['I4.1.1'],
    经营户证照公示: ['I3.1.2'],
    公厕干净无异味: ['I5.2.1'],
  },
  P04: {
    有核心价值观和关爱未成年人公益广告: ['I1.2.1'],
    垃圾分类投放点整洁: ['I6.1.2'],
    '楼道无堆物、照明完好': ['I4.3.2'],
    '消防通道畅通，无飞线充电': ['I4.3.2', 'I4.1.3'],
    车辆有序停放: ['I4.1.2'],
  },
  P05: {
    有公益广告景观小品: ['I1.2.1'],
    '无乱扔杂物、随地吐痰': ['I6.1.1'],
    '公厕指示清晰、保洁到位': ['I5.2.1'],
  },
  P06: {
    站牌信息完整准确: ['I5.1.1'],
    车内有公益宣传和禁烟标识: ['I1.2.1', 'I6.3.1'],
    报站与实际站点一致: ['I5.1.1'],
    '驾驶员文明服务、礼让行人': ['I4.2.2'],
  },
  P07: {
    公示收费项目和服务流程: ['I5.3.1'],
    导医标识清晰: ['I5.3.1'],
    有志愿服务岗: ['I2.2.2'],
    无障碍设施可用: ['I5.2.2'],
    室内无吸烟: ['I6.3.1'],
    候诊秩序良好: ['I5.3.1'],
    公厕清洁: ['I5.2.1'],
  },
  P08: {
    校门周边无流动摊贩: ['I7.1.1'],
    '周边无网吧、歌舞娱乐场所': ['I7.1.1'],
    上下学时段交通秩序有专人维护: ['I4.2.1', 'I2.2.2'],
    校内全面禁烟: ['I6.3.1'],
    食堂有节约用餐提示: ['I2.3.1'],
  },
  P09: {
    公示办事指南和事项清单: ['I3.3.1'],
    设投诉意见渠道: ['I3.3.1'],
    '工作人员挂牌上岗、文明用语': ['I5.3.1'],
    设无障碍通道和便民设施: ['I5.2.2'],
    有公益广告: ['I1.2.1'],
    排队叫号有序: ['I5.3.1'],
  },
  P10: {
    周边有指示标识: ['I5.2.1'],
    '地面干净、无积水': ['I5.2.1'],
    无明显异味: ['I5.2.1'],
    设施完好可用: ['I5.2.1'],
    有洗手设施和纸品: ['I5.2.1'],
  },
  P11: {
    围挡公益广告面积达到要求且无破损: ['I1.2.1'],
    '出入口车辆冲洗，无带泥上路': ['I6.1.1'],
    工地周边无渣土乱倒: ['I6.1.1'],
  },
  P12: {
    门口显著位置公示禁止未成年人进入: ['I7.1.2'],
    前台实名登记上网: ['I7.1.2'],
    场内无未成年人: ['I7.1.2'],
    场内无吸烟: ['I6.3.1'],
  },
};

/** Counting rules and judging notes for a few demo items (type → item text → rule). */
export const DEMO_COUNT_RULES: Record<string, Record<string, string>> = {
  P01: { 沿途可见固定式公益广告不少于5处且无破损: '步行300米，固定式公益广告不少于5处' },
  P02: { 路灯完好: '步行200米，逐盏计数' },
  P06: { 报站与实际站点一致: '乘坐5站，逐站核对报站' },
  P04: { '楼道无堆物、照明完好': '抽查2个楼道，每个楼道从底层走到顶层' },
};

/**
 * The count rules demo items are scored by (BRIEF §2.2): 主干道 walk 300 m and see 5 ads;
 * 背街小巷 亮灯率 95 %.
 */
export const DEMO_QUANTITY_RULES: Record<string, Record<string, QuantityRule>> = {
  P01: { 沿途可见固定式公益广告不少于5处且无破损: { kind: 'count', min: 5, unit: '处' } },
  P02: { 路灯完好: { kind: 'ratio', minPercent: 95, counted: '亮灯', of: '路灯' } },
};

/**
 * Point types of the 随机查看 kinds the demo framework file lacks (seed 001: 小型餐馆、娱乐场所、
 * 营业厅 — 街巷, 公厕 and 网吧 are P02, P10 and P12). Our own wording, linked like the others.
 */
export const DEMO_EXTRA_POINT_TYPES: {
  code: string;
  name: string;
  route: string;
  checklist: { text: string; standards: string[] }[];
}[] = [
  {
    code: 'P13',
    name: '小餐馆',
    route: '门前及店内',
    checklist: [
      { text: '门前三包落实，无店外经营', standards: ['I4.1.1'] },
      { text: '店内外干净整洁、无油污垃圾', standards: ['I6.1.1'] },
      { text: '有节约用餐、公筷公勺提示', standards: ['I2.3.1'] },
      { text: '室内无吸烟，有禁烟标识', standards: ['I6.3.1'] },
      { text: '证照公示，从业人员持健康证', standards: [] },
      { text: '有公益广告', standards: ['I1.2.1'] },
    ],
  },
  {
    code: 'P14',
    name: '娱乐场所',
    route: '前台+营业区',
    checklist: [
      { text: '显著位置公示禁止未成年人进入', standards: [] },
      { text: '场内无未成年人', standards: [] },
      { text: '室内无吸烟，有禁烟标识', standards: ['I6.3.1'] },
      { text: '消防器材完好、通道畅通', standards: [] },
      { text: '有公益广告', standards: ['I1.2.1'] },
    ],
  },
  {
    code: 'P15',
    name: '营业厅',
    route: '营业大厅（银行、邮政、移动、电信、联通）',
    checklist: [
      { text: '公示服务项目、收费标准和服务承诺', standards: ['I5.3.1'] },
      { text: '工作人员挂牌上岗、文明用语', standards: ['I5.3.1'] },
      { text: '排队有序，设叫号或引导', standards: ['I5.3.1'] },
      { text: '设无障碍设施和便民服务', standards: ['I5.2.2'] },
      { text: '有公益广告', standards: ['I1.2.1'] },
      { text: '室内无吸烟', standards: ['I6.3.1'] },
    ],
  },
];

/** Field standards no demo checklist item can evidence (see the note above). */
export const DEMO_UNLINKED_FIELD_STANDARDS = ['I2.1.1', 'I3.2.2'];
