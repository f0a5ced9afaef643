import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import type { ByteRange } from './http-range.js';
import { checkKey, type FileBody, type FileStorage } from './storage.js';

export interface S3Settings {
  bucket: string;
  /** Prepended to every key, e.g. `chuangcheng/` (several installs can share one bucket). */
  prefix: string;
  /** e.g. `http://minio:9000`; unset = AWS itself. */
  endpoint: string | undefined;
  region: string;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most private clouds need. */
  forcePathStyle: boolean;
  /** Unset = the SDK's usual chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile, role). */
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /**
   * The address browsers use for the store, when it differs from `endpoint` (e.g. the app reaches
   * MinIO as http://minio:9000 but browsers as https://files.city.gov.cn). Signed URLs are signed
   * for this host.
   */
  publicEndpoint?: string | undefined;
}

/** Parts of 8 MiB, two at a time: a large upload holds at most ~16 MiB in memory. */
const PART_SIZE = 8 * 1024 * 1024;

function isMissing(err: unknown): boolean {
  if (err instanceof S3ServiceException) {
    return (
      err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404
    );
  }
  return false;
}

/**
 * Files as objects in an S3-compatible store (MinIO, Ceph, a government cloud's OSS, AWS S3).
 * Nothing touches the app server's disk, so any number of app servers share the same files.
 */
export class S3Storage implements FileStorage {
  readonly kind = 's3';
  readonly client: S3Client;
  /** Signs URLs for browsers (the same client unless a public endpoint is set). */
  private readonly signer: S3Client;
  readonly bucket: string;
  private readonly prefix: string;

  constructor(settings: S3Settings) {
    this.bucket = settings.bucket;
    this.prefix = settings.prefix;
    const options = (endpoint: string | undefined) => ({
      region: settings.region,
      endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials:
        settings.accessKeyId && settings.secretAccessKey
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
      // Only send/check the newer CRC checksums where S3 requires them: many S3-compatible stores
      // (older MinIO, private-cloud OSS) reject or ignore them.
      requestChecksumCalculation: 'WHEN_REQUIRED' as const,
      responseChecksumValidation: 'WHEN_REQUIRED' as const,
    });
    this.client = new S3Client(options(settings.endpoint));
    this.signer = settings.publicEndpoint
      ? new S3Client(options(settings.publicEndpoint))
      : this.client;
  }

  private objectKey(key: string): string {
    return this.prefix + checkKey(key);
  }

  /** Fails fast at start-up when the bucket is missing or the credentials are wrong. */
  async check(opts: { create?: boolean } = {}): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      if (opts.create && isMissing(err)) {
        await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
        return;
      }
      const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new Error(`S3 bucket "${this.bucket}" is not usable (${detail})`);
    }
  }

  /** Buffers go up in one request; streams go up as a multipart upload, part by part. */
  async put(key: string, data: FileBody, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: this.objectKey(key),
        Body: data,
        ContentType: contentType,
      },
      partSize: PART_SIZE,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      if (!res.Body) return Buffer.alloc(0);
      return Buffer.from(await res.Body.transformToByteArray());
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  /**
   * The object's body as it arrives (one GET; the socket's flow control is the backpressure);
   * with a range, the store sends only those bytes (`Range` on the GET).
   */
  async stream(key: string, range?: ByteRange): Promise<Readable | null> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      if (!res.Body) return Readable.from([]);
      return res.Body as Readable;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
    );
  }

  /** A presigned GET (SigV4 query string), valid for `seconds` (1 s to 7 days). */
  signedUrl(key: string, seconds: number): Promise<string> {
    const expiresIn = Math.min(Math.max(Math.floor(seconds), 1), 7 * 86_400);
    return getSignedUrl(
      this.signer,
      new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      { expiresIn },
    );
  }

  close(): void {
    this.client.destroy();
    if (this.signer !== this.client) this.signer.destroy();
  }
}
