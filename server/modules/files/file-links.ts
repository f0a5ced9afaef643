import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { AppError } from '../../platform/errors.js';
import { ensureSecretSetting } from './files.repo.js';

// Signed, expiring links to a photo, for systems outside the app that have no session (the 12345
// hotline's result carries the rectification photos). The link itself is the credential: an HMAC
// over the file id, the variant and the expiry time, with a key every app server shares.

export type FileVariant = 'full' | 'thumb';

const SETTING = 'file_link_key';
const keys = new WeakMap<Database, Promise<Buffer>>();

/**
 * The link key: FILE_LINK_SECRET when set, else a random key generated once into the database
 * (settings `file_link_key`), so every app server signs and checks with the same one.
 */
export function fileLinkKey(database: Database, configured: string | undefined): Promise<Buffer> {
  if (configured) return Promise.resolve(Buffer.from(configured, 'utf8'));
  let key = keys.get(database);
  if (!key) {
    key = (async () => {
      const hex = await ensureSecretSetting(database.db, SETTING, randomBytes(32).toString('hex'));
      await database.afterCommit();
      return Buffer.from(hex, 'hex');
    })();
    // A failed read is tried again next time.
    key.catch(() => keys.delete(database));
    keys.set(database, key);
  }
  return key;
}

function signature(key: Buffer, fileId: string, variant: FileVariant, exp: number): Buffer {
  return createHmac('sha256', key).update(`file-link\n${fileId}\n${variant}\n${exp}`).digest();
}

/** The absolute link to a file (or its thumbnail), good until `expiresAt`. */
export function signedFileUrl(
  baseUrl: string,
  key: Buffer,
  fileId: string,
  variant: FileVariant,
  expiresAt: Date,
): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  const sig = signature(key, fileId, variant, exp).toString('base64url');
  const path = `/api/public/files/${fileId}${variant === 'thumb' ? '/thumb' : ''}`;
  return `${baseUrl.replace(/\/+$/, '')}${path}?exp=${exp}&sig=${sig}`;
}

/** Throws 403 unless the link was signed with this key and has not expired. */
export function verifyFileLink(
  key: Buffer,
  fileId: string,
  variant: FileVariant,
  exp: number,
  sig: string,
  now = Date.now(),
): void {
  const expected = signature(key, fileId, variant, exp);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError('bad_link', 403, {
      zh: '链接无效',
      en: 'the link is not valid',
    });
  }
  if (exp * 1000 < now) {
    throw new AppError('link_expired', 403, {
      zh: '链接已过期',
      en: 'the link has expired',
    });
  }
}
