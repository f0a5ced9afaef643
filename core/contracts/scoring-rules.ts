import { CYCLE_PRESETS, checkSurveyCurve, SURVEY_FLOOR_EFFECTS } from '../scoring/rules.js';
import { z } from './zod-setup.js';

/** Assessment rules (core/scoring/rules.ts) as the API takes and gives them. Percent throughout. */

const ZPercent = z.number().min(0).max(100);

export const ZSurveyFloorSchema = z.object({
  enabled: z.boolean(),
  /** Minimum favourable rate, in percent. */
  minRate: ZPercent,
  effect: z.enum(SURVEY_FLOOR_EFFECTS),
  /** Points off the year's 100 per rate under the floor (effect deduct). */
  points: z.number().min(0).max(100).default(0),
});

export const ZSurveyBandSchema = z.object({
  grade: z.string().trim().min(1).max(10),
  /** Strict lower bound in percent; null for the lowest, catch-all band. */
  above: ZPercent.nullable(),
  /** Percent of the standard's max score. */
  share: ZPercent,
});

export const ZSurveyCurveSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('bands'), bands: z.array(ZSurveyBandSchema).min(1).max(10) }),
    z.object({ kind: z.literal('linear'), floor: ZPercent, target: ZPercent }),
    z.object({ kind: z.literal('rate') }),
  ])
  .superRefine((c, ctx) => {
    for (const m of checkSurveyCurve(c))
      ctx.addIssue({ code: 'custom', message: `${m.zh} / ${m.en}` });
  });

export const ZCyclePresetSchema = z.enum(CYCLE_PRESETS);

/** A framework's own rules: each field left out (or null) comes from the campaign. */
export const ZFrameworkRulesSchema = z.object({
  methodWeights: z.object({ material: ZPercent, field: ZPercent, survey: ZPercent }).optional(),
  cyclePreset: ZCyclePresetSchema.optional(),
  cycleWeights: z.array(ZPercent).min(1).max(5).optional(),
  surveyFloor: ZSurveyFloorSchema.optional(),
  surveyCurve: ZSurveyCurveSchema.optional(),
  /** Percent of the campaign's combined score (city 80 + minors' 20, say). */
  share: ZPercent.optional(),
  /** The year score the framework must reach for the city to apply (85 for the minors' test). */
  gate: ZPercent.optional(),
});
export type TFrameworkRulesInput = z.infer<typeof ZFrameworkRulesSchema>;

const ZSource = z.enum(['framework', 'campaign']);
/** The rules in effect for a framework, and where each came from. */
export const ZEffectiveRulesSchema = z.object({
  methodWeights: z.object({ material: z.number(), field: z.number(), survey: z.number() }),
  cyclePreset: ZCyclePresetSchema,
  cycleWeights: z.array(z.number()),
  surveyFloor: ZSurveyFloorSchema,
  surveyCurve: ZSurveyCurveSchema,
  share: z.number().nullable(),
  gate: z.number().nullable(),
  sources: z.object({
    methodWeights: ZSource,
    cycleWeights: ZSource,
    surveyFloor: ZSource,
    surveyCurve: ZSource,
  }),
});
export type TEffectiveRules = z.infer<typeof ZEffectiveRulesSchema>;
