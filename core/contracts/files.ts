import { z } from './zod-setup.js';

// Photo and document uploads (server/modules/files).

/** An uploaded photo: re-encoded, with a thumbnail; the EXIF time and GPS position when it had them. */
export const ZUploadedFileSchema = z.object({
  id: z.string(),
  url: z.string(),
  thumbUrl: z.string(),
  mime: z.string(),
  size: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  takenAt: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
});
export type TUploadedFile = z.infer<typeof ZUploadedFileSchema>;

/** `/api/files/:id`: the file's id (a UUID; longer ids are refused before the lookup). */
export const ZFileIdParamSchema = z.object({ id: z.string().max(40) });

/**
 * A signed, expiring photo link (`/api/public/files/:id?exp=&sig=`), handed to outside systems
 * (the 12345 hotline's result) that have no session: `exp` in unix seconds, `sig` the link's
 * HMAC-SHA256 in base64url.
 */
export const ZFileLinkQuerySchema = z.object({
  exp: z.coerce.number().int().positive(),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
