import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverCtor = new (opts: {
  port: number;
  address: string;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

export interface TestS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The STORAGE/S3_* settings pointing at this server. */
  env(prefix?: string): Record<string, string>;
  close(): Promise<void>;
}

/**
 * A real S3-compatible server (s3rver: the S3 REST API with SigV4 checks, on the local disk),
 * started in this process on a free port. Null when it cannot start here.
 */
export async function startTestS3(bucket = 'cc-test'): Promise<TestS3 | null> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-s3-'));
  // s3rver is CommonJS without types; the part used here is small.
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverCtor;
  let server: S3rverInstance;
  let port: number;
  try {
    server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      directory,
      silent: true,
      configureBuckets: [{ name: bucket }],
    });
    ({ port } = await server.run());
  } catch (err) {
    console.warn(`s3rver did not start: ${String(err)}`);
    fs.rmSync(directory, { recursive: true, force: true });
    return null;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's fixed credentials
  const accessKeyId = 'S3RVER';
  const secretAccessKey = 'S3RVER';
  return {
    endpoint,
    bucket,
    accessKeyId,
    secretAccessKey,
    env: (prefix = '') => ({
      STORAGE: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_PREFIX: prefix,
      S3_ACCESS_KEY_ID: accessKeyId,
      S3_SECRET_ACCESS_KEY: secretAccessKey,
    }),
    close: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
