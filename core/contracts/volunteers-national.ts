import { layoutProblems, NATIONAL_SHEETS } from '../volunteers/national-layout.js';
import { ZRowErrorSchema } from './common.js';
import { ZVolunteerExportQuerySchema } from './volunteers.js';
import { z } from './zod-setup.js';

// 实名 and the 全国志愿服务信息系统: the layout of the national export, the export's query, the
// hours import's preview and result, a revealed ID number (docs/volunteers-national-export.md).

export const ZNationalColumnSchema = z.object({
  header: z.string().trim().min(1).max(40),
  field: z.string().trim().min(1).max(40),
  format: z.string().trim().min(1).max(20).optional(),
  value: z.string().trim().max(100).optional(),
});

const sheetColumns = z.array(ZNationalColumnSchema).min(1).max(40);

/** The office's layout: per sheet, its columns in order (validated against the field catalogue). */
export const ZNationalLayoutSchema = z
  .object({ volunteers: sheetColumns, activities: sheetColumns, hours: sheetColumns })
  .superRefine((layout, ctx) => {
    for (const p of layoutProblems(layout)) {
      ctx.addIssue({ code: 'custom', path: p.path, message: `${p.zh} / ${p.en}` });
    }
  });
export type TNationalLayoutInput = z.infer<typeof ZNationalLayoutSchema>;

/** The layout in use, and whether it is the office's own or the (assumed) default. */
export const ZNationalLayoutStateSchema = z.object({
  layout: ZNationalLayoutSchema,
  isDefault: z.boolean(),
});

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式为 2026-03-01 / a date as 2026-03-01');

/**
 * One sheet of the national export: the registry (实名 volunteers only, the list's filters), the
 * activities, or the hours; activities and hours of the days [from, to] (Asia/Shanghai), by start.
 */
export const ZNationalExportQuerySchema = ZVolunteerExportQuerySchema.omit({
  realName: true,
}).extend({
  kind: z.enum(NATIONAL_SHEETS),
  from: day.optional(),
  to: day.optional(),
});
export type TNationalExportQuery = z.infer<typeof ZNationalExportQuerySchema>;

/** `skipBadRows=true`: import the rows without problems, leave the others (they are listed). */
export const ZNationalImportQuerySchema = z.object({
  skipBadRows: z.enum(['true', 'false']).optional(),
});

export const NATIONAL_ROW_STATUSES = ['new', 'duplicate', 'platform', 'error'] as const;
export type TNationalRowStatus = (typeof NATIONAL_ROW_STATUSES)[number];

/** What importing a sheet of national hours would do, row by row (nothing is written). */
export const ZNationalHoursPreviewSchema = z.object({
  sheetName: z.string(),
  headerRow: z.number().int(),
  /** Rows by what would happen: imported, already imported, recorded here already, refused. */
  counts: z.object({
    new: z.number().int(),
    duplicate: z.number().int(),
    platform: z.number().int(),
    error: z.number().int(),
  }),
  /** The minutes the new rows add. */
  newMinutes: z.number().int(),
  /** Every refused row's problems (row as Excel numbers it, the column's header, zh / en). */
  errors: z.array(ZRowErrorSchema),
  /** The rows as read (at most 500; `truncated` when there were more). */
  rows: z.array(
    z.object({
      row: z.number().int(),
      status: z.enum(NATIONAL_ROW_STATUSES),
      name: z.string(),
      /** The sheet's ID number, masked. */
      idNumberMasked: z.string().nullable(),
      activity: z.string(),
      date: z.string().nullable(),
      minutes: z.number().int().nullable(),
      recordId: z.string().nullable(),
      volunteerId: z.number().int().nullable(),
      volunteerName: z.string().nullable(),
    }),
  ),
  truncated: z.boolean(),
});
export type TNationalHoursPreview = z.infer<typeof ZNationalHoursPreviewSchema>;

export const ZNationalHoursImportResultSchema = z.object({
  imported: z.number().int(),
  /** Already imported (the same record again): nothing added. */
  duplicates: z.number().int(),
  /** Already recorded on this platform (our own hours come back): nothing added. */
  platform: z.number().int(),
  /** Rows left out for their problems (`skipBadRows=true`). */
  skipped: z.number().int(),
  minutes: z.number().int(),
});
export type TNationalHoursImportResult = z.infer<typeof ZNationalHoursImportResultSchema>;

/** A volunteer's ID number in full (holders of volunteer.realname; audited). */
export const ZRevealedIdNumberSchema = z.object({ idNumber: z.string() });
