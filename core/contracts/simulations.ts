import {
  ANSWER_QUALITIES,
  CHECK_REASONS,
  CHECK_VERDICTS,
  DEFAULT_MAX_RINGS,
} from '../inspection/simulation.js';
import { ZIdValueSchema, ZVersionSchema } from './common.js';
import { z } from './zod-setup.js';

/** 实景模拟验证: targets (what to call) and checks (the calls made), shared by the API and the web. */

const ZText = (max: number) => z.string().trim().max(max);

export const ZSimulationTargetInputSchema = z.object({
  frameworkId: z.number().int().positive(),
  standardKey: z.string().trim().min(1).max(100),
  name: ZText(100).min(2),
  /** The number to dial (12348, 0571-12315…) or the address to visit. */
  contact: ZText(200).min(3),
  unitId: z.number().int().positive(),
  /** Rings allowed before a person answers; null: not judged. Default DEFAULT_MAX_RINGS. */
  maxRings: z.number().int().min(1).max(30).nullable().default(DEFAULT_MAX_RINGS),
  requireCorrect: z.boolean().default(true),
  /** Working days a promised call-back may take; null: not judged. */
  callbackDays: z.number().int().min(1).max(60).nullable().default(null),
  script: ZText(500).nullish(),
});
export type TSimulationTargetInput = z.input<typeof ZSimulationTargetInputSchema>;

export const ZSimulationTargetUpdateSchema = z.object({
  name: ZText(100).min(2).optional(),
  contact: ZText(200).min(3).optional(),
  unitId: z.number().int().positive().optional(),
  maxRings: z.number().int().min(1).max(30).nullable().optional(),
  requireCorrect: z.boolean().optional(),
  callbackDays: z.number().int().min(1).max(60).nullable().optional(),
  script: ZText(500).nullable().optional(),
  /** A retired target keeps its checks but is no longer offered for new calls. */
  active: z.boolean().optional(),
  version: ZVersionSchema,
});
export type TSimulationTargetUpdate = z.infer<typeof ZSimulationTargetUpdateSchema>;

const ZMsg = z.object({ zh: z.string(), en: z.string() });

export const ZSimulationTargetSchema = z.object({
  id: z.number().int(),
  frameworkId: z.number().int(),
  standardKey: z.string(),
  /** The standard's code and text in the version in force (null when it no longer exists there). */
  standardCode: z.string().nullable(),
  standardText: z.string().nullable(),
  name: z.string(),
  contact: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  maxRings: z.number().int().nullable(),
  requireCorrect: z.boolean(),
  callbackDays: z.number().int().nullable(),
  script: z.string().nullable(),
  active: z.boolean(),
  /** The pass criteria in words. */
  criteria: ZMsg,
  version: z.number().int(),
});
export type TSimulationTarget = z.infer<typeof ZSimulationTargetSchema>;

export const ZSimulationTargetListQuerySchema = z.object({
  frameworkId: ZIdValueSchema.optional(),
});
export const ZSimulationTargetListSchema = z.object({ items: z.array(ZSimulationTargetSchema) });

/** What a caller records; the cross-field rules are in `checkCallRules` (shared with corrections). */
const callFields = {
  roundId: z.number().int().positive().nullish(),
  calledAt: z.iso.datetime({ offset: true }),
  /** Who called; the recorder's name when left out. */
  callerName: ZText(50).min(1).optional(),
  answered: z.boolean(),
  /** Rings heard before a person answered. */
  rings: z.number().int().min(0).max(100).nullish(),
  /** Seconds waited before a person answered (the form's timer). */
  waitSeconds: z.number().int().min(0).max(3600).nullish(),
  answer: z.enum(ANSWER_QUALITIES).nullish(),
  callbackPromised: z.boolean().nullish(),
  /** The promised call-back came within the limit (true) or not (false); empty while awaited. */
  callbackOnTime: z.boolean().nullish(),
  notes: ZText(1000).nullish(),
  /** Evidence (a screenshot of the call log…), uploaded with POST /api/files first. */
  fileIds: z.array(z.uuid()).max(3).optional(),
};

type CallShape = {
  answered: boolean;
  answer?: string | null | undefined;
  rings?: number | null | undefined;
  waitSeconds?: number | null | undefined;
  callbackPromised?: boolean | null | undefined;
  callbackOnTime?: boolean | null | undefined;
};

