import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TActivity,
  TAttendee,
  TLedger,
  TPlace,
  TTeam,
  TVolunteer,
  TVolunteerStats,
} from '../../../core/contracts/volunteers.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// Issue #20: every level runs its own 志愿服务. 甲区's office keeps the registry, teams, 实践站 and
// activities of its subtree and corrects hours of its own activities; 甲区's leader reads them;
// neither sees 乙区's records (404 by id); what is written outside the subtree is refused (403
// outside_jurisdiction, nothing written); the settings and populations stay the city's.

let t: TestApp;
let city: Agent;
let jia: Agent;
let jiaLeader: Agent;
const R = {} as Record<'city' | 'jia' | 'jiaStreet' | 'yi', number>;
const ids = {} as Record<
  | 'jiaTeam'
  | 'yiTeam'
  | 'jiaVol'
  | 'yiVol'
  | 'jiaPlace'
  | 'yiPlace'
  | 'jiaActivity'
  | 'yiActivity'
  | 'jiaUnit'
  | 'yiUnit',
  number
>;

async function ok<T>(res: Promise<{ statusCode: number; body: string; json<X>(): X }>, s = 200) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(s);
  return r.json<T>();
}

/** 403 outside_jurisdiction, in both languages. */
async function outside(res: Promise<{ statusCode: number; body: string; json<X>(): X }>) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(403);
  const e = r.json<{ error: { code: string; messageZh: string; messageEn: string } }>().error;
  expect(e.code).toBe('outside_jurisdiction');
  expect(e.messageZh).toContain('辖区');
  expect(e.messageEn).toContain('jurisdiction');
}

async function cityLevel(res: Promise<{ statusCode: number; body: string; json<X>(): X }>) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(403);
  expect(r.json<{ error: { code: string } }>().error.code).toBe('city_level');
}

