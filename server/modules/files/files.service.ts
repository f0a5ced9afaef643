import { createHash, randomUUID } from 'node:crypto';
import exifr from 'exifr';
import sharp from 'sharp';
import type { DbOrTx, Database } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, errors } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import * as repo from './files.repo.js';
import type { FileRow } from './files.repo.js';

export type { FileRow } from './files.repo.js';

export interface TFileInfo {
  id: string;
  url: string;
  thumbUrl: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  takenAt: string | null;
  lat: number | null;
  lng: number | null;
}

const IMAGE_FORMATS = new Set(['jpeg', 'png', 'webp', 'heif', 'avif', 'gif', 'tiff']);
const notImage = () =>
  new AppError('not_an_image', 415, {
    zh: '只能上传图片（JPEG、PNG、WebP、HEIC）',
    en: 'only images can be uploaded (JPEG, PNG, WebP, HEIC)',
  });

/**
 * Decompression bombs: a small file can declare a huge image (a 700 KB PNG of 15000 × 15000 white
 * pixels), and decoding it costs memory and seconds of CPU. The size is read from the header and
 * refused before anything is decoded. A baseline JPEG — what phone cameras write — is decoded
 * shrunk (libjpeg scales by 1/8 while decoding), so it may be as large as the biggest phone sensor
 * (200 MP, 16320 × 12240; measured ~45 MB and 0.4–0.6 s); every other format (PNG, WebP, GIF,
 * TIFF, HEIF/AVIF and progressive JPEG, which buffers all its coefficients) is decoded in full and
 * is limited to 8192 × 6144 ≈ 50 MP (48–50 MP phone photos fit; a progressive JPEG at the limit
 * costs ~190 MB for 1.4 s).
 */
export const MAX_PIXELS_BASELINE_JPEG = 16384 * 12288;
export const MAX_PIXELS_OTHER = 8192 * 6144;

function pixelLimit(meta: sharp.Metadata): number {
  return meta.format === 'jpeg' && !meta.isProgressive
    ? MAX_PIXELS_BASELINE_JPEG
    : MAX_PIXELS_OTHER;
}

const tooManyPixels = (width: number, height: number, limit: number) => {
  const mp = (n: number) => Math.round(n / 1e6);
  return new AppError('image_too_large', 413, {
    zh: `图片尺寸过大（${width}×${height} 像素）；此类图片最多 ${mp(limit)} 百万像素，请缩小后再上传`,
    en: `the image is too large (${width} × ${height} pixels); images of this kind may have at most ${mp(limit)} megapixels — scale it down and upload again`,
  });
};

/**
 * Reads an image's header — nothing is decoded, whatever size the image claims — and checks it:
 * a format among `formats` (sharp's names) with a size, else `refuse()`; within the pixel limit
 * of its kind, else 413. Answers the limit to decode it with.
 */
