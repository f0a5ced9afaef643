import { z } from './zod-setup.js';

/** A numeric id as a path or a query string carries it (`/api/units/7`, `?campaignId=3`). */
export const ZIdValueSchema = z.coerce.number().int().positive();

/** Numeric id in a path such as `/api/units/:id`. */
export const ZIdParamSchema = z.object({ id: ZIdValueSchema });
export type TIdParam = z.infer<typeof ZIdParamSchema>;

/** A campaign's id in a path such as `/api/evidence/settings/:campaignId`. */
export const ZCampaignIdParamSchema = z.object({ campaignId: ZIdValueSchema });

/** `?campaignId=` a route needs. */
export const ZCampaignIdQuerySchema = z.object({ campaignId: ZIdValueSchema });
export type TCampaignIdQuery = z.infer<typeof ZCampaignIdQuerySchema>;

/** `?campaignId=` that narrows a list when given. */
export const ZOptionalCampaignIdQuerySchema = z.object({ campaignId: ZIdValueSchema.optional() });

/** A cycle year (测评年度) as a path or a query string carries it. */
export const ZYearValueSchema = z.coerce.number().int().min(2000).max(2100);

/** `/:year` in a path. */
export const ZYearParamSchema = z.object({ year: ZYearValueSchema });

/** Keyset pagination query shared by every list. */
export const ZPageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
});

/** A page of a keyset-paginated list. */
export function zPage<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
    total: z.number().int(),
  });
}

/** A whole list, not paged: `{ items: [...] }`. */
export function zItems<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

export const ZFieldErrorSchema = z.object({
  path: z.string(),
  message: z.string(),
});

/** Body of every 4xx/5xx answer. `message` is in the request's language; both are always given. */
export const ZErrorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    messageZh: z.string(),
    messageEn: z.string(),
    fields: z.array(ZFieldErrorSchema).optional(),
    rows: z
      .array(z.object({ row: z.number().int(), column: z.string(), reason: z.string() }))
      .optional(),
  }),
});
export type TErrorResponse = z.infer<typeof ZErrorResponseSchema>;

/** Optimistic concurrency: every update names the version it was based on. */
export const ZVersionSchema = z.number().int().min(1);

/** `?version=` of a delete: the rule of ZVersionSchema, read from the query string. */
export const ZVersionQuerySchema = z.object({ version: z.coerce.number().int().min(1) });
export type TVersionQuery = z.infer<typeof ZVersionQuerySchema>;

/** The body of a 204 answer: none. */
export const ZNoContentSchema = z.null();

/** The answer of a create that gives back only the new record's id. */
export const ZCreatedIdSchema = z.object({ id: z.number().int() });

export const ZPhoneSchema = z
  .string()
  .trim()
  .regex(
    /^(1\d{10}|0\d{2,3}-?\d{7,8})$/,
    '应为 11 位手机号或座机号 / must be a mobile (11 digits) or landline number',
  );

/** Result of an XLSX import: either everything was imported, or nothing and every bad row. */
export const ZImportResultSchema = z.object({
  imported: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  /** Initial passwords generated for imported users without one (shown once). */
  generatedPasswords: z.array(z.object({ username: z.string(), password: z.string() })).optional(),
  /** Set on a dry run: the counts are what the import would do; nothing was written. */
  dryRun: z.literal(true).optional(),
});
export type TImportResult = z.infer<typeof ZImportResultSchema>;

/** Query of an import route: `dryRun=true` checks the file and counts, then writes nothing. */
export const ZImportQuerySchema = z.object({
  dryRun: z.enum(['true', 'false']).optional(),
});
export type TImportQuery = z.infer<typeof ZImportQuerySchema>;

export const ZRowErrorSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  reason: z.string(),
});
export type TRowError = z.infer<typeof ZRowErrorSchema>;

/** A schema with its default taken off (a field an edit leaves out must stay unset). */
type NoDefault<S> = S extends z.ZodDefault<infer I> ? I : S;

/**
 * The body of an edit: every field of the create schema optional and none defaulted. zod's
 * `.partial()` keeps a field's `.default()`, so an edit that leaves the field out would write the
 * default over the stored value (a volunteer's skills emptied by a phone number change).
 * `scripts/patch-schemas.test.ts` fails on an edit schema that still has a default.
 */
export function zPatchOf<T extends z.ZodRawShape>(
  schema: z.ZodObject<T>,
): z.ZodObject<{ [K in keyof T]: z.ZodOptional<NoDefault<T[K]>> }> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field;
    shape[key] = (inner as z.ZodType).optional();
  }
  return z.object(shape) as never;
}
