import { createHash, randomUUID } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import type { Database } from '../../db/client.js';
import { insertFile } from './files.repo.js';
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

const brokenPdf = () =>
  new AppError('invalid_pdf', 415, {
    zh: 'PDF 文件结构不完整（缺少交叉引用表或文件结束标记），请重新导出后上传',
    en: 'the PDF is incomplete (no cross-reference table or end-of-file marker); export it again and upload',
  });

const brokenOffice = () =>
  new AppError('invalid_office_file', 415, {
    zh: 'Office 文件已损坏或不是标准格式（docx、xlsx、pptx），请另存后上传',
    en: 'the Office file is damaged or not a standard docx, xlsx or pptx; save it again and upload',
  });

const markup = () =>
  new AppError('unsafe_content', 415, {
    zh: '文件内容含有网页或脚本代码，不能作为档案资料上传',
    en: 'the file contains web page or script code and cannot be uploaded as a document',
  });

/** One entry of a ZIP's central directory. */
interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * The entries of a ZIP's central directory, or null when it is not a well-formed ZIP: the end
 * record, every central record and the local header each one points at must be where they say.
 */
export function zipEntries(data: Buffer): ZipEntry[] | null {
  if (data.length < 22) return null;
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
  if (count === 0) return null;
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    const e: ZipEntry = {
      name: data.toString('utf8', p + 46, p + 46 + nameLen),
      method: data.readUInt16LE(p + 10),
      compressedSize: data.readUInt32LE(p + 20),
      size: data.readUInt32LE(p + 24),
      localOffset: data.readUInt32LE(p + 42),
    };
    if (e.localOffset + 30 > data.length || data.readUInt32LE(e.localOffset) !== 0x04034b50) {
      return null;
    }
    entries.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The names in a ZIP's central directory (enough to tell the Office formats apart). */
export function zipEntryNames(data: Buffer): string[] | null {
  return zipEntries(data)?.map((e) => e.name) ?? null;
}

/** The bytes of a small entry (stored or deflated, at most 1 MiB unpacked), or null. */
function zipEntryData(data: Buffer, e: ZipEntry): Buffer | null {
  const MAX = 1024 * 1024;
  if (e.size > MAX) return null;
  const nameLen = data.readUInt16LE(e.localOffset + 26);
  const extraLen = data.readUInt16LE(e.localOffset + 28);
  const start = e.localOffset + 30 + nameLen + extraLen;
  const packed = data.subarray(start, start + e.compressedSize);
  if (packed.length !== e.compressedSize) return null;
  try {
    if (e.method === 0) return packed;
    if (e.method === 8) return inflateRawSync(packed, { maxOutputLength: MAX });
  } catch {
    return null;
  }
  return null;
}

/** OOXML: the main part and the content type [Content_Types].xml must declare for it. */
const OOXML: { part: string; contentType: string; type: DocType }[] = [
  {
    part: 'word/document.xml',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
    type: DOCX,
  },
  {
    part: 'xl/workbook.xml',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
    type: XLSX,
  },
  {
    part: 'ppt/presentation.xml',
    contentType:
      'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
    type: PPTX,
  },
];

/**
 * A PDF: the `%PDF-` header, `%%EOF` within the last KiB, and a `startxref` offset that points at
 * a cross-reference table or stream (`xref`, or `n g obj`) inside the file.
 */
export function isWellFormedPdf(data: Buffer): boolean {
  if (data.subarray(0, 5).toString('latin1') !== '%PDF-') return false;
  if (!data.subarray(-1024).toString('latin1').includes('%%EOF')) return false;
  const tail = data.subarray(-2048).toString('latin1');
  const found = [...tail.matchAll(/startxref\s+(\d{1,12})\s+%%EOF/g)].pop();
  if (!found) return false;
  const offset = Number(found[1]);
  if (offset <= 0 || offset >= data.length) return false;
  const at = data.subarray(offset, offset + 64).toString('latin1');
  return /^\s*(xref\b|\d+\s+\d+\s+obj\b)/.test(at);
}

/** Web page or script markup at the start of a file: what a browser might run if it sniffed. */
export function looksLikeMarkup(data: Buffer): boolean {
  const head = data.subarray(0, 1024).toString('latin1').toLowerCase();
  return [
    '<html',
    '<script',
    '<!doctype html',
    '<svg',
    '<iframe',
    '<body',
    '<?xml-stylesheet',
  ].some((m) => head.includes(m));
}

/**
 * The document type of the bytes, or null when they are none we take. A container that is
 * recognised but broken (a PDF without its structure, a ZIP that is not a valid OOXML package) is
 * refused with its own 415.
 */
export function sniffDocument(data: Buffer, filename: string): DocType | null {
  const ext = filename.toLowerCase().split('.').pop() ?? '';
  if (data.length < 8) return null;
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') {
    if (!isWellFormedPdf(data)) throw brokenPdf();
    return PDF;
  }
  if (data.readUInt32LE(0) === 0x04034b50) {
    const entries = zipEntries(data);
    const types = entries?.find((e) => e.name === '[Content_Types].xml');
    if (!entries || !types) throw brokenOffice();
    const xml = zipEntryData(data, types)?.toString('utf8');
    const names = new Set(entries.map((e) => e.name));
    const kind = OOXML.find((k) => names.has(k.part));
    // The main part must be declared with its own type (a macro-enabled xlsm renamed .xlsx is not).
    if (!xml || !kind) throw brokenOffice();
    const type = kind.contentType.replace(/[.+]/g, '\\$&');
    if (!new RegExp(`ContentType\\s*=\\s*["']${type}["']`).test(xml)) throw brokenOffice();
    return kind.type;
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
  // Every document is stored and served as it came: none may carry a web page or a script.
  if (looksLikeMarkup(upload.data)) throw markup();
  const id = randomUUID();
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const storageKey = `documents/${day}/${id}.${type.ext[0]}`;
  await storage.put(storageKey, upload.data, type.mime);
  const row = await withTx(database, (tx) =>
    insertFile(tx, {
      id,
      mime: type.mime,
      size: upload.data.length,
      sha256: createHash('sha256').update(upload.data).digest('hex'),
      storageKey,
      originalName: upload.filename.slice(0, 200),
      uploadedBy: actor.id,
    }),
  );
  return presentFile(row);
}
