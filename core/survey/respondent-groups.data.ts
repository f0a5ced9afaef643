/**
 * Who counts in each kind of respondent group (调查对象条件): the presets the questionnaire designer
 * offers and the rule a new questionnaire gets when none is given. Data, not code: a questionnaire
 * stores its own rule (survey_questionnaires.min_age / max_age / min_resident_months) and the office
 * may change it per group; these rows only fill the form.
 */
export interface EligibilityPreset {
  key: 'resident' | 'student';
  label: { zh: string; en: string };
  /** The group label and letter a new questionnaire of this kind usually has. */
  groupLabel: string;
  minAge: number;
  maxAge: number;
  /** Months of local residence at least; null = residence is not asked (does not apply). */
  minResidentMonths: number | null;
  source: string;
}

export const ELIGIBILITY_PRESETS: readonly EligibilityPreset[] = [
  {
    key: 'resident',
    label: { zh: '市民（入户）', en: 'Residents (households)' },
    groupLabel: '市民',
    minAge: 18,
    maxAge: 65,
    minResidentMonths: 6,
    // 云浮 and 英德 调查队 specifications: 本地居住半年以上、18–65 周岁常住居民.
    source: 'BRIEF §3 (who is sampled)',
  },
  {
    key: 'student',
    label: { zh: '中小学生（未成年人测评）', en: 'School pupils (minors’ test)' },
    groupLabel: '中小学生',
    minAge: 6,
    maxAge: 18,
    minResidentMonths: null,
    // 未成年人思想道德建设测评 questions pupils (BRIEF §1.1); school ages, residence does not apply.
    source: 'BRIEF §1.1 (未成年人思想道德建设测评); ages are our assumption for 中小学生',
  },
];
