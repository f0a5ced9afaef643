import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activitySignups, auditLog, settings, users as usersTable } from '../../db/schema/index.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import { shortCodeFor, signToken } from './checkin.service.js';

// 志愿服务: registry scope and masking, sign-up capacity under a race, QR/GPS check-in, hours.

let t: TestApp;
let office: Agent;
let unitAgent: Agent;
let leader: Agent;
const vol: Agent[] = [];
const volIds: number[] = [];
let teamA = 0;
let teamB = 0;
let placeId = 0;
let communityId = 0;
// The station: 湖滨 practice station at 30.26, 120.15.
const AT = { lat: 30.26, lng: 120.15 };
const north = (m: number) => AT.lat + m / 111_320;
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();
const MIN = 60_000;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const city = await buildRegion(db, { name: '示范市', level: 'city' });
  const district = await buildRegion(db, { name: '东湖区', level: 'district', parent: city });
  const community = await buildRegion(db, {
    name: '湖滨社区',
    level: 'community',
    parent: district,
  });
  communityId = community.id;
  const unit = await buildUnit(db, { name: '湖滨街道办事处' });
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'leader1', roles: ['leader'] });
  await buildUser(db, { username: 'unit1', roles: ['unit'], unitId: unit.id });
  for (let i = 1; i <= 3; i++) await buildUser(db, { username: `vol${i}`, roles: ['volunteer'] });
  office = await t.login('office1');
  leader = await t.login('leader1');
  unitAgent = await t.login('unit1');
  teamA = (
    await office.post('/api/volunteer-teams', { name: '湖滨志愿服务队', unitId: unit.id })
  ).json().id;
  teamB = (await office.post('/api/volunteer-teams', { name: '市青年志愿者协会' })).json().id;
  const users = await t.database.db.select().from(usersTable);
  for (let i = 1; i <= 3; i++) {
    const u = users.find((x) => x.username === `vol${i}`)!;
    const res = await office.post('/api/volunteers', {
      name: `志愿者${i}`,
      phone: `1390000000${i}`,
      teamId: i === 3 ? teamB : teamA,
      skills: ['文明劝导'],
      regionId: community.id,
      userId: u.id,
    });
    expect(res.statusCode, res.body).toBe(201);
    volIds.push(res.json().id);
    vol.push(await t.login(`vol${i}`));
  }
  const place = await office.post('/api/practice-places', {
    kind: 'station',
    name: '湖滨社区新时代文明实践站',
    regionId: community.id,
    address: '湖滨路 1 号',
    ...AT,
    openingHours: '周一至周五 9:00-17:00',
    staff: ['站长 王芳'],
  });
  expect(place.statusCode, place.body).toBe(201);
  placeId = place.json().id;
});
afterAll(() => t.close());

