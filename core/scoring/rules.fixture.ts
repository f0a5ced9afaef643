/** The effective rules of a framework scored by the campaign's defaults, for tests. */
import type { TEffectiveRules } from '../contracts/scoring-rules.js';
import { DEFAULT_SURVEY_BANDS } from './rules.js';

export const EFFECTIVE_RULES: TEffectiveRules = {
  methodWeights: { material: 40, field: 40, survey: 20 },
  cyclePreset: 'prefecture',
  cycleWeights: [15, 25, 60],
  surveyFloor: { enabled: true, minRate: 80, effect: 'veto', points: 0 },
  surveyCurve: { kind: 'bands', bands: DEFAULT_SURVEY_BANDS },
  share: null,
  gate: null,
  sources: {
    methodWeights: 'campaign',
    cycleWeights: 'campaign',
    surveyFloor: 'campaign',
    surveyCurve: 'campaign',
  },
};
