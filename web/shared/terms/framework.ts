import type { L } from '../i18n.js';

/** Campaigns, frameworks, scores and evidence (GLOSSARY.md, "Campaign and framework"). */
export const framework = {
  campaign: { zh: '创建周期', en: 'Campaign' },
  framework: { zh: '测评体系', en: 'Framework' },
  item: { zh: '测评项目', en: 'Item' },
  content: { zh: '测评内容', en: 'Content' },
  standard: { zh: '测评标准', en: 'Standard' },
  method: { zh: '测评方法', en: 'Method' },
  negativeItem: { zh: '负面清单', en: 'Negative list' },
  /** What a negative-list event does: deduct, suspend or disqualify. */
  effect: { zh: '后果', en: 'Effect' },
  maxScore: { zh: '分值', en: 'Max score' },
  fullMarks: { zh: '满分', en: 'Full marks' },
  score: { zh: '得分', en: 'Score' },
  scoreRate: { zh: '得分率', en: 'Score rate' },
  projected: { zh: '预计得分', en: 'Projected score' },
  deduction: { zh: '扣分', en: 'Deduction' },
  cycleWeights: { zh: '年度权重', en: 'Year weights' },
  evidence: { zh: '佐证材料', en: 'Evidence' },
  /** The evidence page's name (档案资料 and 佐证材料 are both `evidence` in the glossary). */
  archive: { zh: '档案资料', en: 'Archive materials' },
  indicator: { zh: '指标', en: 'Indicator' },
  version: { zh: '版本', en: 'Version' },
  /** The action: a unit reports its figures or materials. */
  report: { zh: '报送', en: 'Report' },
  reported: { zh: '已报送', en: 'Reported' },
  reportingPeriod: { zh: '报送周期', en: 'Reporting period' },
  /** The action: send evidence to the office for review. */
  submitForReview: { zh: '提交审核', en: 'Submit for review' },
  /** The event in the evidence's history. */
  submitted: { zh: '提交审核', en: 'Submitted' },
  documentDate: { zh: '文件日期', en: 'Document date' },
  /** A simulated call (实景模拟) was answered. */
  answered: { zh: '接通', en: 'Answered' },
  notAnswered: { zh: '未接通', en: 'Not answered' },
  met: { zh: '达标', en: 'Met' },
  notMet: { zh: '未达标', en: 'Not met' },
} as const satisfies Record<string, L>;