/** Cross-field rules of a call: nothing about an answer that did not come. */
function checkCallRules(v: CallShape, ctx: z.RefinementCtx) {
  const issue = (path: string, zh: string, en: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message: `${zh} / ${en}` });
  if (!v.answered) {
    if (v.answer != null) issue('answer', '未接通时不填写答复情况', 'no answer when not answered');
    if (v.rings != null || v.waitSeconds != null) {
      issue('rings', '未接通时不填写接通时间', 'no wait when not answered');
    }
    if (v.callbackPromised != null) {
      issue('callbackPromised', '未接通时不会承诺回复', 'no call-back when not answered');
    }
  }
  if (v.callbackOnTime != null && v.callbackPromised !== true) {
    issue(
      'callbackOnTime',
      '只有承诺回复时才记录是否按时回复',
      'record the call-back only when one was promised',
    );
  }
}

export const ZSimulationCheckInputSchema = z
  .object({
    clientId: z.uuid(),
    targetId: z.number().int().positive(),
    ...callFields,
    /** Register a failed check as a problem dispatched to the target's unit (default yes). */
    raiseProblem: z.boolean().default(true),
  })
  .superRefine(checkCallRules);
export type TSimulationCheckInput = z.input<typeof ZSimulationCheckInputSchema>;

export const ZSimulationCheckCorrectionSchema = z
  .object({
    ...callFields,
    raiseProblem: z.boolean().default(true),
    /** Why the record is corrected (kept in the audit log). */
    reason: ZText(200).min(2),
    version: ZVersionSchema,
  })
  .superRefine(checkCallRules);
export type TSimulationCheckCorrection = z.input<typeof ZSimulationCheckCorrectionSchema>;

export const ZSimulationCheckSchema = z.object({
  id: z.number().int(),
  targetId: z.number().int(),
  targetName: z.string(),
  frameworkId: z.number().int(),
  standardKey: z.string(),
  standardCode: z.string().nullable(),
  unitId: z.number().int(),
  unitName: z.string(),
  roundId: z.number().int().nullable(),
  roundName: z.string().nullable(),
  calledAt: z.string(),
  callerName: z.string(),
  recordedBy: z.string().nullable(),
  /** The recorder may correct their own checks; the office any. */
  recordedById: z.number().int().nullable(),
  answered: z.boolean(),
  rings: z.number().int().nullable(),
  waitSeconds: z.number().int().nullable(),
  answer: z.enum(ANSWER_QUALITIES).nullable(),
  callbackPromised: z.boolean().nullable(),
  callbackOnTime: z.boolean().nullable(),
  notes: z.string().nullable(),
  fileIds: z.array(z.string()),
  verdict: z.enum(CHECK_VERDICTS),
  /** 1, 0.5 or 0; null while a call-back is awaited. */
  value: z.number().nullable(),
  reasons: z.array(z.enum(CHECK_REASONS)),
  callbackDue: z.string().nullable(),
  problemId: z.number().int().nullable(),
  problemCode: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type TSimulationCheck = z.infer<typeof ZSimulationCheckSchema>;

export const ZSimulationCheckListQuerySchema = z.object({
  frameworkId: ZIdValueSchema.optional(),
  targetId: ZIdValueSchema.optional(),
  /** The checks of one inspection round. */
  roundId: ZIdValueSchema.optional(),
  /** The checks made in a calendar year (Asia/Shanghai); this year when neither this nor a round. */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export type TSimulationCheckListQuery = z.infer<typeof ZSimulationCheckListQuerySchema>;

/** A standard's checks in the list's round or year, and the share they give it. */
export const ZSimulationStandardSchema = z.object({
  frameworkId: z.number().int(),
  standardKey: z.string(),
  standardCode: z.string().nullable(),
  standardText: z.string().nullable(),
  checks: z.number().int(),
  passed: z.number().int(),
  partial: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  share: z.number().nullable(),
});
export type TSimulationStandard = z.infer<typeof ZSimulationStandardSchema>;

export const ZSimulationCheckListSchema = z.object({
  items: z.array(ZSimulationCheckSchema),
  standards: z.array(ZSimulationStandardSchema),
});
export type TSimulationCheckList = z.infer<typeof ZSimulationCheckListSchema>;
