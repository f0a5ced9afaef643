import { METHOD_BUCKETS, METHODS, NEGATIVE_EFFECTS } from '../frameworks/methods.js';
import { YEAR_STATUSES } from '../scoring/campaign-score.js';
import { ZIdValueSchema, ZYearValueSchema } from './common.js';
import { ZEffectiveRulesSchema, ZSurveyFloorSchema } from './scoring-rules.js';
import { z } from './zod-setup.js';

/** 测评得分预估 and 模拟测评推演: contracts shared by the API and the admin pages. */

const id = ZIdValueSchema;

export const ZProjectionQuerySchema = z.object({
  campaignId: id,
  /** Default: the campaign's first framework. */
  frameworkId: id.optional(),
  /** Default: the current year, clamped into the cycle. */
  year: ZYearValueSchema.optional(),
  /** The inspection round whose results give the field share (default: the latest official or
   * mock round with visits up to the year's end). */
  roundId: id.optional(),
  /** The survey round whose rates give the survey share (default: the latest with responses). */
  surveyRoundId: id.optional(),
});
export type TProjectionQuery = z.infer<typeof ZProjectionQuerySchema>;

export const SHARE_SOURCES = ['evidence', 'field', 'survey'] as const;

export const ZUnitRefSchema = z.object({ id: z.number().int(), name: z.string() });

export const ZProjectedStandardSchema = z.object({
  key: z.string(),
  code: z.string(),
  text: z.string(),
  method: z.enum(METHODS),
  bucket: z.enum(METHOD_BUCKETS),
  maxScore: z.number(),
  /** 0..1, or null when unknown (counted as 0). */
  share: z.number().nullable(),
  unknown: z.boolean(),
  /** Points of the year's 100 this standard carries and those it achieves. */
  weightedMax: z.number(),
  weightedEarned: z.number(),
  source: z.enum(SHARE_SOURCES),
  /** How the share was found, e.g. "档案 已通过 B × 指标达标 1/2". */
  detail: z.object({ zh: z.string(), en: z.string() }),
});
export type TProjectedStandard = z.infer<typeof ZProjectedStandardSchema>;

const ZNodeSchema = z.object({
  key: z.string(),
  code: z.string(),
  text: z.string(),
  maxScore: z.number(),
  earned: z.number(),
  weightedMax: z.number(),
  weightedEarned: z.number(),
});

export const ZProjectedContentSchema = ZNodeSchema.extend({
  standards: z.array(ZProjectedStandardSchema),
});
export const ZProjectedItemSchema = ZNodeSchema.extend({
  contents: z.array(ZProjectedContentSchema),
});
export type TProjectedItem = z.infer<typeof ZProjectedItemSchema>;

export const ZNegativeHitSchema = z.object({
  id: z.number().int(),
  frameworkId: z.number().int(),
  itemKey: z.string(),
  /** The item in force (null when the key is no longer in the framework). */
  code: z.string().nullable(),
  text: z.string().nullable(),
  effect: z.enum(NEGATIVE_EFFECTS).nullable(),
  points: z.number().nullable(),
  year: z.number().int(),
  occurredOn: z.string(),
  note: z.string(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string(),
  version: z.number().int(),
});
export type TNegativeHit = z.infer<typeof ZNegativeHitSchema>;
export const ZNegativeHitsSchema = z.array(ZNegativeHitSchema);

export const ZNegativeHitInputSchema = z.object({
  frameworkId: z.number().int().positive(),
  itemKey: z.string().trim().min(1).max(100),
  year: z.number().int().min(2000).max(2100),
  occurredOn: z.iso.date(),
  note: z.string().trim().max(500).default(''),
});
export type TNegativeHitInput = z.infer<typeof ZNegativeHitInputSchema>;

export const ZNegativeHitOptionsSchema = z.object({
  items: z.array(
    z.object({
      key: z.string(),
      code: z.string(),
      text: z.string(),
      effect: z.enum(NEGATIVE_EFFECTS),
      points: z.number(),
    }),
  ),
  years: z.array(z.number().int()),
});
export type TNegativeHitOptions = z.infer<typeof ZNegativeHitOptionsSchema>;

export const ZNegativeHitListQuerySchema = z.object({
  frameworkId: id,
  year: ZYearValueSchema.optional(),
});

/** GET /api/negative-hits/options: the framework's. */
export const ZNegativeHitOptionsQuerySchema = ZNegativeHitListQuerySchema.pick({
  frameworkId: true,
});

const ZYearScoreSchema = z.object({
  /** After deductions; a verdict (veto, suspension…) never changes the number, it is `status`. */
  score: z.number(),
  base: z.number(),
  deducted: z.number(),
  /** The worst verdict of the year; `verdicts` lists every one that applies. */
  status: z.enum(YEAR_STATUSES),
  verdicts: z.array(z.enum(YEAR_STATUSES)),
  unknown: z.number().int(),
  emptyParts: z.array(z.enum(METHOD_BUCKETS)),
  floor: z.object({
    below: z.array(z.string()),
    effect: z.string().nullable(),
    vetoed: z.boolean(),
    /** Points the floor took off (effect deduct). */
    deducted: z.number(),
  }),
});

/** What one negative-list event does in the projected year (core/scoring/negatives.ts). */
export const ZHitEffectSchema = z.object({
  hitId: z.number().int(),
  code: z.string(),
  text: z.string(),
  occurredOn: z.string(),
  kinds: z.array(
    z.enum(['deduct', 'suspend_title', 'disqualify', 'bar_application', 'outside_window']),
  ),
  points: z.number(),
  zh: z.string(),
  en: z.string(),
});

/** A campaign's frameworks combined for the year: shares and gates (BRIEF §1.1). */
export const ZCombinedSchema = z.object({
  year: z.number().int(),
  /** Σ share × score over the frameworks with a share; null when none has one. */
  total: z.number().nullable(),
  status: z.enum(YEAR_STATUSES),
  gatesFailed: z.array(z.string()),
  issues: z.array(z.object({ zh: z.string(), en: z.string() })),
  parts: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      share: z.number().nullable(),
      gate: z.number().nullable(),
      score: z.number(),
      points: z.number().nullable(),
      gatePassed: z.boolean().nullable(),
      status: z.enum(YEAR_STATUSES),
    }),
  ),
});

