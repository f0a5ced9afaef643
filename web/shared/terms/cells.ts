/**
 * 文明细胞: the holders of civilized titles (文明单位, 村镇, 校园, 社区, 家庭) and their dynamic
 * management (../shared/domain/BRIEF.md §4). The types, levels and statuses themselves are
 * core/contracts/honours.ts's labels (CELL_TYPE_LABELS, HONOUR_LEVEL_LABELS, HONOUR_STATUS_LABELS).
 */
export const cells = {
  cells: { zh: '文明细胞', en: 'Civilized cells' },
  /** The registry page: every holder of a title. */
  honoursRegistry: { zh: '称号名册', en: 'Honours registry' },
  cellType: { zh: '细胞类型', en: 'Cell type' },
  holderName: { zh: '称号持有者', en: 'Holder' },
  honourTitle: { zh: '称号', en: 'Title' },
  honourLevel: { zh: '称号级别', en: 'Level' },
  yearConferred: { zh: '授予年度', en: 'Year conferred' },
  termYears: { zh: '有效期（年）', en: 'Term (years)' },
  /** The last year of a title's term: its 复审 is due then. */
  termEnds: { zh: '到期年度', en: 'Term ends' },
  managingOffice: { zh: '管理文明办', en: 'Managing office' },
  /** A change of status's reason (整改通知, 撤销决定…). */
  statusReason: { zh: '变更原因', en: 'Reason for the change' },
  honourHistory: { zh: '称号记录', en: 'History' },
  /** Titles whose term ends this year or next. */
  reviewsDue: { zh: '待复审', en: 'Reviews due' },
  /** Titles in 整改 or 暂停. */
  atRisk: { zh: '风险称号', en: 'Titles at risk' },
  newHonour: { zh: '登记称号', en: 'Register a title' },
  /** The year's calls (申报通知), applications, assessment, 公示 and decisions. */
  awardCalls: { zh: '申报评选', en: 'Applications and awards' },
  /** Quarterly checks, the negative list and its hits. */
  dynamicManagement: { zh: '动态管理', en: 'Dynamic management' },
  /** The yearly 复审 of holders, closed with a 通报. */
  yearlyReview: { zh: '年度复审', en: 'Yearly review' },
  /** 身边好人: monthly nominations, 评议, the public vote and the 好人榜. */
  goodPeople: { zh: '身边好人', en: 'Good people' },
};
