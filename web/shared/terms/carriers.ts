/**
 * 公益广告阵地: the carriers of public-service ads, the rules per point type and 换版 campaigns
 * (issue #23). Kinds, themes and states are core/contracts/ad-carriers.ts's labels.
 */
export const carriers = {
  carriers: { zh: '公益广告阵地', en: 'Ad carriers' },
  carrierKind: { zh: '载体类型', en: 'Kind' },
  carrierTheme: { zh: '内容主题', en: 'Theme' },
  carrierCode: { zh: '阵地编号', en: 'Code' },
  carrierSize: { zh: '规格（厘米）', en: 'Size (cm)' },
  designTitle: { zh: '画面标题', en: 'Design' },
  maintainer: { zh: '维护单位', en: 'Maintainer' },
  fixedForm: { zh: '固定式', en: 'Fixed' },
  /** Carriers sharing a label at one point count as one. */
  cluster: { zh: '集中设置组', en: 'Cluster' },
  newCarrier: { zh: '登记阵地', en: 'Register a carrier' },
  /** 转为问题: a broken carrier becomes a dispatched problem. */
  toProblem: { zh: '转为问题', en: 'Raise a problem' },
  coverage: { zh: '覆盖情况', en: 'Coverage' },
  carrierRules: { zh: '点位类型规则', en: 'Rules per point type' },
  /** 换版: a content campaign. */
  campaigns: { zh: '换版', en: 'Content campaigns' },
  newCampaign: { zh: '新建换版', en: 'New campaign' },
  deadline: { zh: '截止日期', en: 'Deadline' },
  beforePhoto: { zh: '换版前照片', en: 'Before' },
  afterPhoto: { zh: '换版后照片', en: 'After' },
  markDone: { zh: '标记完成', en: 'Mark done' },
};
