import { z } from './zod-setup.js';

/** Numeric id in a path such as `/api/units/:id`. */
export const ZIdParamSchema = z.object({ id: z.coerce.number().int().positive() });
export type TIdParam = z.infer<typeof ZIdParamSchema>;

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