const count = async (table: string, name: string) =>
  (
    await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from ${sql.identifier(table)} where name = ${name}`,
    )
  )[0]!.n;

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '示范市', level: 'city' });
  const jiaR = await buildRegion(db, { name: '甲区', level: 'district', parent: c });
  const yiR = await buildRegion(db, { name: '乙区', level: 'district', parent: c });
  const s1 = await buildRegion(db, { name: '甲区一街道', level: 'street', parent: jiaR });
  Object.assign(R, { city: c.id, jia: jiaR.id, jiaStreet: s1.id, yi: yiR.id });
  ids.jiaUnit = (await buildUnit(db, { name: '甲区文明办', regionId: jiaR.id })).id;
  ids.yiUnit = (await buildUnit(db, { name: '乙区文明办', regionId: yiR.id })).id;
  await buildUser(db, { username: 'city', roles: ['office'] });
  await buildUser(db, { username: 'jia', roles: ['office'], regionId: jiaR.id });
  await buildUser(db, { username: 'jialeader', roles: ['leader'], regionId: jiaR.id });
  city = await t.login('city');
  jia = await t.login('jia');
  jiaLeader = await t.login('jialeader');

  // The city sets up both districts' records.
  for (const [key, region, prefix, phone] of [
    ['jia', R.jiaStreet, '甲区', '13900000001'],
    ['yi', R.yi, '乙区', '13900000002'],
  ] as const) {
    const team = await ok<TTeam>(
      city.post('/api/volunteer-teams', { name: `${prefix}服务队`, regionId: region }),
      201,
    );
    const vol = await ok<TVolunteer>(
      city.post('/api/volunteers', {
        name: `${prefix}志愿者`,
        phone,
        teamId: team.id,
        regionId: region,
      }),
      201,
    );
    const place = await ok<TPlace>(
      city.post('/api/practice-places', {
        kind: 'station',
        name: `${prefix}实践站`,
        regionId: region,
      }),
      201,
    );
    const activity = await ok<TActivity>(
      city.post('/api/volunteer-activities', {
        title: `${prefix}活动`,
        placeId: place.id,
        startsAt: hoursAgo(3),
        endsAt: hoursAgo(1),
        capacity: 20,
      }),
      201,
    );
    Object.assign(ids, {
      [`${key}Team`]: team.id,
      [`${key}Vol`]: vol.id,
      [`${key}Place`]: place.id,
      [`${key}Activity`]: activity.id,
    });
  }
  // Each volunteer served at their own district's activity; 乙区's also came to 甲区's.
  for (const [activity, volunteerId] of [
    [ids.jiaActivity, ids.jiaVol],
    [ids.yiActivity, ids.yiVol],
    [ids.jiaActivity, ids.yiVol],
  ] as const) {
    await ok(
      city.post(`/api/volunteer-activities/${activity}/attendance`, {
        clientId: randomUUID(),
        volunteerId,
        checkInAt: hoursAgo(3),
        checkOutAt: hoursAgo(1),
        reason: '纸质签到表补录',
      }),
    );
  }
  await ok(city.put('/api/volunteer-stats/population', { regionId: R.jia, population: 100 }));
  await ok(city.put('/api/volunteer-stats/population', { regionId: R.yi, population: 100 }));
});
afterAll(() => t.close());

describe('a district office and leader read their own level’s 志愿服务', () => {
  it('the registry, teams, places and activities are the subtree’s; another district’s is 404', async () => {
    for (const agent of [jia, jiaLeader]) {
      const reg = await ok<{ items: TVolunteer[]; total: number }>(agent.get('/api/volunteers'));
      expect(reg.items.map((v) => v.id)).toEqual([ids.jiaVol]);
      expect(reg.total).toBe(1);
      const teams = await ok<TTeam[]>(agent.get('/api/volunteer-teams'));
      expect(teams.map((x) => x.id)).toEqual([ids.jiaTeam]);
      const places = await ok<TPlace[]>(agent.get('/api/practice-places'));
      expect(places.map((x) => x.id)).toEqual([ids.jiaPlace]);
      const acts = await ok<TActivity[]>(agent.get('/api/volunteer-activities'));
      expect(acts.map((x) => x.id)).toEqual([ids.jiaActivity]);
      for (const url of [
        `/api/volunteers/${ids.yiVol}`,
        `/api/volunteers/${ids.yiVol}/ledger`,
        `/api/volunteer-activities/${ids.yiActivity}`,
        `/api/volunteer-activities/${ids.yiActivity}/attendees`,
        `/api/practice-places/${ids.yiPlace}/monthly?month=2026-01`,
        `/api/practice-places/${ids.yiPlace}/monthly.xlsx?month=2026-01`,
      ]) {
        expect((await agent.get(url)).statusCode, url).toBe(404);
      }
      expect((await agent.get(`/api/volunteers/${ids.jiaVol}/ledger`)).statusCode).toBe(200);
      // Who came to its activity: its own volunteers (乙区's, who also came, is 乙区's record).
      const came = await ok<TAttendee[]>(
        agent.get(`/api/volunteer-activities/${ids.jiaActivity}/attendees`),
      );
      expect(came.map((a) => a.volunteerId)).toEqual([ids.jiaVol]);
    }
    // The city sees both districts' and everyone at 甲区's activity.
    expect((await ok<{ total: number }>(city.get('/api/volunteers'))).total).toBe(2);
    const all = await ok<TAttendee[]>(
      city.get(`/api/volunteer-activities/${ids.jiaActivity}/attendees`),
    );
    expect(all.map((a) => a.volunteerId).sort()).toEqual([ids.jiaVol, ids.yiVol].sort());
  });

  it('phones in full for the district office (its own volunteers), masked for the leader', async () => {
    const office = await ok<TVolunteer>(jia.get(`/api/volunteers/${ids.jiaVol}`));
    expect(office.phone).toBe('13900000001');
    const leader = await ok<TVolunteer>(jiaLeader.get(`/api/volunteers/${ids.jiaVol}`));
    expect(leader.phone).toBe('139****0001');
  });

  it('the export carries the subtree’s volunteers only', async () => {
    const res = await jia.get('/api/volunteers/export.xlsx');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const names: string[] = [];
    wb.worksheets[0]!.eachRow((row, n) => {
      if (n > 1) names.push(String(row.getCell(1).text));
    });
    expect(names).toEqual(['甲区志愿者']);
  });

  it('statistics are the subtree’s, its hours by the level below', async () => {
    for (const agent of [jia, jiaLeader]) {
      const s = await ok<TVolunteerStats>(agent.get('/api/volunteer-stats'));
      expect(s.totalRegistered).toBe(1);
      expect(s.activeVolunteers).toBe(1);
      expect(s.registration.map((r) => r.regionId)).toEqual([R.jia]);
      expect(s.registration[0]).toMatchObject({ population: 100, registered: 1 });
      expect(s.hoursByTeam.map((x) => x.name)).toEqual(['甲区服务队']);
      expect(s.hoursByRegion.map((x) => x.name)).toEqual(['甲区一街道']);
      expect(s.idlePlaces.every((p) => p.id === ids.jiaPlace)).toBe(true);
    }
    const c = await ok<TVolunteerStats>(city.get('/api/volunteer-stats'));
    expect(c.totalRegistered).toBe(2);
    expect(c.hoursByRegion.map((x) => x.name).sort()).toEqual(['乙区', '甲区']);
  });
});

describe('a district office keeps its own level’s 志愿服务', () => {
  it('places: in its subtree (no region: its own), not elsewhere; another’s is 404', async () => {
    await outside(
      jia.post('/api/practice-places', { kind: 'station', name: '越界实践站', regionId: R.yi }),
    );
    await outside(
      jia.post('/api/practice-places', {
        kind: 'station',
        name: '越界单位实践站',
        unitId: ids.yiUnit,
      }),
    );
    expect(await count('practice_places', '越界实践站')).toBe(0);
    expect(await count('practice_places', '越界单位实践站')).toBe(0);
    const own = await ok<TPlace>(
      jia.post('/api/practice-places', { kind: 'lei_feng', name: '甲区学雷锋站' }),
      201,
    );
    expect(own.regionId).toBe(R.jia);
    const street = await ok<TPlace>(
      jia.post('/api/practice-places', {
        kind: 'station',
        name: '甲区一街道实践站',
        regionId: R.jiaStreet,
        unitId: ids.jiaUnit,
      }),
      201,
    );
    expect(street.regionId).toBe(R.jiaStreet);
    await outside(
      jia.patch(`/api/practice-places/${own.id}`, { version: own.version, regionId: R.yi }),
    );
    const renamed = await ok<TPlace>(
      jia.patch(`/api/practice-places/${own.id}`, { version: own.version, openingHours: '9-17' }),
    );
    expect(renamed.openingHours).toBe('9-17');
    const other = await jia.patch(`/api/practice-places/${ids.yiPlace}`, {
      version: 1,
      name: '改名',
    });
    expect(other.statusCode).toBe(404);
  });

  it('teams: its own (no region: its own), never another district’s or a city-wide one', async () => {
    await outside(jia.post('/api/volunteer-teams', { name: '越界服务队', regionId: R.yi }));
    await outside(jia.post('/api/volunteer-teams', { name: '越界单位服务队', unitId: ids.yiUnit }));
    expect(await count('volunteer_teams', '越界服务队')).toBe(0);
    const team = await ok<TTeam>(jia.post('/api/volunteer-teams', { name: '甲区青年服务队' }), 201);
    expect(team.regionId).toBe(R.jia);
    const byUnit = await ok<TTeam>(
      jia.post('/api/volunteer-teams', { name: '甲区文明办服务队', unitId: ids.jiaUnit }),
      201,
    );
    expect(byUnit.unitId).toBe(ids.jiaUnit);
    expect((await ok<TTeam[]>(jia.get('/api/volunteer-teams'))).map((x) => x.name)).toEqual(
      expect.arrayContaining(['甲区青年服务队', '甲区文明办服务队']),
    );
  });

  it('the registry: its own volunteers in its own teams; another district’s is 404', async () => {
    await outside(
      jia.post('/api/volunteers', { name: '越界志愿者', phone: '13900000009', regionId: R.yi }),
    );
    await outside(
      jia.post('/api/volunteers', { name: '越界志愿者', phone: '13900000009', teamId: ids.yiTeam }),
    );
    expect(await count('volunteers', '越界志愿者')).toBe(0);
    const v = await ok<TVolunteer>(
      jia.post('/api/volunteers', {
        name: '甲区新志愿者',
        phone: '13900000010',
        teamId: ids.jiaTeam,
      }),
      201,
    );
    expect(v).toMatchObject({ regionId: R.jia, phone: '13900000010' });
    await outside(jia.patch(`/api/volunteers/${v.id}`, { version: v.version, regionId: R.yi }));
    const moved = await ok<TVolunteer>(
      jia.patch(`/api/volunteers/${v.id}`, { version: v.version, regionId: R.jiaStreet }),
    );
    expect(moved.regionId).toBe(R.jiaStreet);
    expect(
      (await jia.patch(`/api/volunteers/${ids.yiVol}`, { version: 1, skills: ['急救'] }))
        .statusCode,
    ).toBe(404);
  });

  it('imports its own volunteers only: a row placed or known elsewhere fails the file', async () => {
    const sheet = async (rows: string[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('志愿者');
      ws.addRow(['姓名', '手机号', '所在单位', '志愿服务队', '特长', '所属社区', '状态']);
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const bad = await jia.upload(
      '/api/volunteers/import',
      await sheet([
        ['甲区导入一', '13900000021', '', '甲区服务队', '', '', ''],
        ['乙区导入', '13900000022', '', '', '', '乙区', ''],
        ['乙区志愿者', '13900000002', '', '', '', '', ''],
        ['借队', '13900000023', '', '乙区服务队', '', '', ''],
      ]),
    );
    expect(bad.statusCode, bad.body).toBe(422);
    const rows = bad.json<{ error: { rows: { row: number; column: string }[] } }>().error.rows;
    expect(rows.map((r) => `${r.row}:${r.column}`)).toEqual(
      expect.arrayContaining(['3:所属社区', '4:手机号', '5:志愿服务队']),
    );
    expect(await count('volunteers', '甲区导入一')).toBe(0);
    const good = await jia.upload(
      '/api/volunteers/import',
      await sheet([['甲区导入一', '13900000021', '', '甲区服务队', '', '甲区一街道', '']]),
    );
    expect(good.statusCode, good.body).toBe(200);
    const [row] = await execRows<{ region_id: number }>(
      t.database.db,
      sql`select region_id from volunteers where name = '甲区导入一'`,
    );
    expect(row!.region_id).toBe(R.jiaStreet);
  });

  it('activities: at its own places, in its subtree; another district’s is 404', async () => {
    const slot = { startsAt: hoursAgo(-24), endsAt: hoursAgo(-26), capacity: 5 };
    await outside(
      jia.post('/api/volunteer-activities', { title: '越界活动', placeId: ids.yiPlace, ...slot }),
    );
    await outside(
      jia.post('/api/volunteer-activities', { title: '越界活动', regionId: R.yi, ...slot }),
    );
    await outside(
      jia.post('/api/volunteer-activities', {
        title: '越界活动',
        organiserTeamId: ids.yiTeam,
        ...slot,
      }),
    );
    const [n] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from volunteer_activities where title = '越界活动'`,
    );
    expect(n!.n).toBe(0);
    const own = await ok<TActivity>(
      jia.post('/api/volunteer-activities', { title: '甲区自办活动', ...slot }),
      201,
    );
    expect(own.regionId).toBe(R.jia);
    const atPlace = await ok<TActivity>(
      jia.post('/api/volunteer-activities', {
        title: '甲区站点活动',
        placeId: ids.jiaPlace,
        ...slot,
      }),
      201,
    );
    expect(atPlace.regionId).toBe(R.jiaStreet);
    expect((await jia.get(`/api/volunteer-activities/${own.id}/checkin-token`)).statusCode).toBe(
      200,
    );
    await ok(jia.post(`/api/volunteer-activities/${own.id}/cancel`, { version: own.version }));
    for (const [method, url, body] of [
      ['post', `/api/volunteer-activities/${ids.yiActivity}/cancel`, { version: 1 }],
      ['get', `/api/volunteer-activities/${ids.yiActivity}/checkin-token`, undefined],
      [
        'post',
        `/api/volunteer-activities/${ids.yiActivity}/attendance`,
        {
          clientId: randomUUID(),
          volunteerId: ids.jiaVol,
          checkInAt: hoursAgo(3),
          reason: '补录测试',
        },
      ],
    ] as const) {
      const res = method === 'get' ? await jia.get(url) : await jia.post(url, body);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(404);
    }
    // The leader reads, the office writes.
    expect(
      (await jiaLeader.post('/api/volunteer-activities', { title: '领导活动', ...slot }))
        .statusCode,
    ).toBe(403);
  });

  it('corrects hours of its own activities, for its own volunteers', async () => {
    const own = await ok<TLedger>(
      jia.post(`/api/volunteers/${ids.jiaVol}/adjustments`, {
        minutes: 30,
        reason: '签退漏记',
        activityId: ids.jiaActivity,
      }),
    );
    expect(own.entries.some((e) => e.minutes === 30)).toBe(true);
    // Of another district's activity, or of no activity at all: not the district's to correct.
    const yiAct = await jia.post(`/api/volunteers/${ids.jiaVol}/adjustments`, {
      minutes: 30,
      reason: '越界更正',
      activityId: ids.yiActivity,
    });
    expect(yiAct.statusCode).toBe(404);
    await cityLevel(
      jia.post(`/api/volunteers/${ids.jiaVol}/adjustments`, { minutes: 30, reason: '无活动更正' }),
    );
    const yiVol = await jia.post(`/api/volunteers/${ids.yiVol}/adjustments`, {
      minutes: 30,
      reason: '越界更正',
      activityId: ids.jiaActivity,
    });
    expect(yiVol.statusCode).toBe(404);
    // A paper-roster attendance for its own volunteer at its own activity.
    const atPlace = await ok<TActivity[]>(jia.get('/api/volunteer-activities'));
    const target = atPlace.find((a) => a.title === '甲区站点活动')!;
    await ok(
      jia.post(`/api/volunteer-activities/${target.id}/attendance`, {
        clientId: randomUUID(),
        volunteerId: ids.jiaVol,
        checkInAt: target.startsAt,
        reason: '纸质签到表补录',
      }),
    );
    const [adj] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from hour_adjustments where reason in ('越界更正', '无活动更正')`,
    );
    expect(adj!.n).toBe(0);
  });

  it('the settings and populations stay the city’s', async () => {
    const settings = await ok<Record<string, unknown>>(jia.get('/api/volunteer-settings'));
    await cityLevel(jia.put('/api/volunteer-settings', { ...settings, targetRatePct: 1 }));
    await cityLevel(jia.put('/api/volunteer-stats/population', { regionId: R.jia, population: 1 }));
    const after = await ok<TVolunteerStats>(city.get('/api/volunteer-stats'));
    expect(after.settings.targetRatePct).toBe(settings.targetRatePct);
    expect(after.registration.find((r) => r.regionId === R.jia)?.population).toBe(100);
  });
});
