import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { TProblemDetail } from '../../../core/contracts/problems.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { bombPng, testJpeg } from '../../test/images.js';
import { expectByteRanges, getAs, storeVideo, VIDEO_FIXTURE } from '../../test/media.js';

// Photos: checked by content, re-encoded, thumbnailed, EXIF kept; attached before and after a fix.

let t: TestApp;
let office: Agent;
let unitAgent: Agent;
let otherUnit: Agent;
let unitId: number;
let categoryId: number;

const upload = (agent: Agent, data: Buffer, name = 'photo.jpg') =>
  agent.upload('/api/files', data, name);

beforeAll(async () => {
  t = await createTestApp();
  unitId = (await buildUnit(t.database.db)).id;
  const other = await buildUnit(t.database.db);
  await buildUser(t.database.db, { username: 'f_office', roles: ['office'] });
  await buildUser(t.database.db, { username: 'f_unit', roles: ['unit'], unitId });
  await buildUser(t.database.db, { username: 'f_other', roles: ['unit'], unitId: other.id });
  await buildUser(t.database.db, { username: 'f_surveyor', roles: ['surveyor'] });
  office = await t.login('f_office');
  unitAgent = await t.login('f_unit');
  otherUnit = await t.login('f_other');
  const cats = (await office.get('/api/problem-categories')).json().items as {
    id: number;
    parentId: number | null;
  }[];
  categoryId = cats.find((c) => c.parentId !== null)!.id;
});
afterAll(() => t.close());

describe('photo upload', () => {
  it('re-encodes a photo, makes a thumbnail and keeps the EXIF time and position', async () => {
    const jpg = await testJpeg({
      takenAt: '2026:11:20 10:30:00',
      lat: 30.2741,
      lng: 120.1551,
      width: 640,
    });
    const res = await upload(office, jpg);
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json();
    expect(f).toMatchObject({ mime: 'image/jpeg', width: 640, height: 48 });
    // phones in China write local time: 10:30 Beijing time is 02:30 UTC
    expect(f.takenAt).toBe('2026-11-20T02:30:00.000Z');
    expect(f.lat).toBeCloseTo(30.2741, 4);
    expect(f.lng).toBeCloseTo(120.1551, 4);
    const full = await office.get(f.url);
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    const stored = await sharp(full.rawPayload).metadata();
    expect(stored.format).toBe('jpeg');
    expect(stored.exif).toBeUndefined(); // the stored copy carries no metadata
    const thumb = await sharp((await office.get(f.thumbUrl)).rawPayload).metadata();
    expect([thumb.width, thumb.height]).toEqual([320, 320]);
  });

  it('converts PNG to JPEG and refuses what is not an image, whatever its name', async () => {
    const png = await sharp({ create: { width: 10, height: 10, channels: 4, background: '#00f' } })
      .png()
      .toBuffer();
    expect((await upload(office, png, 'a.png')).json().mime).toBe('image/jpeg');
    const fake = await upload(office, Buffer.from('<script>alert(1)</script>'), 'evil.jpg');
    expect(fake.statusCode).toBe(415);
    expect(fake.json().error.messageZh).toContain('图片');
    const truncated = await upload(office, (await testJpeg()).subarray(0, 60), 'half.jpg');
    expect(truncated.statusCode).toBe(415);
    expect((await office.post('/api/files', {})).statusCode).toBe(400);
  });

  it('lets only reporting and rectifying roles upload', async () => {
    const surveyor = await t.login('f_surveyor');
    expect((await upload(surveyor, await testJpeg())).statusCode).toBe(403);
  });
});

