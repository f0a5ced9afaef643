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
