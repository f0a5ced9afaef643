import type { L } from '../i18n.js';

/** Surveys and household visits (GLOSSARY.md, "Grids, surveys, volunteers, results"). */
export const surveys = {
  survey: { zh: '问卷', en: 'Survey' },
  /** The assessment method `survey` and the survey pages' group. */
  surveyMethod: { zh: '问卷调查', en: 'Survey' },
  question: { zh: '题目', en: 'Question' },
  response: { zh: '答卷', en: 'Response' },
  /** A quota group of respondents. */
  group: { zh: '人群', en: 'Group' },
  surveyFloor: { zh: '问卷底线', en: 'Survey floor' },
  mode: { zh: '调查方式', en: 'Mode' },
  householdSurvey: { zh: '入户调查', en: 'Household survey' },
  publicity: { zh: '宣传内容', en: 'Publicity' },
  logVisit: { zh: '记录入户走访', en: 'Log a household visit' },
} as const satisfies Record<string, L>;
