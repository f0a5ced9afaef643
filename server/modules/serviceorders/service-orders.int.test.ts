import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TLedger } from '../../../core/contracts/volunteers.js';
import type {
  TPublicServiceMenu,
  TPublicServiceTrack,
  TServiceItem,
  TServiceOrder,
  TServiceOrderDetail,
  TServiceRecord,
  TServiceTasks,
} from '../../../core/contracts/service-orders.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';

// Issue #24, item 4 — 点单派单: a station's service menu, a resident's order on the public page (or
// a grid worker's for them), dispatch to a team with a deadline, volunteers taking it, checking in
// near the address and marking it done (their hours credited once, with the activities'), the
// requester's confirmation or the station's after the timeout, and the stations' record — with
// the refusals of the state machine, the levels' jurisdiction, the public form's rules and limits.

let t: TestApp;
let city: Agent;
let district: Agent;
let otherDistrict: Agent;
let leader: Agent;
let grid: Agent;
let unitAgent: Agent;
const vols: Record<'a' | 'b' | 'c' | 'd', Agent> = {} as never;
const ids = {} as {
  r1: number;
  r2: number;
  k1: number;
  k2: number;
  p1: number;
  p2: number;
  t1: number;
  t2: number;
  t3: number;
  va: number;
  vc: number;
};
// The station 湖滨站 and an address 100 m north of it.
const STATION = { lat: 30.2622, lng: 120.1502 };
const HOME = { lat: 30.2631, lng: 120.1502 };
const PHONE = '13912345678';
let ipSeq = 0;
const freshIp = () => `10.77.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

function expectStatus(res: Res, status: number): Res {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

/** A refusal's error, with both messages present (Chinese and English). */
function refusal(res: Res, status: number, code: string) {
  expectStatus(res, status);
  const e = res.json<{
    error: { code: string; messageZh: string; messageEn: string; fields?: { path: string }[] };
  }>().error;
  expect(e.code).toBe(code);
  expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.messageEn).toMatch(/[a-z]/);
  return e;
}

const json = <T>(res: Res, status = 200) => expectStatus(res, status).json<T>();

const publicOrder = (body: Record<string, unknown>, ip = freshIp()) =>
  t.app.inject({
    method: 'POST',
    url: '/api/public/service-orders',
    remoteAddress: ip,
    payload: body,
  });
const track = (code: string) =>
  t.app.inject({
    method: 'GET',
    url: `/api/public/service-orders/${code}`,
    remoteAddress: freshIp(),
  });
const publicConfirm = (code: string, body: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: `/api/public/service-orders/${code}/confirm`,
    remoteAddress: freshIp(),
    payload: body,
  });

const inTwoHours = () => new Date(Date.now() + 2 * 3_600_000).toISOString();
const order = (agent: Agent, id: number) =>
  agent.get(`/api/service-orders/${id}`).then((r) => json<TServiceOrderDetail>(r));
const idOfCode = async (code: string) =>
  (
    await execRows<{ id: number }>(
      t.database.db,
      sql`select id from service_orders where tracking_code = ${code}`,
    )
  ).map((r) => Number(r.id))[0]!;

async function audits(orderId: number) {
  return (
    await execRows<{ action: string }>(
      t.database.db,
      sql`select action from audit_log where entity_type = 'service_order'
          and entity_id = ${String(orderId)} order by id`,
    )
  ).map((r) => r.action);
}

const items = {} as {
  escort: TServiceItem;
  clean: TServiceItem;
  legal: TServiceItem;
  far: TServiceItem;
};
const orderBody = (over: Record<string, unknown> = {}) => ({
  itemId: items.escort.id,
  need: '老人腿脚不便，需要陪同去社区医院复诊',
  preferredTime: '周三上午',
  address: '湖滨路 12 号 3 单元 501',
  ...HOME,
  contactName: '张三丰',
  contactPhone: '139 1234 5678',
  deviceId: 'device-resident-1',
  ...over,
});

beforeAll(async () => {
  t = await createTestApp({
    CITIZEN_REPORTS_PER_IP_HOUR: '4',
    CITIZEN_REPORTS_PER_DEVICE_HOUR: '3',
  });
  const db = t.database.db;
  const c = await buildRegion(db, { name: '服务市', level: 'city' });
  const r1 = await buildRegion(db, { name: '服甲区', level: 'district', parent: c });
  const k1 = await buildRegion(db, { name: '湖滨社区', level: 'community', parent: r1 });
  const r2 = await buildRegion(db, { name: '服乙区', level: 'district', parent: c });
  const k2 = await buildRegion(db, { name: '柳岸社区', level: 'community', parent: r2 });
  Object.assign(ids, { r1: r1.id, r2: r2.id, k1: k1.id, k2: k2.id });
  await buildUser(db, { username: 'socity', roles: ['office'] });
  await buildUser(db, { username: 'sodist', roles: ['office'], regionId: r1.id });
  await buildUser(db, { username: 'sodist2', roles: ['office'], regionId: r2.id });
  await buildUser(db, { username: 'soleader', roles: ['leader'] });
  await buildUser(db, { username: 'sogrid', roles: ['grid_worker'], regionId: k1.id });
  await buildUser(db, { username: 'sounit', roles: ['unit'] });
  city = await t.login('socity');
  district = await t.login('sodist');
  otherDistrict = await t.login('sodist2');
  leader = await t.login('soleader');
  grid = await t.login('sogrid');
  unitAgent = await t.login('sounit');

  const place = async (name: string, regionId: number, at: { lat: number; lng: number }) =>
    json<{ id: number }>(
      await city.post('/api/practice-places', { kind: 'station', name, regionId, ...at }),
      201,
    ).id;
  ids.p1 = await place('湖滨社区新时代文明实践站', k1.id, STATION);
  ids.p2 = await place('柳岸社区新时代文明实践站', k2.id, { lat: 30.2588, lng: 120.1573 });
  const team = async (name: string, regionId: number) =>
    json<{ id: number }>(await city.post('/api/volunteer-teams', { name, regionId }), 201).id;
  ids.t1 = await team('湖滨助老服务队', r1.id);
  ids.t2 = await team('湖滨青年服务队', r1.id);
  ids.t3 = await team('柳岸服务队', r2.id);
  const volunteer = async (
    key: 'a' | 'b' | 'c' | 'd',
    teamId: number,
    regionId: number,
    n: number,
  ) => {
    const u = await buildUser(db, { username: `sovol${key}`, roles: ['volunteer'] });
    const v = json<{ id: number }>(
      await city.post('/api/volunteers', {
        name: `志愿者${key.toUpperCase()}`,
        phone: `1370000010${n}`,
        teamId,
        regionId,
        userId: u.id,
      }),
      201,
    );
    vols[key] = await t.login(u.username);
    return v.id;
  };
  ids.va = await volunteer('a', ids.t1, k1.id, 1);
  await volunteer('b', ids.t1, k1.id, 2);
  ids.vc = await volunteer('c', ids.t2, k1.id, 3);
  await volunteer('d', ids.t3, k2.id, 4);
});
afterAll(() => t.close());

describe('服务菜单', () => {
  it('the office publishes a station’s services and the teams that serve them', async () => {
    items.escort = json<TServiceItem>(
      await city.post('/api/service-items', {
        placeId: ids.p1,
        name: '助老陪诊',
        category: 'elderly',
        description: '陪同行动不便的老人就医',
        teamIds: [ids.t1],
      }),
      201,
    );
    expect(items.escort).toMatchObject({
      placeName: '湖滨社区新时代文明实践站',
      volunteersNeeded: 1,
      active: true,
      teams: [{ id: ids.t1, name: '湖滨助老服务队' }],
    });
    // The district office manages its own stations' menus.
    items.clean = json<TServiceItem>(
      await district.post('/api/service-items', {
        placeId: ids.p1,
        name: '楼道清洁',
        category: 'environment',
        teamIds: [ids.t1, ids.t2],
        volunteersNeeded: 2,
      }),
      201,
    );
    items.legal = json<TServiceItem>(
      await district.post('/api/service-items', {
        placeId: ids.p1,
        name: '法律咨询',
        category: 'legal',
      }),
      201,
    );
    items.far = json<TServiceItem>(
      await otherDistrict.post('/api/service-items', {
        placeId: ids.p2,
        name: '代买药品',
        category: 'medical',
        teamIds: [ids.t3],
      }),
      201,
    );
    // Another level's station is not there for it; another level's team is outside its reach.
    refusal(
      await district.post('/api/service-items', { placeId: ids.p2, name: 'X', category: 'other' }),
      404,
      'not_found',
    );
    refusal(
      await district.post('/api/service-items', {
        placeId: ids.p1,
        name: '跨区服务',
        category: 'other',
        teamIds: [ids.t3],
      }),
      403,
      'outside_jurisdiction',
    );
    refusal(
      await city.post('/api/service-items', {
        placeId: ids.p1,
        name: '助老陪诊',
        category: 'elderly',
      }),
      409,
      'duplicate',
    );
    refusal(
      await district.patch(`/api/service-items/${items.far.id}`, { version: 1, name: 'Y' }),
      404,
      'not_found',
    );
  });

  it('edits at the version read; withdrawn items leave the public menu', async () => {
    const extra = json<TServiceItem>(
      await city.post('/api/service-items', {
        placeId: ids.p1,
        name: '文艺演出',
        category: 'culture',
      }),
      201,
    );
    refusal(
      await city.patch(`/api/service-items/${extra.id}`, { version: 9, active: false }),
      409,
      'stale_version',
    );
    const off = json<TServiceItem>(
      await city.patch(`/api/service-items/${extra.id}`, { version: 1, active: false }),
    );
    expect(off).toMatchObject({ active: false, version: 2, name: '文艺演出' });
    const menu = json<TPublicServiceMenu>(
      await t.app.inject({ method: 'GET', url: '/api/public/service-menu' }),
    );
    const p1 = menu.stations.find((s) => s.id === ids.p1)!;
    expect(p1.items.map((i) => i.name).sort()).toEqual(['助老陪诊', '法律咨询', '楼道清洁'].sort());
    expect(JSON.stringify(menu)).not.toContain('服务队');
    // A grid worker sees what is offered, every station's; a unit or a volunteer does not read menus.
    const gridMenu = json<{ items: TServiceItem[] }>(await grid.get('/api/service-items'));
    expect(gridMenu.items.map((i) => i.name)).not.toContain('文艺演出');
    expect(gridMenu.items.map((i) => i.name)).toContain('代买药品');
    const ownLevel = json<{ items: TServiceItem[] }>(await district.get('/api/service-items'));
    expect(ownLevel.items.map((i) => i.name)).not.toContain('代买药品');
    refusal(await unitAgent.get('/api/service-items'), 403, 'forbidden');
    refusal(await vols.a.get('/api/service-items'), 403, 'forbidden');
    refusal(
      await vols.a.post('/api/service-items', { placeId: ids.p1, name: 'Z', category: 'other' }),
      403,
      'forbidden',
    );
  });
});

describe('点单 on the public page', () => {
  let code: string;

  it('validates the form and refuses what is not offered, and bots', async () => {
    const bad = refusal(
      await publicOrder(orderBody({ need: '帮忙', contactPhone: '12345', contactName: '' })),
      400,
      'invalid',
    );
    const paths = (bad.fields ?? []).map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.need', 'body.contactPhone', 'body.contactName']),
    );
    const half = refusal(await publicOrder(orderBody({ lng: undefined })), 400, 'invalid');
    expect(half.fields?.map((f) => f.path)).toEqual(['body.lat']);
    refusal(await publicOrder(orderBody({ itemId: 999_999 })), 400, 'invalid');
    const withdrawn = json<{ items: TServiceItem[] }>(await city.get('/api/service-items'));
    const off = withdrawn.items.find((i) => !i.active)!;
    refusal(await publicOrder(orderBody({ itemId: off.id })), 400, 'invalid');
    refusal(await publicOrder(orderBody({ website: 'http://spam' })), 400, 'invalid');
  });

  it('takes a resident’s order and gives back a tracking code; the contact stays masked', async () => {
    const res = json<{ trackingCode: string; orderedAt: string }>(
      await publicOrder(orderBody({ deviceId: 'device-resident-ok' })),
      201,
    );
    expect(res.trackingCode).toMatch(/^FW[2-9A-HJ-NP-Z]{10}$/);
    code = res.trackingCode;
    const page = json<TPublicServiceTrack>(await track(code.toLowerCase()));
    expect(page).toMatchObject({
      state: 'ordered',
      stationName: '湖滨社区新时代文明实践站',
      itemName: '助老陪诊',
      contactName: '张**',
      contactPhone: '139****5678',
      canConfirm: false,
      timeline: [{ action: 'order', note: null }],
    });
    expect(JSON.stringify(page)).not.toContain(PHONE);
    refusal(await track('FW23456789AB'), 404, 'not_found');
    expectStatus(await track('SJ23456789AB'), 400);
    const id = await idOfCode(code);
    const staff = await order(city, id);
    expect(staff).toMatchObject({
      contactName: '张**',
      contactPhone: '139****5678',
      channel: 'public',
    });
    expect(JSON.stringify(staff)).not.toContain(PHONE);
    expect(staff.actions).toEqual(['dispatch', 'decline']);
    expect(await audits(id)).toEqual(['serviceorder.order']);
  });

  it('limits orders per device and per address (429 with Retry-After)', async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      expectStatus(await publicOrder(orderBody({ deviceId: 'device-flood' }), freshIp()), 201);
    }
    const device = await publicOrder(orderBody({ deviceId: 'device-flood' }), freshIp());
    refusal(device, 429, 'rate_limited');
    expect(Number(device.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) {
      // Malformed or not, a request from the address counts.
      await publicOrder({ bad: true }, ip);
    }
    refusal(
      await publicOrder(orderBody({ deviceId: `device-ip-${ipSeq}` }), ip),
      429,
      'rate_limited',
    );
  });

  it('shows the full contact only to those serving the order, and audits each look', async () => {
    const id = await idOfCode(code);
    expect(
      json<{ contactPhone: string }>(await district.post(`/api/service-orders/${id}/contact`)),
    ).toEqual({
      contactName: '张三丰',
      contactPhone: PHONE,
    });
    refusal(await otherDistrict.post(`/api/service-orders/${id}/contact`), 404, 'not_found');
    refusal(await leader.post(`/api/service-orders/${id}/contact`), 403, 'forbidden');
    expect(await audits(id)).toContain('serviceorder.contact');
  });
});

describe('派单, 接单, on site, done, confirmed', () => {
  let id: number;
  let code: string;

  it('the station dispatches to a team of the service, with a deadline in the future', async () => {
    code = json<{ trackingCode: string }>(
      await publicOrder(orderBody({ deviceId: 'dev-flow-1' })),
      201,
    ).trackingCode;
    id = await idOfCode(code);
    const o = await order(district, id);
    refusal(
      await district.post(`/api/service-orders/${id}/dispatch`, {
        teamId: ids.t2,
        deadline: inTwoHours(),
        version: o.version,
      }),
      400,
      'invalid',
    );
    const past = refusal(
      await district.post(`/api/service-orders/${id}/dispatch`, {
        teamId: ids.t1,
        deadline: new Date(Date.now() - 60_000).toISOString(),
        version: o.version,
      }),
      400,
      'invalid',
    );
    expect(past.fields?.[0]?.path).toBe('body.deadline');
    refusal(
      await district.post(`/api/service-orders/${id}/dispatch`, {
        teamId: ids.t1,
        deadline: inTwoHours(),
        version: o.version + 5,
      }),
      409,
      'stale_version',
    );
    // Another level's office does not see it; a leader reads but does not dispatch.
    refusal(
      await otherDistrict.post(`/api/service-orders/${id}/dispatch`, {
        teamId: ids.t3,
        deadline: inTwoHours(),
        version: o.version,
      }),
      404,
      'not_found',
    );
    refusal(
      await leader.post(`/api/service-orders/${id}/dispatch`, {
        teamId: ids.t1,
        deadline: inTwoHours(),
        version: o.version,
      }),
      403,
      'forbidden',
    );
    const sent = json<TServiceOrderDetail>(
      await district.post(`/api/service-orders/${id}/dispatch`, {
        teamId: ids.t1,
        deadline: inTwoHours(),
        version: o.version,
      }),
    );
    expect(sent).toMatchObject({ state: 'dispatched', teamName: '湖滨助老服务队', overdue: false });
    expect(sent.events.map((e) => e.action)).toEqual(['order', 'dispatch']);
    expect(json<TPublicServiceTrack>(await track(code)).teamName).toBe('湖滨助老服务队');
  });

  it('a volunteer of that team takes it (once); others are refused', async () => {
    const tasks = json<TServiceTasks>(await vols.a.get('/api/service-orders/tasks'));
    expect(tasks.teamName).toBe('湖滨助老服务队');
    expect(tasks.open.map((o) => o.id)).toContain(id);
    expect(tasks.open.find((o) => o.id === id)!.actions).toEqual(['take']);
    // Another team's volunteer, and one of another district, do not reach it.
    refusal(
      await vols.c.post(`/api/service-orders/${id}/take`, { clientId: randomUUID() }),
      404,
      'not_found',
    );
    refusal(await vols.d.get(`/api/service-orders/${id}`), 404, 'not_found');
    expect(json<TServiceTasks>(await vols.c.get('/api/service-orders/tasks')).open).toEqual([]);
    const clientId = randomUUID();
    const taken = json<TServiceOrderDetail>(
      await vols.a.post(`/api/service-orders/${id}/take`, { clientId }),
    );
    expect(taken).toMatchObject({
      state: 'taken',
      takers: [{ volunteerId: ids.va, checkInAt: null }],
    });
    expect(taken.actions).toEqual(['release', 'check_in']);
    // The queue sends it twice: the same seat.
    expect(
      json<TServiceOrderDetail>(await vols.a.post(`/api/service-orders/${id}/take`, { clientId }))
        .takers,
    ).toHaveLength(1);
    // One volunteer needed: the seat is gone.
    const full = refusal(
      await vols.b.post(`/api/service-orders/${id}/take`, { clientId: randomUUID() }),
      409,
      'illegal_transition',
    );
    expect(full.messageZh).toContain('接单人数已满');
    // The office holds the permission but is no volunteer.
    refusal(
      await city.post(`/api/service-orders/${id}/take`, { clientId: randomUUID() }),
      403,
      'not_a_volunteer',
    );
    // A release puts it back; taken again.
    const released = json<TServiceOrderDetail>(
      await vols.a.post(`/api/service-orders/${id}/release`, { clientId: randomUUID() }),
    );
    expect(released).toMatchObject({ state: 'dispatched', takers: [], takenAt: null });
    json(await vols.a.post(`/api/service-orders/${id}/take`, { clientId: randomUUID() }));
    // The taker reads the contact while serving it.
    expect(
      json<{ contactPhone: string }>(await vols.a.post(`/api/service-orders/${id}/contact`))
        .contactPhone,
    ).toBe(PHONE);
  });

  it('checks in by GPS near the address only, and not twice', async () => {
    const far = refusal(
      await vols.a.post(`/api/service-orders/${id}/check-in`, {
        clientId: randomUUID(),
        lat: 30.29,
        lng: 120.18,
      }),
      422,
      'checkin_too_far',
    );
    expect(far.messageZh).toContain('服务地址');
    refusal(
      await vols.a.post(`/api/service-orders/${id}/check-in`, {
        clientId: randomUUID(),
        ...HOME,
        at: new Date(Date.now() - 25 * 3_600_000).toISOString(),
      }),
      409,
      'step_too_old',
    );
    // Not done before anyone is there.
    refusal(
      await vols.a.post(`/api/service-orders/${id}/done`, {
        clientId: randomUUID(),
        note: '已完成服务',
      }),
      403,
      'step_not_yours',
    );
    const clientId = randomUUID();
    const here = json<TServiceOrderDetail>(
      await vols.a.post(`/api/service-orders/${id}/check-in`, {
        clientId,
        lat: HOME.lat + 0.0003,
        lng: HOME.lng,
      }),
    );
    expect(here.state).toBe('on_site');
    expect(here.takers[0]!.checkInAt).not.toBeNull();
    expect(here.actions).toEqual(['finish']);
    // A repeat from the queue is the same check-in; another client id now is too.
    json(await vols.a.post(`/api/service-orders/${id}/check-in`, { clientId, ...HOME }));
    json(
      await vols.a.post(`/api/service-orders/${id}/check-in`, { clientId: randomUUID(), ...HOME }),
    );
    const rows = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from activity_attendance where service_order_id = ${id}`,
    );
    expect(rows[0]!.n).toBe(1);
    refusal(
      await vols.a.post(`/api/service-orders/${id}/release`, { clientId: randomUUID() }),
      409,
      'illegal_transition',
    );
  });

  it('marks it done with a note and a photo; the hours are credited from on site to done, once', async () => {
    // An hour on site (moved back in time: the test does not wait an hour).
    await t.database.db.execute(
      sql`update activity_attendance set check_in_at = check_in_at - interval '60 minutes'
          where service_order_id = ${id}`,
    );
    await t.database.db.execute(
      sql`update service_orders set ordered_at = ordered_at - interval '100 minutes',
            dispatched_at = dispatched_at - interval '90 minutes', taken_at = taken_at - interval '80 minutes',
            on_site_at = on_site_at - interval '60 minutes' where id = ${id}`,
    );
    const before = json<TLedger>(await vols.a.get('/api/volunteers/me/ledger')).totalMinutes;
    const photo = json<{ id: string }>(
      await vols.a.upload('/api/files', await testJpeg(), 'p.jpg'),
      201,
    ).id;
    const clientId = randomUUID();
    // A teammate without a seat: the order, in hand, is no longer theirs to see.
    refusal(
      await vols.b.post(`/api/service-orders/${id}/done`, { clientId: randomUUID(), note: '完成' }),
      404,
      'not_found',
    );
    const done = json<TServiceOrderDetail>(
      await vols.a.post(`/api/service-orders/${id}/done`, {
        clientId,
        note: '已陪同老人完成复诊，送回家中',
        photoIds: [photo],
      }),
    );
    expect(done).toMatchObject({ state: 'done', doneNote: '已陪同老人完成复诊，送回家中' });
    expect(done.photos.map((p) => p.id)).toEqual([photo]);
    expect(done.takers[0]!.creditedMinutes).toBe(60);
    const ledger = json<TLedger>(await vols.a.get('/api/volunteers/me/ledger'));
    expect(ledger.totalMinutes).toBe(before + 60);
    const entry = ledger.entries.find((e) => e.kind === 'service')!;
    expect(entry).toMatchObject({
      serviceOrderId: id,
      activityId: null,
      minutes: 60,
      estimated: false,
    });
    expect(entry.activityTitle).toContain('助老陪诊');
    // The queue sends it twice: still done once, the hours once.
    json(
      await vols.a.post(`/api/service-orders/${id}/done`, {
        clientId,
        note: '已陪同老人完成复诊，送回家中',
      }),
    );
    expect(json<TLedger>(await vols.a.get('/api/volunteers/me/ledger')).totalMinutes).toBe(
      before + 60,
    );
    // The office re-credits everyone when the rules change: still once.
    const settings = json<Record<string, unknown>>(await city.get('/api/volunteer-settings'));
    json(await city.put('/api/volunteer-settings', { ...settings, maxMinutesPerDay: 11 * 60 }));
    expect(json<TLedger>(await vols.a.get('/api/volunteers/me/ledger')).totalMinutes).toBe(
      before + 60,
    );
    // 文明积分 for the hour, as a check-out earns them: once (10 points an hour by default).
    const grants = await execRows<{ delta: number; note: string }>(
      t.database.db,
      sql`select l.delta, l.note from credit_ledger l join credit_accounts a on a.id = l.account_id
          where a.volunteer_id = ${ids.va} and l.source_kind = 'volunteer_hours'`,
    );
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ delta: 10 });
    expect(grants[0]!.note).toContain('点单服务：助老陪诊');
    // The registry's totals read the same table.
    const v = json<{ totalMinutes?: number }>(await city.get(`/api/volunteers/${ids.va}/ledger`));
    expect(v.totalMinutes).toBe(before + 60);
    // The photo is the order's: its station reads it, another district does not.
    expectStatus(await district.get(`/api/files/${photo}/thumb`), 200);
    expectStatus(await otherDistrict.get(`/api/files/${photo}/thumb`), 404);
  });

  it('the station waits for the requester; the requester confirms once', async () => {
    const o = await order(district, id);
    expect(o.actions).toEqual([]);
    const early = refusal(
      await district.post(`/api/service-orders/${id}/confirm`, {
        reason: '电话回访',
        version: o.version,
      }),
      409,
      'illegal_transition',
    );
    expect(early.messageZh).toContain('72 小时');
    const page = json<TPublicServiceTrack>(await track(code));
    expect(page).toMatchObject({
      state: 'done',
      canConfirm: true,
      doneNote: '已陪同老人完成复诊，送回家中',
    });
    // Never a volunteer's name on the public page.
    expect(JSON.stringify(page)).not.toContain('志愿者A');
    const confirmed = json<TPublicServiceTrack>(
      await publicConfirm(code, { satisfied: true, comment: '非常感谢' }),
    );
    expect(confirmed).toMatchObject({
      state: 'confirmed',
      satisfied: true,
      comment: '非常感谢',
      confirmedBy: 'requester',
      canConfirm: false,
    });
    expect(confirmed.timeline.map((e) => e.action)).toEqual([
      'order',
      'dispatch',
      'take',
      'release',
      'take',
      'check_in',
      'finish',
      'confirm',
    ]);
    const again = refusal(
      await publicConfirm(code, { satisfied: false }),
      409,
      'illegal_transition',
    );
    expect(again.messageZh).toContain('已办结');
    expect(await audits(id)).toEqual([
      'serviceorder.order',
      'serviceorder.dispatch',
      'serviceorder.take',
      'serviceorder.release',
      'serviceorder.take',
      'serviceorder.contact',
      'serviceorder.check_in',
      'serviceorder.finish',
      'serviceorder.confirm',
    ]);
  });

  it('an order for two: both take, each credited for their own time on site', async () => {
    const c = json<{ trackingCode: string }>(
      await publicOrder(orderBody({ itemId: items.clean.id, deviceId: 'dev-flow-2' })),
      201,
    ).trackingCode;
    const oid = await idOfCode(c);
    const o = await order(city, oid);
    expect(o.volunteersNeeded).toBe(2);
    json(
      await city.post(`/api/service-orders/${oid}/dispatch`, {
        teamId: ids.t1,
        deadline: inTwoHours(),
        version: o.version,
      }),
    );
    json(await vols.a.post(`/api/service-orders/${oid}/take`, { clientId: randomUUID() }));
    expect((await order(city, oid)).state).toBe('taken');
    expect(
      json<TServiceTasks>(await vols.b.get('/api/service-orders/tasks')).open.map((x) => x.id),
    ).toContain(oid);
    json(await vols.b.post(`/api/service-orders/${oid}/take`, { clientId: randomUUID() }));
    json(
      await vols.a.post(`/api/service-orders/${oid}/check-in`, { clientId: randomUUID(), ...HOME }),
    );
    json(
      await vols.b.post(`/api/service-orders/${oid}/check-in`, { clientId: randomUUID(), ...HOME }),
    );
    // A's first order is moved three hours back with it: one person's time counts once, so its
    // hour on site would otherwise overlap these 40 minutes.
    await t.database.db.execute(
      sql`update activity_attendance set check_in_at = check_in_at - interval '3 hours',
            check_out_at = check_out_at - interval '3 hours' where service_order_id = ${id}`,
    );
    await t.database.db.execute(
      sql`update activity_attendance set check_in_at = check_in_at - (case when volunteer_id = ${ids.va}
            then interval '40 minutes' else interval '20 minutes' end) where service_order_id = ${oid}`,
    );
    const done = json<TServiceOrderDetail>(
      await vols.b.post(`/api/service-orders/${oid}/done`, {
        clientId: randomUUID(),
        note: '楼道已清扫干净',
      }),
    );
    expect(done.takers.map((x) => x.creditedMinutes).sort()).toEqual([20, 40]);
    // …and A's first order still counts its hour.
    expect((await order(city, id)).takers[0]!.creditedMinutes).toBe(60);
  });
});

