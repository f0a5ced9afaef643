import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { TCategory } from '../../../core/contracts/problems.js';
import { execRows } from '../../db/client.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import { categoriesByCode, detailOf, step } from '../../test/problems-kit.js';

// 随手拍, tracking and the exposure board, end to end through the public routes.

let t: TestApp;
let office: Agent;
let unitAgent: Agent;
let unitId: number;
let cat: TCategory;
let ipSeq = 0;
const freshIp = () => `10.77.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

// A jurisdiction with a hole (a lake nobody reports from).
const JURISDICTION = {
  name: '示范市',
  geometry: {
    type: 'Polygon' as const,
    coordinates: [
      [
        [120.0, 30.1],
        [120.4, 30.1],
        [120.4, 30.4],
        [120.0, 30.4],
        [120.0, 30.1],
      ],
      [
        [120.1, 30.2],
        [120.15, 30.2],
        [120.15, 30.25],
        [120.1, 30.25],
        [120.1, 30.2],
      ],
    ],
  },
};

beforeAll(async () => {
  t = await createTestApp({
    CITIZEN_REPORTS_PER_IP_HOUR: '4',
    CITIZEN_REPORTS_PER_DEVICE_HOUR: '3',
  });
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
  const unit = await buildUnit(t.database.db, { name: '城管局' });
  unitId = unit.id;
  await buildUser(t.database.db, { username: 'unit1', roles: ['unit'], unitId: unit.id });
  office = await t.login('office1');
  unitAgent = await t.login('unit1');
  cat = [...(await categoriesByCode(office)).values()].find((c) => c.parentId !== null)!;
  expect((await office.put('/api/settings/jurisdiction', JURISDICTION)).statusCode).toBe(200);
});
afterAll(() => t.close());

type Part = { name: string; value: string } | { name: string; filename: string; data: Buffer };

function form(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----cc${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head =
      'data' in p
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n`;
    chunks.push(
      Buffer.from(head),
      'data' in p ? p.data : Buffer.from(p.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

function fields(o: Record<string, string | number>): Part[] {
  return Object.entries(o).map(([name, value]) => ({ name, value: String(value) }));
}

async function submit(parts: Part[], ip = freshIp()): Promise<Res> {
  const f = form(parts);
  return t.app.inject({
    method: 'POST',
    url: '/api/public/reports',
    remoteAddress: ip,
    ...f,
  });
}

const good = () =>
  fields({
    categoryId: cat.id,
    description: '人行道上堆满了建筑垃圾，行人只能走机动车道',
    lat: 30.3,
    lng: 120.3,
    address: '人民路 88 号门前',
    phone: '138 0013 8000',
  });

describe('随手拍', () => {
  it('files a report with photos and answers a tracking code, no sign-in needed', async () => {
    const photo = await testJpeg();
    const res = await submit([
      ...good(),
      { name: 'photo', filename: 'a.jpg', data: photo },
      { name: 'photo', filename: 'b.jpg', data: photo },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const { trackingCode } = res.json<{ trackingCode: string }>();
    expect(trackingCode).toMatch(/^SJ[2-9A-HJ-NP-Z]{10}$/);

    const [row] = await execRows<{
      id: number;
      state: string;
      channel: string;
      reporter_phone: string;
    }>(
      t.database.db,
      sql`select p.id, p.state, p.channel, p.reporter_phone from problems p
          join citizen_reports c on c.problem_id = p.id where c.tracking_code = ${trackingCode}`,
    );
    expect(row).toMatchObject({
      state: 'reported',
      channel: 'citizen',
      reporter_phone: '13800138000',
    });
    const d = await detailOf(office, Number(row!.id));
    expect(d.photos).toHaveLength(2);

    const track = await t.app.inject(`/api/public/track/${trackingCode.toLowerCase()}`);
    expect(track.statusCode, track.body).toBe(200);
    const body = track.json();
    expect(body).toMatchObject({ trackingCode, status: 'reported', categoryName: cat.name });
    expect(body.timeline.map((e: { label: { zh: string } }) => e.label.zh)).toEqual([
      '已收到您的反映',
    ]);
    expect(body.photos).toHaveLength(2);
    const photoRes = await t.app.inject(body.photos[0].thumbUrl);
    expect(photoRes.statusCode).toBe(200);
    expect(photoRes.headers['content-type']).toBe('image/jpeg');
    // Nothing in the public answer names a person or a phone number.
    expect(track.body).not.toContain('13800138000');
    expect(track.body).not.toContain('市民随手拍');
  });

  it('follows the problem through the loop with a public-safe timeline', async () => {
    const res = await submit(good());
    const { trackingCode } = res.json<{ trackingCode: string }>();
    const [row] = await execRows<{ id: number }>(
      t.database.db,
      sql`select problem_id as id from citizen_reports where tracking_code = ${trackingCode}`,
    );
    const p = await detailOf(office, Number(row!.id));
    const registered = await step(office, p.problem, 'register', {
      note: '内部备注：王科长已确认',
    });
    await step(office, registered.problem, 'dispatch', { unitId, note: '请张三负责' });
    const track = await t.app.inject(`/api/public/track/${trackingCode}`);
    const body = track.json();
    expect(body.status).toBe('dispatched');
    expect(body.unitName).toBe('城管局');
    expect(body.timeline.map((e: { label: { zh: string } }) => e.label.zh)).toEqual([
      '已收到您的反映',
      '已立案',
      '已交责任单位办理',
    ]);
    // The phone is the office's: the unit handling it sees it masked.
    expect((await detailOf(office, p.problem.id)).reporterPhone).toBe('13800138000');
    expect((await detailOf(unitAgent, p.problem.id)).reporterPhone).toBe('138****8000');
    expect(track.body).not.toContain('王科长');
    expect(track.body).not.toContain('张三');
  });

  it('shows the reason of a rejection to the citizen', async () => {
    const res = await submit(good());
    const { trackingCode } = res.json<{ trackingCode: string }>();
    const [row] = await execRows<{ id: number }>(
      t.database.db,
      sql`select problem_id as id from citizen_reports where tracking_code = ${trackingCode}`,
    );
    const p = await detailOf(office, Number(row!.id));
    await step(office, p.problem, 'reject', { note: '该处为在建工地，由建设单位负责清运' });
    const body = (await t.app.inject(`/api/public/track/${trackingCode}`)).json();
    expect(body.status).toBe('rejected');
    expect(body.timeline.at(-1)).toMatchObject({
      label: { zh: '不予立案' },
      publicNote: '该处为在建工地，由建设单位负责清运',
    });
  });

  it('refuses a location outside the jurisdiction or in its hole, storing nothing', async () => {
    const before = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from files`,
    );
    for (const [lat, lng] of [
      [31.5, 120.3],
      [30.22, 120.12],
    ]) {
      const res = await submit([
        ...fields({
          categoryId: cat.id,
          description: '这里有个问题需要处理',
          lat: lat!,
          lng: lng!,
        }),
        { name: 'photo', filename: 'a.jpg', data: await testJpeg() },
      ]);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('outside_jurisdiction');
      expect(res.json().error.messageZh).toContain('示范市');
    }
    const after = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from files`,
    );
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('refuses a disguised script, a bad phone, a missing description and the honeypot', async () => {
    const script = await submit([
      ...good(),
      { name: 'photo', filename: 'photo.jpg', data: Buffer.from('#!/bin/sh\nrm -rf /\n') },
    ]);
    expect(script.statusCode).toBe(415);
    expect(script.json().error.messageEn).toMatch(/image/i);
    const phone = await submit(
      fields({
        categoryId: cat.id,
        description: '描述足够长了',
        lat: 30.3,
        lng: 120.3,
        phone: '12345',
      }),
    );
    expect(phone.statusCode).toBe(400);
    expect(phone.json().error.fields[0].path).toBe('body.phone');
    const short = await submit(
      fields({ categoryId: cat.id, description: '短', lat: 30.3, lng: 120.3 }),
    );
    expect(short.statusCode).toBe(400);
    const bot = await submit([...good(), { name: 'website', value: 'http://spam.example' }]);
    expect(bot.statusCode).toBe(400);
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      payload: { categoryId: cat.id },
      remoteAddress: freshIp(),
    });
    expect([400, 415]).toContain(json.statusCode);
    const tooMany = await submit([
      ...good(),
      ...Array.from({ length: 4 }, (_, i) => ({
        name: 'photo',
        filename: `${i}.jpg`,
        data: Buffer.from('x'),
      })),
    ]);
    expect(tooMany.statusCode).toBe(400);
  });

  it('limits reports per address and per device, with Retry-After', async () => {
    // Hourly fixed windows: the clock is held still so the test cannot straddle an hour boundary.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const ip = freshIp();
    for (let i = 0; i < 4; i++) expect((await submit(good(), ip)).statusCode).toBe(201);
    const fifth = await submit(good(), ip);
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error.code).toBe('rate_limited');
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(0);

    const device = [...good(), { name: 'deviceId', value: 'device-abcdef12' }];
    for (let i = 0; i < 3; i++) expect((await submit(device)).statusCode).toBe(201);
    expect((await submit(device)).statusCode).toBe(429);
    // Another device from the same place is not held back by the first one.
    expect(
      (await submit([...good(), { name: 'deviceId', value: 'device-other123' }])).statusCode,
    ).toBe(201);
  });

  it('answers 404 for an unknown code and 400 for a malformed one', async () => {
    expect((await t.app.inject('/api/public/track/SJ2222222222')).statusCode).toBe(404);
    expect((await t.app.inject('/api/public/track/WT2026-000001')).statusCode).toBe(400);
  });

  it('lets only the office set the jurisdiction, with a valid polygon', async () => {
    expect((await unitAgent.put('/api/settings/jurisdiction', JURISDICTION)).statusCode).toBe(403);
    const bad = await office.put('/api/settings/jurisdiction', {
      name: '坏',
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [0, 0],
            [0, 0],
          ],
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    const setup = (await t.app.inject('/api/public/setup')).json();
    expect(setup.jurisdiction.name).toBe('示范市');
    expect(setup.categories.length).toBeGreaterThan(5);
    expect(setup.categories.every((c: { group: string | null }) => c.group !== null)).toBe(true);
  });
});

describe('曝光台', () => {
  it('publishes chosen problems with their photos and progress; only the office may', async () => {
    const res = await submit([
      ...good(),
      { name: 'photo', filename: 'a.jpg', data: await testJpeg() },
    ]);
    const { trackingCode } = res.json<{ trackingCode: string }>();
    const [row] = await execRows<{ id: number }>(
      t.database.db,
      sql`select problem_id as id from citizen_reports where tracking_code = ${trackingCode}`,
    );
    const id = Number(row!.id);
    const early = await office.put(`/api/problems/${id}/exposure`, {
      title: '人行道被建筑垃圾占用',
    });
    expect(early.statusCode).toBe(409);
    let p = await detailOf(office, id);
    p = await step(office, p.problem, 'register');
    await step(office, p.problem, 'dispatch', { unitId });
    expect(
      (await unitAgent.put(`/api/problems/${id}/exposure`, { title: '不行' })).statusCode,
    ).toBe(403);
    const ok = await office.put(`/api/problems/${id}/exposure`, {
      title: '人行道被建筑垃圾占用',
      note: '已责令限期清理',
    });
    expect(ok.statusCode, ok.body).toBe(204);

    const board = (await t.app.inject('/api/public/exposure')).json();
    const item = board.items.find((i: { id: number }) => i.id === id);
    expect(item).toMatchObject({
      title: '人行道被建筑垃圾占用',
      note: '已责令限期清理',
      unitName: '城管局',
      status: 'dispatched',
    });
    expect(item.photos).toHaveLength(1);
    expect((await t.app.inject(item.photos[0].url)).statusCode).toBe(200);
    // A photo of a problem that is not on the board is not served under its id.
    const other = board.items.find((i: { id: number }) => i.id !== id);
    expect(other).toBeUndefined();

    expect((await office.delete(`/api/problems/${id}/exposure`)).statusCode).toBe(204);
    expect((await t.app.inject('/api/public/exposure')).json().items).toHaveLength(0);
    expect((await t.app.inject(item.photos[0].url)).statusCode).toBe(404);
  });

  it('pages the board newest first', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await office.post('/api/problems', {
        title: `曝光${i}`,
        categoryId: cat.id,
        register: true,
      });
      ids.push(created.json().problem.id);
      expect(
        (await office.put(`/api/problems/${ids[i]}/exposure`, { title: `曝光${i}` })).statusCode,
      ).toBe(204);
    }
    const first = (await t.app.inject('/api/public/exposure?limit=2')).json();
    expect(first.items.map((i: { id: number }) => i.id)).toEqual([ids[2], ids[1]]);
    const second = (
      await t.app.inject(`/api/public/exposure?limit=2&cursor=${first.nextCursor}`)
    ).json();
    expect(second.items.map((i: { id: number }) => i.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
  });
});
