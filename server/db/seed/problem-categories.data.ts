/**
 * The default problem taxonomy: 大类 → 小类, in the style of the 数字城管 事件/部件 lists, grouped the
 * way campaign offices analyse lost points (环境卫生, 街面秩序, 基础设施, 宣传氛围, 文明行为, 园林绿化).
 * Deadlines are working days by severity; the office can change all of it.
 */
export const DEFAULT_CATEGORIES: {
  code: string;
  name: string;
  deadlineDays: { normal: number; urgent: number; critical: number };
  children: { code: string; name: string }[];
}[] = [
  {
    code: 'HJ',
    name: '环境卫生',
    deadlineDays: { normal: 2, urgent: 1, critical: 1 },
    children: [
      { code: 'HJ01', name: '暴露垃圾' },
      { code: 'HJ02', name: '积存垃圾渣土' },
      { code: 'HJ03', name: '道路不洁' },
      { code: 'HJ04', name: '垃圾桶满溢' },
      { code: 'HJ05', name: '乱涂乱画、小广告' },
      { code: 'HJ06', name: '公厕不洁' },
      { code: 'HJ07', name: '污水外溢' },
    ],
  },
  {
    code: 'ZX',
    name: '街面秩序',
    deadlineDays: { normal: 3, urgent: 1, critical: 1 },
    children: [
      { code: 'ZX01', name: '占道经营' },
      { code: 'ZX02', name: '店外经营' },
      { code: 'ZX03', name: '流动摊贩' },
      { code: 'ZX04', name: '非机动车乱停放' },
      { code: 'ZX05', name: '机动车违停' },
      { code: 'ZX06', name: '乱堆物料' },
      { code: 'ZX07', name: '违规晾晒' },
    ],
  },
  {
    code: 'SS',
    name: '基础设施',
    deadlineDays: { normal: 5, urgent: 2, critical: 1 },
    children: [
      { code: 'SS01', name: '井盖缺失破损' },
      { code: 'SS02', name: '道路破损' },
      { code: 'SS03', name: '路灯不亮' },
      { code: 'SS04', name: '护栏损坏' },
      { code: 'SS05', name: '垃圾桶破损' },
      { code: 'SS06', name: '盲道被占或损坏' },
      { code: 'SS07', name: '公共设施损坏' },
    ],
  },
  {
    code: 'XC',
    name: '宣传氛围',
    deadlineDays: { normal: 5, urgent: 3, critical: 1 },
    children: [
      { code: 'XC01', name: '公益广告缺失' },
      { code: 'XC02', name: '公益广告破损褪色' },
      { code: 'XC03', name: '宣传栏内容过期' },
      { code: 'XC04', name: '文明规范未公示' },
    ],
  },
  {
    code: 'WM',
    name: '文明行为',
    deadlineDays: { normal: 3, urgent: 1, critical: 1 },
    children: [
      { code: 'WM01', name: '闯红灯、翻越护栏' },
      { code: 'WM02', name: '随地吐痰、乱扔垃圾' },
      { code: 'WM03', name: '不文明养犬' },
      { code: 'WM04', name: '公共场所吸烟' },
      { code: 'WM05', name: '排队加塞、大声喧哗' },
    ],
  },
  {
    code: 'YL',
    name: '园林绿化',
    deadlineDays: { normal: 5, urgent: 2, critical: 1 },
    children: [
      { code: 'YL01', name: '绿地脏乱' },
      { code: 'YL02', name: '树木缺株死株' },
      { code: 'YL03', name: '绿化带被毁' },
    ],
  },
  {
    code: 'QT',
    name: '其他',
    deadlineDays: { normal: 5, urgent: 2, critical: 1 },
    children: [{ code: 'QT01', name: '待分类' }],
  },
];
