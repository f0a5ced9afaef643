import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ByteRange } from './http-range.js';

/** What `put` takes: bytes in memory, or a stream that is written through without buffering. */
export type FileBody = Buffer | Readable;

/** Where uploaded files live: local disk by default; S3-compatible storage in production. */
export interface FileStorage {
  /** `local` or `s3` (shown by /metrics and the start banner). */
  readonly kind: string;
  put(key: string, data: FileBody, contentType: string): Promise<void>;
  /** The file's bytes, or null when there is no such key. */
  get(key: string): Promise<Buffer | null>;
  /**
   * The file's bytes as a stream, or null when there is no such key: for large files sent on
   * (filing packages, audio and video), so that a file is never held in memory whole. With a
   * range, only those bytes (inclusive offsets, within the file: the caller checked them).
   */
  stream(key: string, range?: ByteRange): Promise<Readable | null>;
  delete(key: string): Promise<void>;
  /**
   * A URL a browser may fetch the file from directly, valid for `seconds`; null when this storage
   * cannot hand out such URLs (local disk: files are always served through the app).
   */
  signedUrl(key: string, seconds: number): Promise<string | null>;
  /** Releases connections (S3); called when the app closes. */
  close?(): void;
}

/** Keys are relative paths of safe characters (they become file names and object names). */
export function checkKey(key: string): string {
  if (!/^[a-z0-9/_.-]+$/i.test(key) || key.includes('..') || key.startsWith('/'))
    throw new Error(`bad storage key ${key}`);
  return key;
}

/** Files under a directory; writes go to a temporary name, are fsynced, then renamed into place. */
export class LocalDiskStorage implements FileStorage {
  readonly kind = 'local';
  constructor(private readonly root: string) {}

  private file(key: string): string {
    return path.join(this.root, checkKey(key));
  }

  async put(key: string, data: FileBody): Promise<void> {
    const target = this.file(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const fh = await fs.promises.open(tmp, 'w');
      try {
        if (Buffer.isBuffer(data)) await fh.writeFile(data);
        // chunk by chunk: a stream is never held in memory whole
        else for await (const chunk of data) await fh.write(chunk as Uint8Array);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.promises.rename(tmp, target);
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await fs.promises.readFile(this.file(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async stream(key: string, range?: ByteRange): Promise<Readable | null> {
    try {
      const fh = await fs.promises.open(this.file(key), 'r');
      return fh.createReadStream({ highWaterMark: 256 * 1024, ...range });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.file(key), { force: true });
  }

  signedUrl(): Promise<string | null> {
    return Promise.resolve(null);
  }
}

/** Reads a body into memory (for storages that keep bytes, and for tests). */
export async function bodyToBuffer(data: FileBody): Promise<Buffer> {
  if (Buffer.isBuffer(data)) return data;
  const chunks: Buffer[] = [];
  for await (const chunk of data) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** In memory, for tests that do not care where bytes go. */
export class MemoryStorage implements FileStorage {
  readonly kind = 'memory';
  private readonly files = new Map<string, Buffer>();
  async put(key: string, data: FileBody): Promise<void> {
    this.files.set(checkKey(key), await bodyToBuffer(data));
  }
  get(key: string): Promise<Buffer | null> {
    return Promise.resolve(this.files.get(key) ?? null);
  }
  stream(key: string, range?: ByteRange): Promise<Readable | null> {
    const data = this.files.get(key);
    if (!data) return Promise.resolve(null);
    return Promise.resolve(
      Readable.from([range ? data.subarray(range.start, range.end + 1) : data]),
    );
  }
  delete(key: string): Promise<void> {
    this.files.delete(key);
    return Promise.resolve();
  }
  signedUrl(): Promise<string | null> {
    return Promise.resolve(null);
  }
}