async function activity(
  o: { capacity?: number; startMs?: number; endMs?: number; title?: string } = {},
) {
  const res = await office.post('/api/volunteer-activities', {
    title: o.title ?? '文明交通劝导',
    startsAt: iso(o.startMs ?? -10 * MIN),
    endsAt: iso(o.endMs ?? 60 * MIN),
    placeId,
    capacity: o.capacity ?? 10,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: number; lat: number }>();
}

describe('registry', () => {
  it('masks phones for everyone but the office and scopes a unit to its teams', async () => {
    const all = await office.get('/api/volunteers');
    expect(all.json().items.map((v: { phone: string }) => v.phone)).toEqual([
      '13900000001',
      '13900000002',
      '13900000003',
    ]);
    const lead = await leader.get('/api/volunteers');
    expect(lead.json().total).toBe(3);
    expect(lead.json().items[0].phone).toBe('139****0001');
    const mine = await unitAgent.get('/api/volunteers');
    expect(mine.json().items.map((v: { name: string }) => v.name)).toEqual(['志愿者1', '志愿者2']);
    expect(mine.json().items[0].phone).toBe('139****0001');
    expect((await unitAgent.get(`/api/volunteers/${volIds[2]}`)).statusCode).toBe(404);
    // A volunteer has no registry access, only their own record, with their own phone.
    expect((await vol[0]!.get('/api/volunteers')).statusCode).toBe(403);
    expect((await vol[0]!.get('/api/volunteers/me')).json()).toMatchObject({
      name: '志愿者1',
      phone: '13900000001',
    });
    // Only the office writes; duplicates and stale versions are refused.
    expect(
      (await unitAgent.post('/api/volunteers', { name: 'x', phone: '13900000009' })).statusCode,
    ).toBe(403);
    const dup = await office.post('/api/volunteers', { name: '重复', phone: '139 0000 0001' });
    expect(dup.statusCode).toBe(409);
    const ok = await office.patch(`/api/volunteers/${volIds[0]}`, { skills: ['急救'], version: 1 });
    expect(ok.json()).toMatchObject({ skills: ['急救'], version: 2 });
    expect(
      (await office.patch(`/api/volunteers/${volIds[0]}`, { skills: [], version: 1 })).statusCode,
    ).toBe(409);
    // An edit of one field leaves the others as stored (the skills were once emptied and the
    // status reset by any edit that left them out).
    const renamed = await office.patch(`/api/volunteers/${volIds[0]}`, {
      name: '改名志愿者',
      version: 2,
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '改名志愿者', skills: ['急救'], version: 3 });
    expect(renamed.json().status).toBe(ok.json().status);
    const back = await office.patch(`/api/volunteers/${volIds[0]}`, {
      name: '志愿者1',
      version: 3,
    });
    expect(back.json()).toMatchObject({ name: '志愿者1', skills: ['急救'] });
  });

  it('imports all or nothing with row errors, and exports what it reads back', async () => {
    const sheet = async (rows: string[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('志愿者');
      ws.addRow(['姓名', '手机号', '所在单位', '志愿服务队', '特长', '所属社区', '状态']);
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const bad = await office.upload(
      '/api/volunteers/import',
      await sheet([
        ['张三', '13811112222', '市一中', '湖滨志愿服务队', '摄影、急救', '湖滨社区', '在册'],
        ['李四', '1381111', '', '不存在的队', '', '', ''],
        ['王五', '138 1111 2222', '', '', '', '火星社区', '退休'],
      ]),
    );
    expect(bad.statusCode).toBe(422);
    const rows = bad.json().error.rows as { row: number; column: string }[];
    expect(rows.map((r) => `${r.row}:${r.column}`)).toEqual(
      expect.arrayContaining(['3:手机号', '3:志愿服务队', '4:手机号', '4:所属社区', '4:状态']),
    );
    expect((await office.get('/api/volunteers?q=张三')).json().total).toBe(0);

    const good = await office.upload(
      '/api/volunteers/import',
      await sheet([
        ['张三', '13811112222', '市一中', '湖滨志愿服务队', '摄影、急救', '湖滨社区', '在册'],
        ['志愿者2(改)', '13900000002', '', '湖滨志愿服务队', '', '', ''],
      ]),
    );
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toEqual({ imported: 2, created: 1, updated: 1 });
    const z = (await office.get('/api/volunteers?q=张三')).json().items[0];
    expect(z).toMatchObject({
      skills: ['摄影', '急救'],
      teamName: '湖滨志愿服务队',
      regionName: '湖滨社区',
    });

    const exp = await office.get(`/api/volunteers/export.xlsx?teamId=${teamA}`);
    expect(exp.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exp.rawPayload as unknown as ArrayBuffer);
    const names = wb.worksheets[0]!.getColumn(1).values.slice(2);
    expect(names).toEqual(['志愿者1', '志愿者2(改)', '张三']);
    const back = await office.upload('/api/volunteers/import', exp.rawPayload);
    expect(back.json()).toMatchObject({ imported: 3, created: 0, updated: 3 });
  });
});

describe('activities', () => {
  it('lets one of two volunteers racing for the last seat have it', async () => {
    const a = await activity({ capacity: 2 });
    expect((await vol[0]!.post(`/api/volunteer-activities/${a.id}/sign-up`)).statusCode).toBe(200);
    // Signing up twice is still one seat.
    expect((await vol[0]!.post(`/api/volunteer-activities/${a.id}/sign-up`)).json().signedUp).toBe(
      1,
    );
    const [r1, r2] = await Promise.all([
      vol[1]!.post(`/api/volunteer-activities/${a.id}/sign-up`),
      vol[2]!.post(`/api/volunteer-activities/${a.id}/sign-up`),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const loser = r1.statusCode === 409 ? r1 : r2;
    expect(loser.json().error.code).toBe('activity_full');
    const after = (await office.get(`/api/volunteer-activities/${a.id}`)).json();
    expect(after).toMatchObject({ capacity: 2, signedUp: 2 });
    const list = (await office.get(`/api/volunteer-activities/${a.id}/attendees`)).json();
    expect(list.filter((x: { signedUp: boolean }) => x.signedUp)).toHaveLength(2);
    // A cancellation frees the seat for the other one.
    const winner = r1.statusCode === 200 ? vol[1]! : vol[2]!;
    const other = r1.statusCode === 200 ? vol[2]! : vol[1]!;
    expect(
      (await winner.post(`/api/volunteer-activities/${a.id}/cancel-sign-up`)).json().signedUp,
    ).toBe(1);
    expect((await other.post(`/api/volunteer-activities/${a.id}/sign-up`)).statusCode).toBe(200);
  });

  it('checks in by QR token once per person, whatever is retried', async () => {
    const a = await activity();
    const v = vol[0]!;
    const token = (await office.get(`/api/volunteer-activities/${a.id}/checkin-token`)).json();
    expect(token.url).toBe(`/m/checkin/${a.id}?t=${encodeURIComponent(token.token)}`);
    expect(token.shortCode).toMatch(/^\d{6}$/);
    const clientId = randomUUID();
    // Not signed up yet.
    const early = await v.post(`/api/volunteer-activities/${a.id}/check-in`, {
      method: 'qr',
      clientId,
      token: token.token,
    });
    expect(early.json().error.code).toBe('not_signed_up');
    await v.post(`/api/volunteer-activities/${a.id}/sign-up`);
    const first = await v.post(`/api/volunteer-activities/${a.id}/check-in`, {
      method: 'qr',
      clientId,
      token: token.token,
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().repeated).toBe(false);
    const again = await v.post(`/api/volunteer-activities/${a.id}/check-in`, {
      method: 'qr',
      clientId,
      token: token.token,
    });
    expect(again.json()).toMatchObject({ repeated: true, checkInAt: first.json().checkInAt });
    const otherId = await v.post(`/api/volunteer-activities/${a.id}/check-in`, {
      method: 'qr',
      clientId: randomUUID(),
      shortCode: token.shortCode,
    });
    expect(otherId.json()).toMatchObject({ repeated: true, checkInAt: first.json().checkInAt });
    // Someone else cannot reuse that client id.
    await vol[1]!.post(`/api/volunteer-activities/${a.id}/sign-up`);
    const stolen = await vol[1]!.post(`/api/volunteer-activities/${a.id}/check-in`, {
      method: 'qr',
      clientId,
      token: token.token,
    });
    expect(stolen.statusCode).toBe(409);
    const att = (await office.get(`/api/volunteer-activities/${a.id}/attendees`)).json();
    expect(att.filter((x: { checkInAt: string | null }) => x.checkInAt)).toHaveLength(1);
    // Check-out, twice: one check-out.
    const out1 = await v.post(`/api/volunteer-activities/${a.id}/check-out`, {
      method: 'qr',
      clientId: randomUUID(),
      token: token.token,
    });
    expect(out1.statusCode, out1.body).toBe(200);
    const out2 = await v.post(`/api/volunteer-activities/${a.id}/check-out`, {
      method: 'qr',
      clientId: randomUUID(),
      token: token.token,
    });
    expect(out2.json()).toMatchObject({ repeated: true, checkOutAt: out1.json().checkOutAt });
  });

  it('refuses forged and expired QR tokens with 4xx', async () => {
    const a = await activity();
    const b = await activity({ title: '另一场活动' });
    const v = vol[0]!;
    await v.post(`/api/volunteer-activities/${a.id}/sign-up`);
    const good = (await office.get(`/api/volunteer-activities/${a.id}/checkin-token`)).json()
      .token as string;
    const other = (await office.get(`/api/volunteer-activities/${b.id}/checkin-token`)).json()
      .token as string;
    const tampered = good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
    const [, window] = good.split('.');
    const send = (body: object) =>
      v.post(`/api/volunteer-activities/${a.id}/check-in`, {
        method: 'qr',
        clientId: randomUUID(),
        ...body,
      });
    expect((await send({ token: tampered })).statusCode).toBe(403);
    expect((await send({ token: other })).statusCode).toBe(403);
    expect((await send({ token: `${a.id}.${window}.not-a-signature` })).statusCode).toBe(403);
    expect((await send({ token: '' })).statusCode).toBe(400);
    expect((await send({ shortCode: '000000' })).json().error.code).toMatch(
      /checkin_token_invalid/,
    );
    // A genuine token from three windows ago has expired.
    const [secret] = await t.database.db
      .select()
      .from(settings)
      .where(eq(settings.key, 'volunteers.qr_secret'));
    const old = signToken(secret!.value as string, a.id, Number(window) - 3);
    const expired = await send({ token: old });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error.code).toBe('checkin_token_expired');
    // A token for a window not yet come is forged too.
    expect((await send({ token: signToken('guess', a.id, Number(window) + 5) })).statusCode).toBe(
      403,
    );
    expect((await send({ token: good })).statusCode).toBe(200);
    // The organiser's token is the office's to show.
    expect((await v.get(`/api/volunteer-activities/${a.id}/checkin-token`)).statusCode).toBe(403);
  });

  it('checks in by GPS only within the radius', async () => {
    const a = await activity();
    const v = vol[1]!;
    await v.post(`/api/volunteer-activities/${a.id}/sign-up`);
    const far = await v.post(`/api/volunteer-activities/${a.id}/check-in`, {
      method: 'gps',
      clientId: randomUUID(),
      lat: north(500),
      lng: AT.lng,
    });
    expect(far.statusCode).toBe(422);
    expect(far.json().error.code).toBe('checkin_too_far');
    // The radius is a setting.
    const s = (await office.get('/api/volunteer-settings')).json();
    expect(s.checkinRadiusM).toBe(200);
    await office.put('/api/volunteer-settings', { ...s, checkinRadiusM: 600 });
    const near = await v.post(`/api/volunteer-activities/${a.id}/check-in`, {
      method: 'gps',
      clientId: randomUUID(),
      lat: north(500),
      lng: AT.lng,
    });
    expect(near.statusCode, near.body).toBe(200);
    expect(near.json().distanceM).toBeGreaterThan(480);
    await office.put('/api/volunteer-settings', s);
    // Out of the activity's time no one checks in.
    const later = await activity({ startMs: 5 * 3600_000, endMs: 6 * 3600_000 });
    await v.post(`/api/volunteer-activities/${later.id}/sign-up`);
    const closed = await v.post(`/api/volunteer-activities/${later.id}/check-in`, {
      method: 'gps',
      clientId: randomUUID(),
      ...AT,
    });
    expect(closed.json().error.code).toBe('checkin_closed');
  });

  it("takes the phone's time of a check-in and check-out that waited in its offline queue", async () => {
    const v = vol[1]!;
    const H = 3_600_000;
    // 14:00–17:00 with the phone offline; it is 19:00 now, past the hour of grace.
    const a = await activity({ startMs: -5 * H, endMs: -2 * H, title: '离线签到活动' });
    await t.database.db
      .insert(activitySignups)
      .values({ activityId: a.id, volunteerId: volIds[1]! });
    await office.get(`/api/volunteer-activities/${a.id}/checkin-token`);
    const [secret] = await t.database.db
      .select()
      .from(settings)
      .where(eq(settings.key, 'volunteers.qr_secret'));
    const url = (step: string) => `/api/volunteer-activities/${a.id}/${step}`;
    const gps = { method: 'gps', lat: AT.lat, lng: AT.lng };

    // Sent now without the phone's time, it is out of the window, as before.
    const late = await v.post(url('check-in'), { ...gps, clientId: randomUUID() });
    expect(late.json().error.code).toBe('checkin_closed');
    // With it: recorded at 15:00.
    const inAt = iso(-4 * H);
    const checkIn = await v.post(url('check-in'), { ...gps, clientId: randomUUID(), at: inAt });
    expect(checkIn.statusCode, checkIn.body).toBe(200);
    expect(checkIn.json()).toMatchObject({ checkInAt: inAt, repeated: false });

    // The six digits shown on site at 16:30 are stale now, but proved presence then.
    const outAt = iso(-2.5 * H);
    const ttl = 120;
    const code = shortCodeFor(
      secret!.value as string,
      a.id,
      Math.floor(Date.parse(outAt) / 1000 / ttl),
    );
    const stale = await v.post(url('check-out'), {
      method: 'qr',
      clientId: randomUUID(),
      shortCode: code,
    });
    expect(stale.json().error.code).toBe('checkin_token_invalid');
    // A time the code was not shown at is refused too.
    const wrongTime = await v.post(url('check-out'), {
      method: 'qr',
      clientId: randomUUID(),
      shortCode: code,
      at: iso(-3.5 * H),
    });
    expect(wrongTime.json().error.code).toBe('checkin_token_invalid');
    const out = await v.post(url('check-out'), {
      method: 'qr',
      clientId: randomUUID(),
      shortCode: code,
      at: outAt,
    });
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json()).toMatchObject({ checkInAt: inAt, checkOutAt: outAt, creditedMinutes: 90 });
    const ledger = (await v.get('/api/volunteers/me/ledger')).json();
    expect(ledger.entries.find((e: { activityId: number }) => e.activityId === a.id)).toMatchObject(
      { minutes: 90, estimated: false },
    );
    const [audit] = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'volunteer.check_out'))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(audit!.after).toMatchObject({ at: outAt });

    // More than a day late, it is the organiser's to record from the roster.
    const b = await activity({ title: '当日活动' });
    await v.post(`/api/volunteer-activities/${b.id}/sign-up`);
    const old = await v.post(`/api/volunteer-activities/${b.id}/check-in`, {
      ...gps,
      clientId: randomUUID(),
      at: iso(-25 * H),
    });
    expect(old.statusCode).toBe(409);
    expect(old.json().error.code).toBe('checkin_too_old');
    // A phone clock running ahead counts as now; a check-out it dates before the check-in is
    // taken at the check-in.
    const ahead = await v.post(`/api/volunteer-activities/${b.id}/check-in`, {
      ...gps,
      clientId: randomUUID(),
      at: iso(H),
    });
    expect(ahead.statusCode, ahead.body).toBe(200);
    expect(Date.parse(ahead.json().checkInAt)).toBeLessThanOrEqual(Date.now());
    const before = await v.post(`/api/volunteer-activities/${b.id}/check-out`, {
      ...gps,
      clientId: randomUUID(),
      at: iso(-5 * MIN),
    });
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json().checkOutAt).toBe(ahead.json().checkInAt);
    // Not a date-time: 400 like any other bad field.
    const bad = await v.post(`/api/volunteer-activities/${b.id}/check-out`, {
      ...gps,
      clientId: randomUUID(),
      at: 'yesterday',
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('service hours', () => {
  it('counts a missing check-out to the scheduled end and overlapping activities once', async () => {
    const v = volIds[2]!;
    // Two past activities: 09:00–11:00 and 10:00–12:00 three days ago.
    const base = Date.now() - 3 * 86_400_000;
    const mk = async (title: string, s: number, e: number) =>
      (
        await office.post('/api/volunteer-activities', {
          title,
          startsAt: new Date(base + s * MIN).toISOString(),
          endsAt: new Date(base + e * MIN).toISOString(),
          placeId,
          capacity: 5,
        })
      ).json().id as number;
    const a = await mk('垃圾分类宣传', 0, 120);
    const b = await mk('敬老院探访', 60, 180);
    const rec = (id: number, inMin: number, outMin: number | null, clientId = randomUUID()) =>
      office.post(`/api/volunteer-activities/${id}/attendance`, {
        clientId,
        volunteerId: v,
        checkInAt: new Date(base + inMin * MIN).toISOString(),
        checkOutAt: outMin === null ? null : new Date(base + outMin * MIN).toISOString(),
        reason: '纸质签到表补录',
      });
    // A: checked in at 09:00, never checked out → counted to 11:00 (120 min, estimated).
    const cid = randomUUID();
    const r1 = await rec(a, 0, null, cid);
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r1.json().entries[0]).toMatchObject({ minutes: 120, estimated: true });
    // Retrying the same submission changes nothing.
    expect((await rec(a, 0, null, cid)).json().totalMinutes).toBe(120);
    // B: 10:00–12:00 overlaps A by an hour: only its last hour counts.
    const r2 = await rec(b, 60, 180);
    expect(r2.json().totalMinutes).toBe(180);
    const byTitle = Object.fromEntries(
      r2
        .json()
        .entries.map((e: { activityTitle: string; minutes: number }) => [
          e.activityTitle,
          e.minutes,
        ]),
    );
    expect(byTitle).toEqual({ 垃圾分类宣传: 120, 敬老院探访: 60 });
    // Under the strict missing-check-out rule A counts nothing and B gets all its time.
    const s = (await office.get('/api/volunteer-settings')).json();
    await office.put('/api/volunteer-settings', { ...s, missingCheckout: 'none' });
    expect((await office.get(`/api/volunteers/${v}/ledger`)).json().totalMinutes).toBe(120);
    await office.put('/api/volunteer-settings', s);
    expect((await office.get(`/api/volunteers/${v}/ledger`)).json().totalMinutes).toBe(180);
  });

  it('lets the office correct hours with a reason, audited, never below zero', async () => {
    const v = volIds[2]!;
    expect(
      (await unitAgent.post(`/api/volunteers/${v}/adjustments`, { minutes: 30, reason: '补记' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await office.post(`/api/volunteers/${v}/adjustments`, { minutes: 30, reason: '' }))
        .statusCode,
    ).toBe(400);
    const ok = await office.post(`/api/volunteers/${v}/adjustments`, {
      minutes: -30,
      reason: '提前离场，按实际核减',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().totalMinutes).toBe(150);
    expect(ok.json().entries.find((e: { kind: string }) => e.kind === 'adjustment')).toMatchObject({
      minutes: -30,
      reason: '提前离场，按实际核减',
    });
    expect(
      (
        await office.post(`/api/volunteers/${v}/adjustments`, {
          minutes: -1000,
          reason: '错误核减',
        })
      ).statusCode,
    ).toBe(400);
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'volunteer.hours_adjust'));
    expect(audit).toHaveLength(1);
    // The volunteer sees their own ledger.
    expect((await vol[2]!.get('/api/volunteers/me/ledger')).json().totalMinutes).toBe(150);
  });

  it("gives a station's monthly record and the statistics", async () => {
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const rec = await office.get(`/api/practice-places/${placeId}/monthly?month=${month}`);
    expect(rec.statusCode, rec.body).toBe(200);
    expect(rec.json().totals.activities).toBeGreaterThan(0);
    expect(rec.json().totals.attended).toBeGreaterThan(0);
    const x = await office.get(`/api/practice-places/${placeId}/monthly.xlsx?month=${month}`);
    expect(x.statusCode).toBe(200);
    expect(
      (await office.get(`/api/practice-places/${placeId}/monthly?month=2026-13`)).statusCode,
    ).toBe(400);

    await office.post('/api/practice-places', {
      kind: 'lei_feng',
      name: '火车站学雷锋志愿服务站',
      staff: [],
    });
    const pop = await office.put('/api/volunteer-stats/population', {
      regionId: communityId,
      population: 25,
    });
    expect(pop.statusCode, pop.body).toBe(200);
    const st = pop.json();
    // 3 registered in the community (志愿者1, 志愿者3, 张三; the import cleared 志愿者2's region)
    // of 25 residents = 12% < 13%; of 20 = 15% ≥ 13%.
    expect(st.registration).toEqual([
      expect.objectContaining({
        regionName: '湖滨社区',
        registered: 3,
        ratePct: 12,
        meetsTarget: false,
      }),
    ]);
    const st2 = (
      await office.put('/api/volunteer-stats/population', { regionId: communityId, population: 20 })
    ).json();
    expect(st2.registration[0]).toMatchObject({ ratePct: 15, meetsTarget: true });
    expect(st.totalRegistered).toBe(4);
    expect(st.activeVolunteers).toBeGreaterThanOrEqual(2);
    expect(st.hoursByTeam.map((h: { name: string }) => h.name)).toContain('市青年志愿者协会');
    expect(st.hoursByRegion[0].name).toBe('东湖区');
    expect(st.idlePlaces.map((p: { name: string }) => p.name)).toEqual(['火车站学雷锋志愿服务站']);
    expect((await unitAgent.get('/api/volunteer-stats')).statusCode).toBe(403);
    expect((await leader.get('/api/volunteer-stats')).statusCode).toBe(200);
  });

  it('adds photos to an activity once it has begun, from files the office uploaded', async () => {
    const begun = await activity({ title: '已开始的活动' });
    const future = await activity({
      title: '下周的活动',
      startMs: 7 * 86_400_000,
      endMs: 7 * 86_400_000 + 3600_000,
    });
    const mine = await office.upload('/api/files', await testJpeg(), 'a.jpg');
    expect(mine.statusCode, mine.body).toBe(201);
    const file = mine.json().id as string;
    expect(
      (await office.post(`/api/volunteer-activities/${future.id}/photos`, { fileIds: [file] }))
        .statusCode,
    ).toBe(400);
    expect(
      (await vol[0]!.post(`/api/volunteer-activities/${begun.id}/photos`, { fileIds: [file] }))
        .statusCode,
    ).toBe(403);
    // A file someone else uploaded cannot be attached.
    await buildUser(t.database.db, { username: 'office2', roles: ['office'] });
    const office2 = await t.login('office2');
    const up = await office2.upload('/api/files', await testJpeg({ color: '#00ff00' }), 'b.jpg');
    expect(up.statusCode, up.body).toBe(201);
    const other = up.json().id as string;
    const notMine = await office.post(`/api/volunteer-activities/${begun.id}/photos`, {
      fileIds: [other],
    });
    expect(notMine.statusCode, notMine.body).toBe(404);
    const ok = await office.post(`/api/volunteer-activities/${begun.id}/photos`, {
      fileIds: [file],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().photoIds).toEqual([file]);
  });
});
