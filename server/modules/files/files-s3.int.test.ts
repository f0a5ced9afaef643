import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import { S3Storage } from '../../platform/s3-storage.js';
import { startTestS3, type TestS3 } from '../../test/s3.js';
import { expectByteRanges, storeVideo, VIDEO_FIXTURE } from '../../test/media.js';

// The app configured with STORAGE=s3 against a real S3-compatible server (s3rver).
const s3: TestS3 | null = await startTestS3('cc-files');

describe.runIf(s3 !== null)('photos in S3-compatible storage', () => {
  let proxied: TestApp;
  let redirecting: TestApp;
  let office: Agent;
  let officeR: Agent;

  beforeAll(async () => {
    proxied = await createTestApp(s3!.env('city/'));
    redirecting = await createTestApp({
      ...s3!.env('city/'),
      FILE_REDIRECT: 'true',
      FILE_URL_SECONDS: '60',
    });
    await buildUser(proxied.database.db, { username: 's3_office', roles: ['office'] });
    await buildUser(redirecting.database.db, { username: 's3_office', roles: ['office'] });
    await buildUser(redirecting.database.db, { username: 's3_surveyor', roles: ['surveyor'] });
    office = await proxied.login('s3_office');
    officeR = await redirecting.login('s3_office');
  });
  afterAll(async () => {
    await proxied?.close();
    await redirecting?.close();
    await s3?.close();
  });

  it('stores uploads in the bucket and nothing on the server disk', async () => {
    const res = await office.upload('/api/files', await testJpeg({ width: 200 }), 'p.jpg');
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json();
    const full = await office.get(f.url);
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.rawPayload.length).toBe(f.size);
    const thumb = await office.get(f.thumbUrl);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.rawPayload.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(fs.existsSync(path.join(proxied.config.dataDir, 'files'))).toBe(false);
    // the object is in the bucket under the prefix
    const { storageKey } = (await proxied.database.db.query.files.findFirst({
      where: (t, { eq }) => eq(t.id, f.id as string),
    }))!;
    const bare = new S3Storage({
      bucket: s3!.bucket,
      prefix: '',
      endpoint: s3!.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      accessKeyId: s3!.accessKeyId,
      secretAccessKey: s3!.secretAccessKey,
    });
    expect((await bare.get(`city/${storageKey}`))?.equals(full.rawPayload)).toBe(true);
    bare.close();
  });

  it('with FILE_REDIRECT, answers downloads with a signed, expiring URL after the scope check', async () => {
    const res = await officeR.upload('/api/files', await testJpeg({ width: 120 }), 'p.jpg');
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json();
    const r = await officeR.get(f.url);
    expect(r.statusCode).toBe(302);
    const location = String(r.headers.location);
    expect(location.startsWith(`${s3!.endpoint}/${s3!.bucket}/city/photos/`)).toBe(true);
    expect(location).toContain('X-Amz-Expires=60');
    expect(r.headers['cache-control']).toBe('private, max-age=30');
    const img = await fetch(location);
    expect(img.status).toBe(200);
    expect(Buffer.from(await img.arrayBuffer()).length).toBe(f.size);
    // no session, no redirect
    const anon = await redirecting.app.inject({ method: 'GET', url: f.url });
    expect(anon.statusCode).toBe(401);
    // someone who may not read the file gets no signed URL either (issue #16)
    const surveyor = await redirecting.login('s3_surveyor');
    for (const url of [f.url, f.thumbUrl]) {
      const denied = await surveyor.get(url);
      expect(denied.statusCode).toBe(404);
      expect(denied.headers.location).toBeUndefined();
    }
  });

  it('serves a video in byte ranges from the bucket (the range passed on to the store)', async () => {
    const me = (await office.get('/api/auth/me')).json().user.id as number;
    const id = await storeVideo(proxied, me);
    await expectByteRanges(proxied, office, `/api/files/${id}`, VIDEO_FIXTURE);
    // The store itself answers the range: only those bytes come from it.
    const part = await proxied.storage.stream(`media/test/${id}.mp4`, { start: 4, end: 11 });
    const chunks: Buffer[] = [];
    for await (const c of part!) chunks.push(Buffer.from(c as Uint8Array));
    expect(Buffer.concat(chunks).toString('latin1')).toBe('ftypisom');
  });
});