describe('declines, the station’s confirmation, orders on behalf', () => {
  it('declines with a reason the requester reads; nothing more happens to it', async () => {
    const code = json<{ trackingCode: string }>(
      await publicOrder(orderBody({ deviceId: 'dev-decline' })),
      201,
    ).trackingCode;
    const id = await idOfCode(code);
    const o = await order(city, id);
    refusal(
      await city.post(`/api/service-orders/${id}/decline`, { reason: '', version: o.version }),
      400,
      'invalid',
    );
    const declined = json<TServiceOrderDetail>(
      await city.post(`/api/service-orders/${id}/decline`, {
        reason: '不在本站服务范围，请联系社区卫生服务中心',
        version: o.version,
      }),
    );
    expect(declined).toMatchObject({
      state: 'declined',
      declineReason: '不在本站服务范围，请联系社区卫生服务中心',
    });
    const page = json<TPublicServiceTrack>(await track(code));
    expect(page.timeline.at(-1)).toMatchObject({
      action: 'decline',
      note: '不在本站服务范围，请联系社区卫生服务中心',
    });
    const e = refusal(
      await city.post(`/api/service-orders/${id}/dispatch`, {
        teamId: ids.t1,
        deadline: inTwoHours(),
        version: declined.version,
      }),
      409,
      'illegal_transition',
    );
    expect(e.messageZh).toContain('不予受理');
    expect(e.messageEn).toContain('Declined');
  });

  it('the requester cancels (撤销) until someone is on site; the taker sees it cancelled', async () => {
    const code = json<{ trackingCode: string }>(
      await publicOrder(orderBody({ deviceId: 'dev-cancel' })),
      201,
    ).trackingCode;
    const id = await idOfCode(code);
    expect(json<TPublicServiceTrack>(await track(code)).canCancel).toBe(true);
    const o = await order(district, id);
    json(
      await district.post(`/api/service-orders/${id}/dispatch`, {
        teamId: ids.t1,
        deadline: inTwoHours(),
        version: o.version,
      }),
    );
    json(await vols.a.post(`/api/service-orders/${id}/take`, { clientId: randomUUID() }));
    const cancel = (body: Record<string, unknown>, c = code) =>
      t.app.inject({
        method: 'POST',
        url: `/api/public/service-orders/${c}/cancel`,
        remoteAddress: freshIp(),
        payload: body,
      });
    refusal(await cancel({ reason: '长'.repeat(201) }), 400, 'invalid');
    refusal(await cancel({}, 'FW22222222AB'), 404, 'not_found');
    const page = json<TPublicServiceTrack>(await cancel({ reason: '家人已陪同去医院' }));
    expect(page).toMatchObject({ state: 'cancelled', canCancel: false, canConfirm: false });
    expect(page.timeline.at(-1)).toMatchObject({ action: 'cancel', note: '家人已陪同去医院' });
    // The station sees it cancelled, with the reason; so does the volunteer who took it, with
    // nothing left to do (their list keeps their orders, done or not).
    expect(await order(district, id)).toMatchObject({ state: 'cancelled', actions: [] });
    const [row] = await execRows<{ cancelled_at: Date | null; cancel_reason: string | null }>(
      t.database.db,
      sql`select cancelled_at, cancel_reason from service_orders where id = ${id}`,
    );
    expect(row!.cancelled_at).not.toBeNull();
    expect(row!.cancel_reason).toBe('家人已陪同去医院');
    const tasks = json<TServiceTasks>(await vols.a.get('/api/service-orders/tasks'));
    expect(tasks.open.map((x) => x.id)).not.toContain(id);
    expect(tasks.mine.find((x) => x.id === id)).toMatchObject({ state: 'cancelled', actions: [] });
    // Once is all: cancelled is final, for the station too.
    const again = refusal(await cancel({}), 409, 'illegal_transition');
    expect(again.messageZh).toContain('已撤销');
    refusal(
      await vols.a.post(`/api/service-orders/${id}/check-in`, {
        clientId: randomUUID(),
        ...HOME,
      }),
      409,
      'illegal_transition',
    );
    expect(await audits(id)).toContain('serviceorder.cancel');
  });

  it('two volunteers racing for the one seat: one takes it, the other is told it is gone', async () => {
    const code = json<{ trackingCode: string }>(
      await publicOrder(orderBody({ deviceId: 'dev-race' })),
      201,
    ).trackingCode;
    const id = await idOfCode(code);
    const o = await order(city, id);
    json(
      await city.post(`/api/service-orders/${id}/dispatch`, {
        teamId: ids.t1,
        deadline: inTwoHours(),
        version: o.version,
      }),
    );
    const answers = await Promise.all(
      [vols.a, vols.b].map((v) =>
        v.post(`/api/service-orders/${id}/take`, { clientId: randomUUID() }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await order(city, id)).takers).toHaveLength(1);
    // Not to clutter the record below: declined after all.
    const now = await order(city, id);
    expect(now.state).toBe('taken');
    refusal(
      await city.post(`/api/service-orders/${id}/decline`, {
        reason: '重复',
        version: now.version,
      }),
      409,
      'illegal_transition',
    );
  });

  it('after the timeout the station confirms for a silent requester, saying why', async () => {
    const code = json<{ trackingCode: string }>(
      await publicOrder(orderBody({ deviceId: 'dev-timeout' })),
      201,
    ).trackingCode;
    const id = await idOfCode(code);
    let o = await order(city, id);
    json(
      await city.post(`/api/service-orders/${id}/dispatch`, {
        teamId: ids.t1,
        deadline: inTwoHours(),
        version: o.version,
      }),
    );
    json(await vols.a.post(`/api/service-orders/${id}/take`, { clientId: randomUUID() }));
    json(
      await vols.a.post(`/api/service-orders/${id}/check-in`, { clientId: randomUUID(), ...HOME }),
    );
    json(
      await vols.a.post(`/api/service-orders/${id}/done`, {
        clientId: randomUUID(),
        note: '已送药上门',
      }),
    );
    await t.database.db.execute(
      sql`update service_orders set done_at = done_at - interval '73 hours' where id = ${id}`,
    );
    o = await order(city, id);
    expect(o.actions).toEqual(['confirm_for']);
    const c = json<TServiceOrderDetail>(
      await city.post(`/api/service-orders/${id}/confirm`, {
        reason: '三次电话未接通，按期办结',
        version: o.version,
      }),
    );
    expect(c).toMatchObject({
      state: 'confirmed',
      confirmedBy: 'station',
      satisfied: null,
      confirmReason: '三次电话未接通，按期办结',
    });
    expect(c.events.at(-1)).toMatchObject({
      action: 'confirm_for',
      note: '三次电话未接通，按期办结',
    });
  });

  it('a grid worker orders for a resident from the phone; a repeat is the same order', async () => {
    const clientId = randomUUID();
    const body = {
      itemId: items.legal.id,
      need: '邻里纠纷，需要法律咨询',
      address: '湖滨路 20 号',
      contactName: '李四',
      contactPhone: '13800001111',
      clientId,
    };
    const made = json<TServiceOrderDetail>(await grid.post('/api/service-orders', body), 201);
    expect(made).toMatchObject({
      channel: 'staff',
      state: 'ordered',
      contactPhone: '138****1111',
      lat: null,
    });
    expect(made.orderedByName).toBeTruthy();
    expect(json<TServiceOrderDetail>(await grid.post('/api/service-orders', body), 201).id).toBe(
      made.id,
    );
    refusal(await district.post('/api/service-orders', body), 409, 'duplicate');
    // The grid worker sees the orders they placed, not the station's others.
    const mine = json<{ items: TServiceOrder[] }>(await grid.get('/api/service-orders'));
    expect(mine.items.map((o) => o.id)).toEqual([made.id]);
    const publicOne = json<{ items: TServiceOrder[] }>(
      await city.get('/api/service-orders?state=confirmed'),
    );
    refusal(await grid.get(`/api/service-orders/${publicOne.items[0]!.id}`), 404, 'not_found');
    // A district office orders from its own stations only.
    refusal(
      await otherDistrict.post('/api/service-orders', { ...body, clientId: randomUUID() }),
      403,
      'outside_jurisdiction',
    );
    // No position: dispatch asks for one (the volunteers check in there).
    const e = refusal(
      await district.post(`/api/service-orders/${made.id}/dispatch`, {
        teamId: ids.t2,
        deadline: inTwoHours(),
        version: made.version,
      }),
      400,
      'invalid',
    );
    expect(e.fields?.[0]?.path).toBe('body.lat');
    // 法律咨询 names no team: any team of the level; another level's team is outside it.
    refusal(
      await district.post(`/api/service-orders/${made.id}/dispatch`, {
        teamId: ids.t3,
        deadline: inTwoHours(),
        version: made.version,
        ...HOME,
      }),
      403,
      'outside_jurisdiction',
    );
    const sent = json<TServiceOrderDetail>(
      await district.post(`/api/service-orders/${made.id}/dispatch`, {
        teamId: ids.t2,
        deadline: new Date(Date.now() + 60_000).toISOString(),
        version: made.version,
        ...HOME,
      }),
    );
    expect(sent).toMatchObject({ state: 'dispatched', lat: HOME.lat });
    // Past its deadline and not done: overdue.
    await t.database.db.execute(
      sql`update service_orders set deadline = now() - interval '1 minute' where id = ${made.id}`,
    );
    expect((await order(district, made.id)).overdue).toBe(true);
    const overdue = json<{ items: TServiceOrder[] }>(
      await district.get('/api/service-orders?overdue=true'),
    );
    expect(overdue.items.map((o) => o.id)).toEqual([made.id]);
  });
});

describe('the stations’ record', () => {
  it('counts orders by state, times each step, overdue and satisfaction, per station and in total', async () => {
    const rec = json<TServiceRecord>(await district.get('/api/service-records'));
    expect(rec.stations.map((s) => s.placeName)).toEqual(['湖滨社区新时代文明实践站']);
    const s = rec.stations[0]!;
    expect(s.orders).toBe(rec.totals.orders);
    expect(s.byState).toMatchObject({
      confirmed: 2,
      declined: 1,
      cancelled: 1,
      done: 1,
      dispatched: 1,
    });
    expect(s.byState.ordered).toBeGreaterThan(0);
    expect(s.overdue).toBe(1);
    expect(s).toMatchObject({ rated: 1, satisfied: 1, satisfactionPct: 100 });
    expect(s.volunteerMinutes).toBe(120);
    expect(s.medianMinutes.serve).not.toBeNull();
    expect(s.medianMinutes.dispatch).not.toBeNull();
    expect(s.medianMinutes.confirm).toBeGreaterThan(0);
    // The other district's station: its own, empty.
    const other = json<TServiceRecord>(await otherDistrict.get('/api/service-records'));
    expect(other.stations.map((x) => [x.placeName, x.orders])).toEqual([
      ['柳岸社区新时代文明实践站', 0],
    ]);
    expect(other.totals.medianMinutes.serve).toBeNull();
    const all = json<TServiceRecord>(
      await leader.get(`/api/service-records?month=${new Date().toISOString().slice(0, 7)}`),
    );
    expect(all.stations).toHaveLength(2);
    refusal(await leader.get(`/api/service-records?placeId=999999`), 404, 'not_found');
    refusal(await grid.get('/api/service-records'), 403, 'forbidden');
    refusal(await vols.a.get('/api/service-records'), 403, 'forbidden');
    const nextYear = json<TServiceRecord>(
      await city.get(`/api/service-records?month=${new Date().getFullYear() + 1}-01`),
    );
    expect(nextYear.totals.orders).toBe(0);
  });
});

describe('hours: one source of truth', () => {
  it('a service order that overlaps an activity counts the overlapped time once', async () => {
    const start = Date.now() - 3 * 3_600_000;
    const activity = json<{ id: number }>(
      await city.post('/api/volunteer-activities', {
        title: '湖滨社区清洁日',
        startsAt: new Date(start).toISOString(),
        endsAt: new Date(start + 2 * 3_600_000).toISOString(),
        capacity: 10,
        placeId: ids.p1,
      }),
      201,
    );
    const before = json<TLedger>(await vols.c.get('/api/volunteers/me/ledger')).totalMinutes;
    // The activity from its start to its end (120 min), recorded from the roster.
    json(
      await city.post(`/api/volunteer-activities/${activity.id}/attendance`, {
        volunteerId: ids.vc,
        clientId: randomUUID(),
        checkInAt: new Date(start).toISOString(),
        checkOutAt: new Date(start + 2 * 3_600_000).toISOString(),
        reason: '纸质签到表补录',
      }),
    );
    // An order served from 30 min before the activity's end to 30 min after it.
    const code = json<{ trackingCode: string }>(
      await publicOrder(orderBody({ itemId: items.clean.id, deviceId: 'dev-overlap' })),
      201,
    ).trackingCode;
    const id = await idOfCode(code);
    const o = await order(city, id);
    json(
      await city.post(`/api/service-orders/${id}/dispatch`, {
        teamId: ids.t2,
        deadline: inTwoHours(),
        version: o.version,
      }),
    );
    json(await vols.c.post(`/api/service-orders/${id}/take`, { clientId: randomUUID() }));
    json(
      await vols.c.post(`/api/service-orders/${id}/check-in`, {
        clientId: randomUUID(),
        ...HOME,
        at: new Date(start + 90 * 60_000).toISOString(),
      }),
    );
    json(
      await vols.c.post(`/api/service-orders/${id}/done`, {
        clientId: randomUUID(),
        note: '楼道已清扫',
        at: new Date(start + 150 * 60_000).toISOString(),
      }),
    );
    const ledger = json<TLedger>(await vols.c.get('/api/volunteers/me/ledger'));
    // 120 + 60 − 30 overlapped = 150 minutes, the overlap going to the activity (begun first).
    expect(ledger.totalMinutes - before).toBe(150);
    expect(ledger.entries.find((e) => e.serviceOrderId === id)!.minutes).toBe(30);
  });
});
