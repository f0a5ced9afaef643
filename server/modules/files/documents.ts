import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Database } from '../../db/client.js';
import { files } from '../../db/schema/index.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, errors } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import { presentFile, uploadImage, type TFileInfo } from './files.service.js';

// Documents for archive materials (档案资料): PDF, Office files and images. The type is read from
// the bytes; a name that claims another type (a script renamed .pdf) is refused.

interface DocType {
  ext: string[];
  mime: string;
}

const PDF: DocType = { ext: ['pdf'], mime: 'application/pdf' };
const DOCX: DocType = {
  ext: ['docx'],
  mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};
const XLSX: DocType = {
  ext: ['xlsx'],
  mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
const PPTX: DocType = {
  ext: ['pptx'],
  mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};
const LEGACY: Record<string, DocType> = {
  doc: { ext: ['doc'], mime: 'application/msword' },
  xls: { ext: ['xls'], mime: 'application/vnd.ms-excel' },
  ppt: { ext: ['ppt'], mime: 'application/vnd.ms-powerpoint' },
};

const notDocument = () =>
  new AppError('not_a_document', 415, {
    zh: '只能上传 PDF、Word、Excel、PowerPoint 文件或图片',
    en: 'only PDF, Word, Excel, PowerPoint files or images can be uploaded',
  });

const disguised = (name: string, actual: string) =>
  new AppError('type_mismatch', 415, {
    zh: `文件「${name}」的内容是 ${actual}，与文件名不符`,
    en: `the content of "${name}" is ${actual}, not what its name says`,
  });

/** The names in a ZIP's central directory (enough to tell the Office formats apart). */
export function zipEntryNames(data: Buffer): string[] | null {
  // End of central directory: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  const min = Math.max(0, data.length - 65_557);
  let eocd = -1;
  for (let i = data.length - 22; i >= min; i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = data.readUInt16LE(eocd + 10);
  let p = data.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    names.push(data.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** The document type of the bytes, or null when they are none we take. */
export function sniffDocument(data: Buffer, filename: string): DocType | null {
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') {
    return data.subarray(-1024).toString('latin1').includes('%%EOF') ? PDF : null;
  }
  if (data.readUInt32LE(0) === 0x04034b50) {
    const names = zipEntryNames(data);
    if (!names?.includes('[Content_Types].xml')) return null;
    if (names.includes('word/document.xml')) return DOCX;
    if (names.includes('xl/workbook.xml')) return XLSX;
    if (names.includes('ppt/presentation.xml')) return PPTX;
    return null;
  }
  // OLE compound file (Office 97–2003): the container cannot tell the kind; the name does.
  if (data.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    return LEGACY[ext] ?? null;
  }
  return null;
}

async function isImage(data: Buffer): Promise<boolean> {
  try {
    const meta = await sharp(data, { failOn: 'error' }).metadata();
    return Boolean(meta.format);
  } catch {
    return false;
  }
}

/**
 * Stores an evidence document as it is (documents are not re-encoded); images go through the
 * photo path (re-encoded, EXIF kept). Refuses anything else, and names that lie about the type.
 */
export async function uploadDocument(
  database: Database,
  storage: FileStorage,
  actor: Actor,
  upload: { data: Buffer; filename: string },
): Promise<TFileInfo> {
  if (actor.id === null) throw errors.unauthenticated();
  if (upload.data.length < 8) throw notDocument();
  const ext = upload.filename.toLowerCase().split('.').pop() ?? '';
  const type = sniffDocument(upload.data, upload.filename);
  if (!type) {
    if (await isImage(upload.data)) {
      if (['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx'].includes(ext))
        throw disguised(upload.filename, 'image');
      return uploadImage(database, storage, actor, upload);
    }
    throw notDocument();
  }
  if (!type.ext.includes(ext)) throw disguised(upload.filename, type.ext[0]!.toUpperCase());
  const id = randomUUID();
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const storageKey = `documents/${day}/${id}.${type.ext[0]}`;
  await storage.put(storageKey, upload.data, type.mime);
  const row = await withTx(database, async (tx) => {
    const [r] = await tx
      .insert(files)
      .values({
        id,
        mime: type.mime,
        size: upload.data.length,
        sha256: createHash('sha256').update(upload.data).digest('hex'),
        storageKey,
        originalName: upload.filename.slice(0, 200),
        uploadedBy: actor.id,
      })
      .returning();
    return r!;
  });
  return presentFile(row);
}