describe('problem photos', () => {
  it('attaches before-photos at intake and after-photos with the rectification', async () => {
    const before = (await upload(office, await testJpeg({ color: '#333' }))).json();
    const created = await office.post('/api/problems', {
      title: '带照片的问题',
      categoryId,
      register: true,
      photoIds: [before.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    let d = created.json<TProblemDetail>();
    expect(d.photos).toEqual([expect.objectContaining({ id: before.id, stage: 'before' })]);
    d = (
      await office.post(`/api/problems/${d.problem.id}/actions`, {
        action: 'dispatch',
        version: d.problem.version,
        unitId,
      })
    ).json();

    // the other unit cannot see the photo of a problem that is not theirs
    expect((await otherUnit.get(`/api/files/${before.id}`)).statusCode).toBe(404);
    expect((await unitAgent.get(`/api/files/${before.id}`)).statusCode).toBe(200);

    const after = (await upload(unitAgent, await testJpeg({ color: '#0a0' }))).json();
    // a step in the wrong state fails before any photo is used
    const stolen = await office.post(`/api/problems/${d.problem.id}/actions`, {
      action: 'rework',
      version: d.problem.version,
      note: 'x',
      photoIds: [after.id],
    });
    expect(stolen.statusCode).toBe(409); // not in a state to rework — and the photo stays free
    const res = await unitAgent.post(`/api/problems/${d.problem.id}/actions`, {
      action: 'submit',
      version: d.problem.version,
      note: '已清理，见照片',
      photoIds: [after.id],
    });
    expect(res.statusCode, res.body).toBe(200);
    d = res.json();
    expect(d.photos.map((p) => p.stage)).toEqual(['before', 'after']);
    const submitEvent = d.timeline.find((e) => e.action === 'submit')!;
    expect(d.photos[1]!.eventId).toBe(submitEvent.id);
    // a photo cannot be attached twice, nor by someone who did not upload it
    const again = await office.post(`/api/problems/${d.problem.id}/actions`, {
      action: 'approve',
      version: d.problem.version,
      photoIds: [after.id],
    });
    expect(again.statusCode).toBe(400);
    const unitsOwn = (await upload(unitAgent, await testJpeg({ color: '#00a' }))).json();
    const notMine = await office.post(`/api/problems/${d.problem.id}/actions`, {
      action: 'approve',
      version: d.problem.version,
      photoIds: [unitsOwn.id],
    });
    expect(notMine.statusCode).toBe(400);
    const check = (await upload(office, await testJpeg({ color: '#fa0' }))).json();
    const approved = await office.post(`/api/problems/${d.problem.id}/actions`, {
      action: 'approve',
      version: d.problem.version,
      photoIds: [check.id],
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json<TProblemDetail>().photos.map((p) => p.stage)).toEqual([
      'before',
      'after',
      'verify',
    ]);
  });

  it('takes no photos on steps that do not carry evidence', async () => {
    const p = (
      await office.post('/api/problems', { title: '无照片步骤', categoryId })
    ).json<TProblemDetail>().problem;
    const photo = (await upload(office, await testJpeg())).json();
    const res = await office.post(`/api/problems/${p.id}/actions`, {
      action: 'register',
      version: p.version,
      photoIds: [photo.id],
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('decompression bombs (issue #16)', () => {
  it('refuses an image that declares more pixels than the limit, before decoding it', async () => {
    const bomb = bombPng(15000, 15000);
    expect(bomb.length).toBeLessThan(100_000);
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 15000, 15000]);
    const res = await upload(office, bomb, 'bomb.png');
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error.code).toBe('image_too_large');
    expect(res.json().error.messageZh).toContain('15000×15000');
    expect(res.json().error.messageEn).toContain('megapixels');
    // just over 50 MP is refused for a PNG …
    expect((await upload(office, bombPng(8200, 6200), 'b.png')).statusCode).toBe(413);
    // … and for a progressive JPEG, which is decoded in full
    const progressive = await sharp({
      create: { width: 10000, height: 6000, channels: 3, background: '#fff' },
    })
      .jpeg({ progressive: true, quality: 30 })
      .toBuffer();
    expect((await upload(office, progressive, 'p.jpg')).statusCode).toBe(413);
  });

  it('takes a large baseline JPEG (decoded shrunk) and a PNG within the limit', async () => {
    const big = await sharp({
      create: { width: 10000, height: 6000, channels: 3, background: '#468' },
    })
      .jpeg({ quality: 30 })
      .toBuffer();
    const res = await upload(office, big, 'big.jpg');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ width: 2048, height: 1229 });
    const png = await upload(office, bombPng(8000, 6000), 'ok.png');
    expect(png.statusCode, png.body).toBe(201);
    const withExif = await upload(
      office,
      await testJpeg({ takenAt: '2026:05:01 08:00:00', lat: 30.1, lng: 120.2 }),
    );
    expect(withExif.statusCode).toBe(201);
    expect(withExif.json().takenAt).toBe('2026-05-01T00:00:00.000Z');
  });
});

describe('audio and video served in byte ranges', () => {
  it('answers Range with 206, 416 beyond the end, the whole file otherwise (local disk)', async () => {
    const me = (await office.get('/api/auth/me')).json().user.id as number;
    const id = await storeVideo(t, me);
    await expectByteRanges(t, office, `/api/files/${id}`, VIDEO_FIXTURE);
    // A range is no way around the read check: someone else gets the same 404 as ever.
    const denied = await getAs(t, otherUnit, `/api/files/${id}`, { range: 'bytes=0-9' });
    expect(denied.statusCode).toBe(404);
    const anon = await t.app.inject({
      method: 'GET',
      url: `/api/files/${id}`,
      headers: { range: 'bytes=0-9' },
    });
    expect(anon.statusCode).toBe(401);
  });
});
