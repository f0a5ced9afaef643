import { ZCampaignIdQuerySchema, ZVersionQuerySchema, zItems, zPatchOf } from './common.js';
import { z } from './zod-setup.js';

/** 攻坚组/工作组 and 目标责任书: contracts shared by the API and the web pages. */

export const ZWorkingGroupInputSchema = z.object({
  campaignId: z.number().int().positive(),
  name: z.string().trim().min(2).max(60),
  leaderUserId: z.number().int().positive().nullish(),
  unitIds: z.array(z.number().int().positive()).max(200).default([]),
  standards: z
    .array(z.object({ frameworkId: z.number().int().positive(), standardKey: z.string().min(1) }))
    .max(2000)
    .default([]),
});
export type TWorkingGroupInput = z.input<typeof ZWorkingGroupInputSchema>;

export const ZWorkingGroupUpdateSchema = zPatchOf(
  ZWorkingGroupInputSchema.omit({ campaignId: true }),
).extend({ version: z.number().int().positive() });

export const ZWorkingGroupSchema = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  name: z.string(),
  leaderUserId: z.number().int().nullable(),
  leaderName: z.string().nullable(),
  units: z.array(z.object({ id: z.number().int(), name: z.string() })),
  standards: z.array(z.object({ frameworkId: z.number().int(), standardKey: z.string() })),
  version: z.number().int(),
});
export type TWorkingGroup = z.infer<typeof ZWorkingGroupSchema>;
export const ZWorkingGroupListSchema = zItems(ZWorkingGroupSchema);

export const ZPledgeSchema = z.object({
  campaignId: z.number().int(),
  campaignName: z.string(),
  unitId: z.number().int(),
  unitName: z.string(),
  status: z.enum(['unsigned', 'signed']),
  signedFileId: z.string().nullable(),
  signedByName: z.string().nullable(),
  signedAt: z.string().nullable(),
  version: z.number().int(),
  assignments: z.array(
    z.object({
      frameworkName: z.string(),
      standardCode: z.string(),
      standardText: z.string(),
      maxScore: z.number(),
      role: z.enum(['lead', 'responsible']),
      leaderName: z.string().nullable(),
      due: z.string().nullable(),
    }),
  ),
  indicators: z.array(
    z.object({ name: z.string(), target: z.string(), standardCode: z.string().nullable() }),
  ),
});
export type TPledge = z.infer<typeof ZPledgeSchema>;

/** The signed scan's upload (multipart): which campaign's 目标责任书, and the version read. */
export const ZPledgeScanQuerySchema = ZCampaignIdQuerySchema.extend(ZVersionQuerySchema.shape);

export const ZPledgeSignSchema = z.object({
  campaignId: z.number().int().positive(),
  fileId: z.uuid(),
  version: z.number().int().positive(),
});