/**
 * The campaign's projected standing, in figures and one paragraph of words: what the monthly
 * 通报 and the mock evaluation print beside their own figures (core/scoring/outlook.ts).
 */
export const ZOutlookSchema = z.object({
  campaign: z.object({ id: z.number().int(), name: z.string() }),
  year: z.number().int(),
  framework: z.object({ id: z.number().int(), name: z.string() }),
  /** The framework's year score, whatever the verdicts (they never rewrite it). */
  yearScore: z.number(),
  /** The worst verdict of the year over the framework and the combination. */
  status: z.enum(YEAR_STATUSES),
  verdicts: z.array(z.enum(YEAR_STATUSES)),
  /** Survey dimensions under the floor. */
  floorBelow: z.array(z.string()),
  combined: ZCombinedSchema.nullable(),
  /** What the projection rests on: the field round and the survey round it read. */
  fieldRound: z.string().nullable(),
  surveyRound: z.string().nullable(),
  text: z.object({ zh: z.string(), en: z.string() }),
});
export type TOutlook = z.infer<typeof ZOutlookSchema>;

export const ZProjectionSchema = z.object({
  campaign: z.object({
    id: z.number().int(),
    name: z.string(),
    cycleStartYear: z.number().int(),
    cycleYears: z.number().int(),
    /** The framework's rules in effect (its own, else the campaign's). */
    methodWeights: z.record(z.string(), z.number()),
    surveyFloor: ZSurveyFloorSchema,
  }),
  /** The rules the framework is scored by, and where each came from. */
  rules: ZEffectiveRulesSchema,
  framework: z.object({
    id: z.number().int(),
    name: z.string(),
    versionId: z.number().int(),
    versionNumber: z.number().int(),
  }),
  frameworks: z.array(z.object({ id: z.number().int(), name: z.string() })),
  year: z.number().int(),
  sources: z.object({
    fieldRound: z
      .object({
        id: z.number().int(),
        name: z.string(),
        kind: z.string(),
        visits: z.number().int(),
        chosen: z.boolean(),
      })
      .nullable(),
    surveyRound: z
      .object({
        id: z.number().int(),
        name: z.string(),
        responses: z.number().int(),
        chosen: z.boolean(),
      })
      .nullable(),
    gradeShares: z.record(z.string(), z.number()),
  }),
  yearScore: ZYearScoreSchema,
  parts: z.array(
    z.object({
      bucket: z.enum(METHOD_BUCKETS),
      weight: z.number(),
      maxScore: z.number(),
      earned: z.number(),
      share: z.number(),
      points: z.number(),
    }),
  ),
  items: z.array(ZProjectedItemSchema),
  atRisk: z.array(
    z.object({
      key: z.string(),
      code: z.string(),
      text: z.string(),
      lost: z.number(),
      weightedMax: z.number(),
      unknown: z.boolean(),
      source: z.enum(SHARE_SOURCES),
      units: z.array(ZUnitRefSchema),
    }),
  ),
  negatives: z.array(ZNegativeHitSchema),
  /** Every recorded event of the framework and what it does in this year. */
  negativeEffects: z.array(ZHitEffectSchema),
  surveyRates: z.array(z.object({ dimension: z.string(), rate: z.number() })),
  cycle: z.object({
    total: z.number(),
    projected: z.boolean(),
    /** The worst verdict over the years that count (weight > 0). */
    status: z.enum(YEAR_STATUSES),
    perYear: z.array(
      z.object({
        year: z.number().int(),
        weight: z.number(),
        score: z.number(),
        known: z.boolean(),
        status: z.enum(YEAR_STATUSES),
      }),
    ),
  }),
  combined: ZCombinedSchema.nullable(),
});
export type TProjection = z.infer<typeof ZProjectionSchema>;

