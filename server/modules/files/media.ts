import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Database } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, errors } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import { insertFile } from './files.repo.js';
import { checkImageHeader, presentFile, uploadImage, type TFileInfo } from './files.service.js';
import { Mp4DurationScanner } from './mp4-duration.js';

// Audio and video as archive materials (音视频): MP4, M4A and MP3, recognised by their bytes, taken
// up to their own size limit and written to storage as they arrive (never held in memory whole);
// an MP4's length is read from its movie header on the way. The server decodes no video: a
// video's poster frame is drawn by the uploader's browser (or chosen later) and checked here as
// any image is, then linked to the video (`files.poster_file_id`).

export interface MediaType {
  ext: string[];
  mime: string;
}

const MP4: MediaType = { ext: ['mp4', 'm4v'], mime: 'video/mp4' };
const M4A: MediaType = { ext: ['m4a'], mime: 'audio/mp4' };
const MP3: MediaType = { ext: ['mp3'], mime: 'audio/mpeg' };

/** Audio or video (served streamed, with byte ranges). */
export const isMedia = (mime: string) => mime.startsWith('video/') || mime.startsWith('audio/');

/** How many bytes `sniffMedia` wants to see. */
export const MEDIA_HEAD_BYTES = 64;

/**
 * The media type of a file's first bytes, or null: an ISO-BMFF `ftyp` box (MP4; M4A by its brand;
 * QuickTime is not taken), an ID3 tag or an MPEG audio frame header (MP3).
 */
export function sniffMedia(head: Buffer): MediaType | null {
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp') {
    const brand = head.toString('latin1', 8, 12);
    if (brand === 'qt  ') return null;
    return brand === 'M4A ' || brand === 'M4B ' ? M4A : MP4;
  }
  if (head.length >= 10 && head.toString('latin1', 0, 3) === 'ID3') return MP3;
  // Frame sync (11 bits), MPEG version not reserved, layer III.
  if (head.length >= 4 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) {
    const version = (head[1]! >> 3) & 0x03;
    const layer = (head[1]! >> 1) & 0x03;
    if (version !== 0x01 && layer === 0x01) return MP3;
  }
  return null;
}

/** An upload being received: its first bytes, read, and the rest still to come. */
export interface IncomingUpload {
  filename: string;
  head: Buffer;
  rest: AsyncIterator<Buffer>;
  /** The multipart stream (busboy marks it `truncated` when the size limit cut it). */
  source: Readable & { truncated?: boolean };
}

/** Reads the first bytes of an upload (at least `MEDIA_HEAD_BYTES` unless it is shorter). */
export async function openUpload(
  source: Readable & { truncated?: boolean },
  filename: string,
): Promise<IncomingUpload> {
  const rest = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let n = 0;
  while (n < MEDIA_HEAD_BYTES) {
    const next = await rest.next();
    if (next.done) break;
    chunks.push(next.value);
    n += next.value.length;
  }
  return { filename, head: Buffer.concat(chunks), rest, source };
}

const tooLarge = (limit: number) =>
  new AppError('file_too_large', 413, {
    zh: `文件过大：不能超过 ${Math.floor(limit / 1024 / 1024)} MB`,
    en: `the file is too large: at most ${Math.floor(limit / 1024 / 1024)} MB`,
  });

/** The whole upload in memory, for documents (capped by `limit`: 413 beyond it). */
export async function uploadBytes(u: IncomingUpload, limit: number): Promise<Buffer> {
  const chunks = [u.head];
  let n = u.head.length;
  for (;;) {
    const next = await u.rest.next();
    if (next.done) break;
    n += next.value.length;
    if (n > limit) throw tooLarge(limit);
    chunks.push(next.value);
  }
  if (u.source.truncated || n > limit) throw tooLarge(limit);
  return Buffer.concat(chunks);
}

const disguised = (name: string, actual: string) =>
  new AppError('type_mismatch', 415, {
    zh: `文件「${name}」的内容是 ${actual}，与文件名不符`,
    en: `the content of "${name}" is ${actual}, not what its name says`,
  });

/**
 * Stores an audio or video file as it streams in: hashed and counted on the way, refused (and
 * removed) when the name lies about the type or the multipart limit cut it short.
 */
export async function uploadMedia(
  database: Database,
  storage: FileStorage,
  actor: Actor,
  u: IncomingUpload,
  type: MediaType,
  limit: number,
  opts: { posterFileId?: string | null } = {},
): Promise<TFileInfo> {
  if (actor.id === null) throw errors.unauthenticated();
  const ext = u.filename.toLowerCase().split('.').pop() ?? '';
  if (!type.ext.includes(ext)) throw disguised(u.filename, type.ext[0]!.toUpperCase());
  const id = randomUUID();
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const storageKey = `media/${day}/${id}.${type.ext[0]}`;
  const hash = createHash('sha256');
  // MP4 and M4A carry their length in the movie header; an MP3 says it nowhere simple.
  const boxes = type === MP3 ? null : new Mp4DurationScanner();
  let size = 0;
  async function* body() {
    hash.update(u.head);
    boxes?.push(u.head);
    size += u.head.length;
    yield u.head;
    for (;;) {
      const next = await u.rest.next();
      if (next.done) return;
      size += next.value.length;
      if (size > limit) throw tooLarge(limit);
      hash.update(next.value);
      boxes?.push(next.value);
      yield next.value;
    }
  }
  await storage.put(storageKey, Readable.from(body()), type.mime);
  if (u.source.truncated) {
    await storage.delete(storageKey);
    throw tooLarge(limit);
  }
  const row = await withTx(database, (tx) =>
    insertFile(tx, {
      id,
      mime: type.mime,
      size,
      sha256: hash.digest('hex'),
      storageKey,
      originalName: u.filename.slice(0, 200),
      durationMs: boxes?.durationMs() ?? null,
      posterFileId: opts.posterFileId ?? null,
      uploadedBy: actor.id,
    }),
  );
  return presentFile(row);
}

/** The formats a poster may come in: what a browser's canvas writes, and what people pick. */
const POSTER_FORMATS: ReadonlySet<string> = new Set(['jpeg', 'png']);

const notPoster = () =>
  new AppError('not_a_poster', 415, {
    zh: '视频封面只能是 JPEG 或 PNG 图片',
    en: 'a video poster must be a JPEG or PNG image',
  });

/** What a poster is checked against (both below): its formats and the refusal of others. */
const POSTER_RULES = { formats: POSTER_FORMATS, refuse: notPoster };

/** Checks a poster's bytes without decoding them: JPEG or PNG (415), within the pixel limit (413). */
export async function checkPoster(data: Buffer): Promise<void> {
  await checkImageHeader(data, POSTER_RULES.formats, POSTER_RULES.refuse);
}

/**
 * Stores a video's poster frame as an image: checked by its bytes (`checkPoster`), re-encoded and
 * thumbnailed like a photo (which fails on bytes that only look like an image). The caller links
 * it to the video.
 */
export function uploadPoster(
  database: Database,
  storage: FileStorage,
  actor: Actor,
  upload: { data: Buffer; filename: string },
): Promise<TFileInfo> {
  return uploadImage(database, storage, actor, upload, POSTER_RULES);
}
