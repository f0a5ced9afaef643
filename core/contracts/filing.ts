import { DOSSIER_STATES } from '../frameworks/evidence.js';
import { FILING_TEMPLATES } from '../frameworks/filing.js';
import { ZYearValueSchema } from './common.js';
import { z } from './zod-setup.js';

// 网上申报: the completeness of a year's filing and the package (a ZIP) the office uploads.

const ZEdition = z
  .string()
  .refine((e) => e in FILING_TEMPLATES, { message: 'unknown edition / 未知的模板版本' });

export const ZFilingYearParamSchema = z.object({ year: ZYearValueSchema });

export const ZFilingQuerySchema = z.object({
  frameworkId: z.coerce.number().int().positive(),
  /** The template (folder and file names, form columns); the default edition when absent. */
  edition: ZEdition.optional(),
});
export type TFilingQuery = z.infer<typeof ZFilingQuerySchema>;

const ZCounts = z.object({
  standards: z.number().int(),
  complete: z.number().int(),
  missingFiles: z.number().int(),
  missingStatement: z.number().int(),
  filed: z.number().int(),
  outsideWindow: z.number().int(),
  unapproved: z.number().int(),
  bytes: z.number().int(),
});
export type TFilingCounts = z.infer<typeof ZCounts>;

export const ZFilingStandardSchema = z.object({
  key: z.string(),
  code: z.string(),
  text: z.string(),
  itemKey: z.string(),
  itemCode: z.string(),
  itemText: z.string(),
  leadUnits: z.array(z.object({ id: z.number().int(), name: z.string() })),
  state: z.enum(DOSSIER_STATES),
  folder: z.string(),
  filed: z.number().int(),
  outsideWindow: z.number().int(),
  unapproved: z.number().int(),
  hasStatement: z.boolean(),
  missingFiles: z.boolean(),
  complete: z.boolean(),
  /** Bytes of the files that go into the package. */
  bytes: z.number().int(),
});
export type TFilingStandard = z.infer<typeof ZFilingStandardSchema>;

export const ZFilingCompletenessSchema = z.object({
  frameworkId: z.number().int(),
  year: z.number().int(),
  edition: z.string(),
  window: z.object({
    testDate: z.string(),
    from: z.string(),
    to: z.string(),
    assumed: z.boolean(),
  }),
  total: ZCounts,
  items: z.array(ZCounts.extend({ key: z.string(), code: z.string(), text: z.string() })),
  /** Per lead unit (a standard led by two counts for each; none: `unitId` null). */
  units: z.array(ZCounts.extend({ unitId: z.number().int().nullable(), name: z.string() })),
  standards: z.array(ZFilingStandardSchema),
  editions: z.array(z.object({ edition: z.string(), zh: z.string(), en: z.string() })),
});
export type TFilingCompleteness = z.infer<typeof ZFilingCompletenessSchema>;