const ZPlanRuleSchema = z.discriminatedUnion('mode', [
  z.object({ type: z.string().trim().min(1).max(20), mode: z.literal('all') }),
  z.object({
    type: z.string().trim().min(1).max(20),
    mode: z.literal('random'),
    count: z.number().int().min(1).max(10_000),
  }),
]);

export const ZMockEvaluationInputSchema = z
  .object({
    /** Use this round's plan and region scope. */
    roundId: z.number().int().positive().optional(),
    /** Or a plan given here (per point type code). */
    plan: z.array(ZPlanRuleSchema).min(1).max(200).optional(),
    runs: z.number().int().min(1).max(20_000).default(10_000),
    /** Target field score, 0..1 (e.g. 0.85). */
    target: z.number().min(0).max(1).default(0.85),
    seed: z.number().int().min(0).max(4_294_967_295).optional(),
    top: z.number().int().min(1).max(200).default(20),
  })
  .refine((v) => (v.roundId === undefined) !== (v.plan === undefined), {
    message: '请选择测评轮次或给出抽样方案（二选一） / give either a round or a plan, not both',
    path: ['roundId'],
  });
export type TMockEvaluationInput = z.input<typeof ZMockEvaluationInputSchema>;

export const ZMockEvaluationSchema = z.object({
  round: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  plan: z.array(
    z.object({
      type: z.string(),
      typeName: z.string().nullable(),
      mode: z.enum(['all', 'random']),
      count: z.number().int().nullable(),
      eligible: z.number().int(),
    }),
  ),
  points: z.number().int(),
  withVisits: z.number().int(),
  openProblems: z.number().int(),
  runs: z.number().int(),
  drawnPerRun: z.number().int(),
  target: z.number(),
  seed: z.number().int(),
  mean: z.number(),
  expected: z.number(),
  sd: z.number(),
  p5: z.number(),
  p50: z.number(),
  p95: z.number(),
  pTarget: z.number(),
  /** 20 bins over [0, 1]: the share of runs in each. */
  histogram: z.array(z.number()),
  /**
   * How much of the result rests on inspections: points visited of those eligible, the share of a
   * draw's points expected to be unvisited (scored by assumption), the city-wide pass rate over
   * visited points, and per plan type the pass rate assumed for its unvisited points (a Beta
   * posterior: mean and 90 % interval; basis 'type' from its own visited points, 'city' when it
   * has none). See core/draw/mock-evaluation.ts `typeRates`.
   */
  coverage: z.object({
    points: z.number().int(),
    visited: z.number().int(),
    assumedShare: z.number(),
    cityRate: z.object({ mean: z.number(), visited: z.number().int() }),
    types: z.array(
      z.object({
        type: z.string(),
        typeName: z.string().nullable(),
        points: z.number().int(),
        visited: z.number().int(),
        /** Scored visits (latest version of each) at its points, and checklist answers in them. */
        visits: z.number().int(),
        items: z.number().int(),
        basis: z.enum(['type', 'city']),
        mean: z.number(),
        low: z.number(),
        high: z.number(),
      }),
    ),
  }),
  /** In words (zh and en), how much the result rests on assumptions. */
  verdict: z.object({
    level: z.enum(['observed', 'partly', 'assumed']),
    text: z.object({ zh: z.string(), en: z.string() }),
  }),
  whereToAct: z.array(
    z.object({
      pointId: z.number().int(),
      name: z.string(),
      type: z.string(),
      /** The point's expected score: its state, or if never visited the one assumed for it. */
      score: z.number(),
      assumed: z.boolean(),
      gain: z.number(),
      visits: z.number().int(),
      openProblems: z.number().int(),
      unit: ZUnitRefSchema.nullable(),
    }),
  ),
  ms: z.object({ load: z.number(), simulate: z.number() }),
  /** The running campaign's projected standing beside the field simulation (null: none). */
  outlook: ZOutlookSchema.nullable(),
});
export type TMockEvaluation = z.infer<typeof ZMockEvaluationSchema>;
