import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestS3 } from '../test/s3.js';
import { S3Storage, type S3Settings } from './s3-storage.js';

// Against a real S3-compatible server (s3rver) started in this process.
const s3 = await startTestS3('cc-unit');

describe.runIf(s3 !== null)('S3Storage', () => {
  const settings = (over: Partial<S3Settings> = {}): S3Settings => ({
    bucket: s3!.bucket,
    prefix: '',
    endpoint: s3!.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    accessKeyId: s3!.accessKeyId,
    secretAccessKey: s3!.secretAccessKey,
    ...over,
  });
  const storage = new S3Storage(settings({ prefix: 'city-a/' }));
  const bare = new S3Storage(settings());
  afterAll(async () => {
    storage.close();
    bare.close();
    await s3?.close();
  });

  it('puts, gets and deletes an object under the prefix', async () => {
    await storage.check();
    const data = Buffer.from('照片 bytes \u0000\u00ff');
    await storage.put('photos/2026/11/23/a.jpg', data, 'image/jpeg');
    expect(await storage.get('photos/2026/11/23/a.jpg')).toEqual(data);
    // The object's real name carries the prefix; without it the key is not there.
    expect(await bare.get('city-a/photos/2026/11/23/a.jpg')).toEqual(data);
    expect(await bare.get('photos/2026/11/23/a.jpg')).toBeNull();
    await storage.delete('photos/2026/11/23/a.jpg');
    expect(await storage.get('photos/2026/11/23/a.jpg')).toBeNull();
    // deleting what is not there is not an error
    await storage.delete('photos/2026/11/23/a.jpg');
  });

  it('answers null for a missing key and refuses unsafe keys', async () => {
    expect(await storage.get('photos/none.jpg')).toBeNull();
    await expect(storage.put('../escape', Buffer.from('x'), 'text/plain')).rejects.toThrow(/key/);
    await expect(storage.get('/abs')).rejects.toThrow(/key/);
  });

  it('streams a large upload in parts (multipart upload)', async () => {
    // 9 MiB + a bit in 64 KiB chunks: more than one 8 MiB part
    const chunk = Buffer.alloc(64 * 1024);
    let sent = 0;
    const total = 9 * 1024 * 1024 + 1234;
    const body = Readable.from(
      (function* () {
        while (sent < total) {
          const n = Math.min(chunk.length, total - sent);
          const part = Buffer.alloc(n, sent % 251);
          sent += n;
          yield part;
        }
      })(),
    );
    await storage.put('exports/big.bin', body, 'application/octet-stream');
    const back = await storage.get('exports/big.bin');
    expect(back?.length).toBe(total);
    expect(back![0]).toBe(0);
    expect(back![total - 1]).toBe((total - (total % (64 * 1024))) % 251);
  });

  it('hands out a signed URL that works and then expires', { timeout: 20_000 }, async () => {
    await storage.put('photos/signed.jpg', Buffer.from('signed body'), 'image/jpeg');
    // 3 s rather than 1: on a loaded CI machine the first fetch must still fall inside it
    const url = await storage.signedUrl('photos/signed.jpg', 3);
    expect(url).toContain('X-Amz-Signature=');
    expect(url).toContain('/cc-unit/city-a/photos/signed.jpg'); // path-style
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('signed body');
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
    // (s3rver checks the key id and the expiry of SigV4 requests but not the signature bytes.)
    const stranger = await fetch(url.replace('X-Amz-Credential=S3RVER', 'X-Amz-Credential=NOBODY'));
    expect(stranger.status).toBe(403);
    await new Promise((r) => setTimeout(r, 4200));
    const late = await fetch(url);
    expect(late.status).toBe(403);
    expect(await late.text()).toMatch(/expired/i);
  });

  it('signs URLs for the public endpoint when the app reaches the store at another address', async () => {
    const publicUrl = s3!.endpoint.replace('127.0.0.1', 'localhost');
    const split = new S3Storage(settings({ prefix: 'city-a/', publicEndpoint: publicUrl }));
    const url = await split.signedUrl('photos/signed.jpg', 60);
    expect(url.startsWith(`${publicUrl}/cc-unit/city-a/photos/signed.jpg?`)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('signed body');
    split.close();
  });

  it('checks the bucket at start-up, and can create it', async () => {
    const missing = new S3Storage(settings({ bucket: 'cc-missing' }));
    await expect(missing.check()).rejects.toThrow(/cc-missing/);
    await missing.check({ create: true });
    await missing.put('a.txt', Buffer.from('a'), 'text/plain');
    expect((await missing.get('a.txt'))?.toString()).toBe('a');
    missing.close();
    const wrongKey = new S3Storage(settings({ accessKeyId: 'NOBODY' }));
    await expect(wrongKey.check()).rejects.toThrow(/not usable/);
    await expect(wrongKey.put('a.txt', Buffer.from('a'), 'text/plain')).rejects.toThrow(
      /Access Key/,
    );
    wrongKey.close();
  });
});