export async function checkImageHeader(
  data: Buffer,
  formats: ReadonlySet<string> = IMAGE_FORMATS,
  refuse: () => AppError = notImage,
): Promise<{ meta: sharp.Metadata; limit: number }> {
  let meta: sharp.Metadata;
  try {
    meta = await sharp(data, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch {
    throw refuse();
  }
  if (!meta.format || !formats.has(meta.format)) throw refuse();
  const limit = pixelLimit(meta);
  if (!meta.width || !meta.height) throw refuse();
  if (meta.width * meta.height > limit) throw tooManyPixels(meta.width, meta.height, limit);
  return { meta, limit };
}

export function presentFile(f: FileRow): TFileInfo {
  return {
    id: f.id,
    url: `/api/files/${f.id}`,
    thumbUrl: `/api/files/${f.id}/thumb`,
    mime: f.mime,
    size: f.size,
    width: f.width,
    height: f.height,
    takenAt: f.exifTakenAt?.toISOString() ?? null,
    lat: f.exifLat,
    lng: f.exifLng,
  };
}

/**
 * The camera's time and position, if the photo carries them (evidence of where and when). EXIF
 * times have no zone unless OffsetTimeOriginal says so: phones in China write Beijing time.
 */
async function readExif(
  data: Buffer,
): Promise<{ takenAt: Date | null; lat: number | null; lng: number | null }> {
  try {
    const tags = (await exifr.parse(data, {
      gps: true,
      tiff: true,
      exif: true,
      reviveValues: false,
    })) as
      | {
          DateTimeOriginal?: string;
          CreateDate?: string;
          OffsetTimeOriginal?: string;
          latitude?: number;
          longitude?: number;
        }
      | undefined;
    const raw = tags?.DateTimeOriginal ?? tags?.CreateDate;
    const m =
      typeof raw === 'string' ? /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(raw) : null;
    const offset = /^[+-]\d{2}:\d{2}$/.test(tags?.OffsetTimeOriginal ?? '')
      ? tags!.OffsetTimeOriginal!
      : '+08:00';
    const taken = m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`) : null;
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
    return {
      takenAt: taken && !Number.isNaN(taken.getTime()) ? taken : null,
      lat: ok(tags?.latitude) ? tags.latitude : null,
      lng: ok(tags?.longitude) ? tags.longitude : null,
    };
  } catch {
    return { takenAt: null, lat: null, lng: null };
  }
}

/**
 * Stores an uploaded photo: the type is checked from the bytes (not the name), the image is
 * re-encoded as JPEG (which drops any hidden payload and the original metadata), a thumbnail is
 * made, and the EXIF time and GPS position are kept in the database.
 */
export async function uploadImage(
  database: Database,
  storage: FileStorage,
  actor: Actor,
  upload: { data: Buffer; filename: string },
  opts: {
    anonymous?: boolean;
    /** The formats taken (sharp's names), and the refusal of anything else; default: photos. */
    formats?: ReadonlySet<string>;
    refuse?: () => AppError;
  } = {},
): Promise<TFileInfo> {
  // Only the citizen channel stores photos without a signed-in uploader.
  if (actor.id === null && !opts.anonymous) throw errors.unauthenticated();
  const refuse = opts.refuse ?? notImage;
  const { limit } = await checkImageHeader(upload.data, opts.formats, refuse);
  const exif = await readExif(upload.data);
  let main: { data: Buffer; info: sharp.OutputInfo };
  let thumb: Buffer;
  try {
    main = await sharp(upload.data, { failOn: 'error', limitInputPixels: limit })
      .rotate()
      .resize({ width: 2048, height: 2048, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    // From the re-encoded copy (already upright, at most 2048 px): the upload is decoded once.
    thumb = await sharp(main.data)
      .resize(320, 320, { fit: 'cover' })
      .jpeg({ quality: 70 })
      .toBuffer();
  } catch {
    throw refuse();
  }
  const id = randomUUID();
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const storageKey = `photos/${day}/${id}.jpg`;
  const thumbKey = `photos/${day}/${id}.thumb.jpg`;
  await storage.put(storageKey, main.data, 'image/jpeg');
  await storage.put(thumbKey, thumb, 'image/jpeg');
  const row = await withTx(database, (tx) =>
    repo.insertFile(tx, {
      id,
      mime: 'image/jpeg',
      size: main.data.length,
      width: main.info.width,
      height: main.info.height,
      sha256: createHash('sha256').update(main.data).digest('hex'),
      storageKey,
      thumbKey,
      originalName: upload.filename.slice(0, 200),
      exifTakenAt: exif.takenAt,
      exifLat: exif.lat,
      exifLng: exif.lng,
      uploadedBy: actor.id,
    }),
  );
  return presentFile(row);
}

/** Checks photos to attach: they exist, the actor uploaded them, and they belong to no problem yet. */
export async function checkAttachable(tx: DbOrTx, actor: Actor, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const rows = await repo.findFiles(tx, ids);
  const taken = await repo.attachedPhotoIds(tx, ids);
  const bad = ids.find(
    (id) => !rows.some((r) => r.id === id && r.uploadedBy === actor.id) || taken.includes(id),
  );
  if (bad) {
    throw errors.invalid(
      { zh: '照片不存在或不能使用', en: 'a photo does not exist or cannot be used' },
      [{ path: 'body.photoIds', message: `照片不可用：${bad} / unusable photo ${bad}` }],
    );
  }
}

export async function attachPhotos(
  tx: DbOrTx,
  problemId: number,
  ids: string[],
  stage: 'before' | 'after' | 'verify',
  eventId: number | null,
): Promise<void> {
  if (!ids.length) return;
  await repo.insertProblemPhotos(tx, problemId, ids, stage, eventId);
}

export async function photosOf(db: DbOrTx, problemId: number) {
  const rows = await repo.problemPhotoRows(db, problemId);
  return rows.map((r) => ({ ...presentFile(r.file), stage: r.stage, eventId: r.eventId }));
}

/** A stored file by id, with no access check (the caller has one: a signed link); else a 404. */
export async function findStoredFile(database: Database, id: string): Promise<FileRow> {
  const f = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findFile(database.db, id) : undefined;
  if (!f) throw errors.notFound('file', id);
  return f;
}
