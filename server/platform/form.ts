import type { FastifyRequest } from 'fastify';
import { normaliseText } from './input-text.js';

/** One uploaded file of a multipart form. */
export interface FormFile {
  field: string;
  data: Buffer;
  /** The client's file name, under the text rule (NUL refused, controls dropped). */
  filename: string;
}

/**
 * Reads a whole multipart form: its text fields and its files, in memory (each file is capped by
 * UPLOAD_LIMIT_BYTES). Field values and file names go through the same text rule as JSON bodies
 * (platform/input-text.ts), which the global hook cannot apply: a form is read by the handler.
 */
export async function readForm(
  req: FastifyRequest,
  opts: { maxFiles?: number } = {},
): Promise<{ fields: Record<string, string>; files: FormFile[] }> {
  const fields: Record<string, string> = {};
  const files: FormFile[] = [];
  const parts = req.parts(opts.maxFiles ? { limits: { files: opts.maxFiles } } : undefined);
  for await (const part of parts) {
    if (part.type === 'file') {
      files.push({
        field: part.fieldname,
        data: await part.toBuffer(),
        filename: uploadName(part.filename),
      });
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = normaliseText(part.value, `body.${part.fieldname}`);
    }
  }
  return { fields, files };
}

/** A client's file name under the text rule. */
export function uploadName(filename: string): string {
  return normaliseText(filename, 'body.file.filename');
}
