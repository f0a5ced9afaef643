import { DOSSIER_STATES, EVIDENCE_GRADES } from '../frameworks/evidence.js';
import { ZIdValueSchema, ZYearValueSchema } from './common.js';
import { z } from './zod-setup.js';

// 档案资料: dossiers per standard and cycle year, their files, review and completeness.

const ZDate = z.iso.date();

export const ZDossierParamsSchema = z.object({
  frameworkId: z.coerce.number().int().positive(),
  year: ZYearValueSchema,
  standardKey: z.string().min(1).max(100),
});

/** A file of a dossier: `…/:standardKey/files/:fileId`. */
export const ZDossierFileParamsSchema = ZDossierParamsSchema.extend({ fileId: ZIdValueSchema });

export const ZEvidenceListQuerySchema = z.object({
  frameworkId: z.coerce.number().int().positive(),
  year: ZYearValueSchema,
  state: z.enum(DOSSIER_STATES).optional(),
  unitId: z.coerce.number().int().positive().optional(),
  itemKey: z.string().max(100).optional(),
  /** 攻坚组: only the standards the working group owns. */
  groupId: z.coerce.number().int().positive().optional(),
});

/** GET /api/evidence/summary: the list's framework, year and working group. */
export const ZEvidenceSummaryQuerySchema = ZEvidenceListQuerySchema.pick({
  frameworkId: true,
  year: true,
  groupId: true,
});

export const ZEvidenceRowSchema = z.object({
  standardKey: z.string(),
  code: z.string(),
  text: z.string(),
  itemKey: z.string(),
  itemText: z.string(),
  maxScore: z.number(),
  evidence: z.array(z.string()),
  units: z.array(z.object({ id: z.number().int(), name: z.string() })),
  dossierId: z.number().int().nullable(),
  state: z.enum(DOSSIER_STATES),
  grade: z.enum(EVIDENCE_GRADES).nullable(),
  files: z.number().int(),
  submittedAt: z.string().nullable(),
  /** What the dossier earns: grade share × max score × indicator compliance. */
  earned: z.number(),
  /** The indicator compliance share (硬性指标) applied to `earned`; null when it has none. */
  compliance: z.number().nullable(),
});
export type TEvidenceRow = z.infer<typeof ZEvidenceRowSchema>;
export const ZEvidenceRowsSchema = z.array(ZEvidenceRowSchema);

export const ZEvidenceFileSchema = z.object({
  id: z.number().int(),
  fileId: z.string(),
  url: z.string(),
  mime: z.string(),
  size: z.number().int(),
  /** Audio and video: the length from the file's movie header (null: unknown, or not media). */
  durationMs: z.number().int().nullable(),
  /** A video's poster frame (full size and thumbnail); null: none yet. */
  posterUrl: z.string().nullable(),
  posterThumbUrl: z.string().nullable(),
  title: z.string(),
  docDate: z.string(),
  unitName: z.string().nullable(),
  uploadedBy: z.string().nullable(),
  createdAt: z.string(),
});

export const ZEvidenceEventSchema = z.object({
  action: z.string(),
  grade: z.string().nullable(),
  comment: z.string().nullable(),
  actorName: z.string(),
  at: z.string(),
});

export const ZDossierSchema = z.object({
  frameworkId: z.number().int(),
  year: z.number().int(),
  standard: ZEvidenceRowSchema,
  id: z.number().int().nullable(),
  state: z.enum(DOSSIER_STATES),
  statement: z.string(),
  grade: z.enum(EVIDENCE_GRADES).nullable(),
  reviewComment: z.string().nullable(),
  returnCount: z.number().int(),
  version: z.number().int(),
  files: z.array(ZEvidenceFileSchema),
  timeline: z.array(ZEvidenceEventSchema),
  window: z.object({
    testDate: z.string(),
    from: z.string(),
    to: z.string(),
    assumed: z.boolean(),
  }),
  /**
   * What the signed-in user may do now. `poster`: set a video's poster frame (the office at any
   * time; the units working on the standard while the dossier can be edited).
   */
  can: z.object({
    upload: z.boolean(),
    submit: z.boolean(),
    review: z.boolean(),
    poster: z.boolean(),
  }),
});
export type TDossier = z.infer<typeof ZDossierSchema>;

export const ZStatementInputSchema = z.object({
  statement: z
    .string()
    .trim()
    .max(500, '申报说明不能超过 500 字 / the statement is at most 500 characters'),
  version: z.number().int().min(0),
});

export const ZSubmitDossierSchema = z.object({ version: z.number().int().min(1) });

export const ZReviewDossierSchema = z
  .object({
    action: z.enum(['return', 'approve']),
    grade: z.enum(EVIDENCE_GRADES).optional(),
    comment: z.string().trim().max(1000).optional(),
    version: z.number().int().min(1),
  })
  .refine((v) => v.action !== 'return' || (v.comment && v.comment.length > 0), {
    message: '退回须填写意见 / a return needs a comment',
    path: ['comment'],
  })
  .refine((v) => v.action !== 'approve' || v.grade !== undefined, {
    message: '通过须评定等级 / an approval needs a grade',
    path: ['grade'],
  });

export const ZUploadFieldsSchema = z.object({
  docDate: ZDate,
  title: z.string().trim().min(1).max(200).optional(),
});

const ZTally = z.object({
  standards: z.number().int(),
  submitted: z.number().int(),
  approved: z.number().int(),
  returned: z.number().int(),
  missing: z.number().int(),
  maxScore: z.number(),
  projectedScore: z.number(),
});

export const ZEvidenceSummarySchema = z.object({
  total: ZTally,
  items: z.array(ZTally.extend({ key: z.string(), code: z.string(), text: z.string() })),
  units: z.array(ZTally.extend({ unitId: z.number().int().nullable(), name: z.string() })),
  window: ZDossierSchema.shape.window,
});
export type TEvidenceSummary = z.infer<typeof ZEvidenceSummarySchema>;

export const ZEvidenceRulesSchema = z.object({
  gradeShares: z.object({
    A: z.number().min(0).max(1),
    B: z.number().min(0).max(1),
    C: z.number().min(0).max(1),
    D: z.number().min(0).max(1),
  }),
  windowMonths: z.number().int().min(1).max(36),
  gapMonths: z.number().int().min(0).max(12),
  testDates: z.record(z.string().regex(/^\d{4}$/), ZDate),
});

export const ZEvidenceSettingsSchema = z.object({
  campaignId: z.number().int(),
  rules: ZEvidenceRulesSchema,
  version: z.number().int(),
});
export const ZEvidenceSettingsInputSchema = z.object({
  rules: ZEvidenceRulesSchema,
  version: z.number().int().min(0),
});
