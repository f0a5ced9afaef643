import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import type {
  TNationalHoursImportResult,
  TNationalHoursPreview,
} from '../../../core/contracts/volunteers-national.js';
import type { TLedger, TVolunteer, TVolunteerStats } from '../../../core/contracts/volunteers.js';
import { withCheckChar } from '../../../core/volunteers/id-number.js';
import { DEFAULT_NATIONAL_LAYOUT } from '../../../core/volunteers/national-layout.js';
import { execRows } from '../../db/client.js';
import { auditLog } from '../../db/schema/index.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';

// Issue #24 item 3: 实名 and the national record. ID numbers checked (GB 11643), sealed, unique,
// shown masked to every role; in full only through the national export and a reveal, both for
// volunteer.realname (the city office) and audited; the export in the office's layout; hours
// recorded in the national system imported from a messy sheet, idempotently.

let t: TestApp;
let office: Agent;
let leader: Agent;
let district: Agent;
const R = {} as Record<'city' | 'jia' | 'community', number>;

// Invented ID numbers (region 990102 does not exist), valid under the checksum.
const ID_WANG = withCheckChar('99010219900307002'); // a woman, born 1990-03-07
const ID_LI = withCheckChar('99010219851111003'); // a man
const ID_ZHAO = withCheckChar('99010220000101004');
const wrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

const V = {} as Record<'wang' | 'li' | 'zhao' | 'chen', TVolunteer>;
let activityId = 0;
let activityTitle = '';
let activityDay = '';

async function ok<T>(res: Promise<Res>, status = 200): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json<T>();
}

const errorOf = (r: Res) =>
  r.json<{
    error: {
      code: string;
      messageZh: string;
      messageEn: string;
      fields?: { path: string; message: string }[];
      rows?: { row: number; column: string; reason: string }[];
    };
  }>().error;

async function sheetOf(res: Res): Promise<string[][]> {
  expect(res.statusCode, res.body).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c) => cells.push(c.text));
    out.push(cells);
  });
  return out;
}

const audits = (action: string) =>
  t.database.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.action, action))
    .orderBy(desc(auditLog.id));

const daysAgo = (n: number) => shanghaiDate(new Date(Date.now() - n * 86_400_000));

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const city = await buildRegion(db, { name: '示范市', level: 'city' });
  const jia = await buildRegion(db, { name: '甲区', level: 'district', parent: city });
  const community = await buildRegion(db, { name: '湖滨社区', level: 'community', parent: jia });
  Object.assign(R, { city: city.id, jia: jia.id, community: community.id });
  await buildUser(db, { username: 'office', roles: ['office'] });
  await buildUser(db, { username: 'leader', roles: ['leader'] });
  await buildUser(db, { username: 'jia', roles: ['office'], regionId: jia.id });
  office = await t.login('office');
  leader = await t.login('leader');
  district = await t.login('jia');
});
afterAll(() => t.close());

describe('registering with an ID number', () => {
  it('registers with a valid ID: stored sealed, answered masked, audited masked', async () => {
    V.wang = await ok<TVolunteer>(
      office.post('/api/volunteers', {
        name: '王芳',
        phone: '13900000001',
        // As people type it: spaces, a lower-case x would be folded too.
        idNumber: ` ${ID_WANG.slice(0, 6)} ${ID_WANG.slice(6)} `,
        regionId: R.community,
      }),
      201,
    );
    expect(V.wang).toMatchObject({
      realName: true,
      idNumberMasked: `${ID_WANG.slice(0, 6)}********${ID_WANG.slice(-4)}`,
    });
    expect(JSON.stringify(V.wang)).not.toContain(ID_WANG);
    const [row] = await execRows<{ enc: string; hash: string; masked: string }>(
      t.database.db,
      sql`select id_number_enc as enc, id_number_hash as hash, id_number_masked as masked
          from volunteers where id = ${V.wang.id}`,
    );
    expect(row!.enc).toMatch(/^fe1\.[0-9a-f]{8}\./);
    expect(row!.enc).not.toContain(ID_WANG);
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    const [audit] = await audits('volunteer.create');
    expect(JSON.stringify(audit!.after)).not.toContain(ID_WANG);
    expect(JSON.stringify(audit!.after)).toContain(V.wang.idNumberMasked!);
  });

  it('registers without one (未实名), and refuses a bad checksum or birth date with a clear message', async () => {
    V.chen = await ok<TVolunteer>(
      office.post('/api/volunteers', { name: '陈静', phone: '13900000004', regionId: R.community }),
      201,
    );
    expect(V.chen).toMatchObject({ realName: false, idNumberMasked: null });

    const typo = await office.post('/api/volunteers', {
      name: '错号',
      phone: '13900000009',
      idNumber: wrongCheck(ID_LI),
    });
    expect(typo.statusCode).toBe(400);
    const e = errorOf(typo);
    expect(e.fields?.[0]).toMatchObject({ path: 'body.idNumber' });
    expect(e.fields?.[0]?.message).toContain('校验码');
    expect(e.fields?.[0]?.message).toContain('check digit');

    const feb30 = await office.post('/api/volunteers', {
      name: '错号',
      phone: '13900000009',
      idNumber: withCheckChar('99010219900230001'),
    });
    expect(feb30.statusCode).toBe(400);
    expect(errorOf(feb30).fields?.[0]?.message).toContain('1990-02-30');
    const short = await office.post('/api/volunteers', {
      name: '错号',
      phone: '13900000009',
      idNumber: '12345',
    });
    expect(errorOf(short).fields?.[0]?.message).toContain('18');
    // Nothing was written.
    const list = await ok<{ total: number }>(office.get('/api/volunteers?q=错号'));
    expect(list.total).toBe(0);
  });

  it('refuses a second registration of the same ID number, however it is typed', async () => {
    const dup = await office.post('/api/volunteers', {
      name: '王芳',
      phone: '13900000099',
      idNumber: ID_WANG.toLowerCase(),
    });
    expect(dup.statusCode).toBe(409);
    const e = errorOf(dup);
    expect(e.code).toBe('duplicate_id_number');
    expect(e.messageZh).toContain('已登记');
    expect(e.messageEn).toContain('registers once');
    expect(e.fields?.[0]?.path).toBe('idNumber');
    // The message names the ID masked, never in full.
    expect(dup.body).not.toContain(ID_WANG);
  });

  it('an edit sets, keeps or removes the ID number; another’s is refused there too', async () => {
    V.li = await ok<TVolunteer>(
      office.post('/api/volunteers', {
        name: '李强',
        phone: '13900000002',
        regionId: R.community,
      }),
      201,
    );
    V.li = await ok<TVolunteer>(
      office.patch(`/api/volunteers/${V.li.id}`, { version: V.li.version, idNumber: ID_LI }),
    );
    expect(V.li.realName).toBe(true);
    // An edit that does not name the ID number leaves it.
    V.li = await ok<TVolunteer>(
      office.patch(`/api/volunteers/${V.li.id}`, {
        version: V.li.version,
        organisation: '市供电公司',
      }),
    );
    expect(V.li.realName).toBe(true);
    const taken = await office.patch(`/api/volunteers/${V.li.id}`, {
      version: V.li.version,
      idNumber: ID_WANG,
    });
    expect(taken.statusCode).toBe(409);
    expect(errorOf(taken).code).toBe('duplicate_id_number');
    // The district office registers ID numbers of its own volunteers too (it reads them masked).
    V.zhao = await ok<TVolunteer>(
      district.post('/api/volunteers', {
        name: '赵磊',
        phone: '13900000003',
        idNumber: ID_ZHAO,
        regionId: R.community,
      }),
      201,
    );
    const removed = await ok<TVolunteer>(
      district.patch(`/api/volunteers/${V.zhao.id}`, { version: V.zhao.version, idNumber: null }),
    );
    expect(removed).toMatchObject({ realName: false, idNumberMasked: null });
    V.zhao = await ok<TVolunteer>(
      district.patch(`/api/volunteers/${V.zhao.id}`, {
        version: removed.version,
        idNumber: ID_ZHAO,
      }),
    );
  });
});

describe('who sees what', () => {
  it('every role reads the ID masked — list, detail and the registry export', async () => {
    for (const agent of [office, leader, district]) {
      const page = await ok<{ items: TVolunteer[] }>(agent.get('/api/volunteers'));
      const wang = page.items.find((v) => v.id === V.wang.id)!;
      expect(wang.idNumberMasked).toBe(V.wang.idNumberMasked);
      const one = await agent.get(`/api/volunteers/${V.wang.id}`);
      expect(one.body).not.toContain(ID_WANG);
      const xlsx = await sheetOf(await agent.get('/api/volunteers/export.xlsx'));
      expect(xlsx[0]).toContain('身份证号');
      expect(JSON.stringify(xlsx)).not.toContain(ID_WANG);
      expect(JSON.stringify(xlsx)).toContain(V.wang.idNumberMasked!);
    }
  });

  it('filters 实名 / 未实名, finds a volunteer by the full ID number, and counts 未实名', async () => {
    const no = await ok<{ items: TVolunteer[]; total: number }>(
      office.get('/api/volunteers?realName=no'),
    );
    expect(no.items.map((v) => v.name)).toEqual(['陈静']);
    const yes = await ok<{ total: number }>(office.get('/api/volunteers?realName=yes'));
    expect(yes.total).toBe(3);
    const found = await ok<{ items: TVolunteer[] }>(
      office.get(`/api/volunteers?q=${ID_LI.toLowerCase()}`),
    );
    expect(found.items.map((v) => v.name)).toEqual(['李强']);
    const stats = await ok<TVolunteerStats>(office.get('/api/volunteer-stats'));
    expect(stats.notRealName).toBe(1);
  });

  it('reveals an ID number only to volunteer.realname (the city office), audited each time', async () => {
    expect((await leader.post(`/api/volunteers/${V.wang.id}/id-number/reveal`)).statusCode).toBe(
      403,
    );
    expect((await district.post(`/api/volunteers/${V.zhao.id}/id-number/reveal`)).statusCode).toBe(
      403,
    );
    const before = (await audits('volunteer.id_number_reveal')).length;
    const r = await ok<{ idNumber: string }>(
      office.post(`/api/volunteers/${V.wang.id}/id-number/reveal`),
    );
    expect(r.idNumber).toBe(ID_WANG);
    const after = await audits('volunteer.id_number_reveal');
    expect(after.length).toBe(before + 1);
    expect(after[0]!.entityId).toBe(String(V.wang.id));
    expect(JSON.stringify(after[0]!.after)).not.toContain(ID_WANG);
    const none = await office.post(`/api/volunteers/${V.chen.id}/id-number/reveal`);
    expect(none.statusCode).toBe(404);
    expect(errorOf(none).code).toBe('not_real_name');
  });
});

describe('the national export', () => {
  beforeAll(async () => {
    // An activity two days ago that 王芳 attended for two hours (补录).
    const start = new Date(Date.now() - 2 * 86_400_000);
    activityTitle = '文明交通劝导';
    activityDay = shanghaiDate(start);
    const a = await ok<{ id: number }>(
      office.post('/api/volunteer-activities', {
        title: activityTitle,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 2 * 3600_000).toISOString(),
        regionId: R.community,
        capacity: 10,
      }),
      201,
    );
    activityId = a.id;
    await ok(
      office.post(`/api/volunteer-activities/${a.id}/attendance`, {
        clientId: randomUUID(),
        volunteerId: V.wang.id,
        checkInAt: start.toISOString(),
        checkOutAt: new Date(start.getTime() + 2 * 3600_000).toISOString(),
        reason: '纸质签到表补录',
      }),
    );
  });

  it('is the city office’s only (403 to the leader and the district office)', async () => {
    for (const agent of [leader, district]) {
      expect(
        (await agent.get('/api/volunteers/national/export.xlsx?kind=volunteers')).statusCode,
      ).toBe(403);
    }
  });

  it('volunteers: 实名 only, in the default layout, ID numbers decrypted, audited with the count', async () => {
    const before = (await audits('volunteer.national_export')).length;
    const rows = await sheetOf(
      await office.get('/api/volunteers/national/export.xlsx?kind=volunteers'),
    );
    expect(rows[0]).toEqual(DEFAULT_NATIONAL_LAYOUT.volunteers.map((c) => c.header));
    const body = rows.slice(1);
    expect(body.map((r) => r[0]).sort()).toEqual(['李强', '王芳', '赵磊']);
    const wang = body.find((r) => r[0] === '王芳')!;
    const col = (h: string) => rows[0]!.indexOf(h);
    expect(wang[col('证件类型')]).toBe('居民身份证');
    expect(wang[col('证件号码')]).toBe(ID_WANG);
    expect(wang[col('性别')]).toBe('女');
    expect(wang[col('出生日期')]).toBe('1990-03-07');
    expect(wang[col('手机号码')]).toBe('13900000001');
    expect(wang[col('所属区域')]).toBe('湖滨社区');
    expect(body.find((r) => r[0] === '李强')![col('性别')]).toBe('男');
    const [audit] = await audits('volunteer.national_export');
    expect((await audits('volunteer.national_export')).length).toBe(before + 1);
    expect(audit!.after).toMatchObject({ sheet: 'volunteers', rows: 3, decryptedIdNumbers: 3 });
  });

  it('takes the registry’s search, an ID number too, and audits that search masked', async () => {
    const rows = await sheetOf(
      await office.get(`/api/volunteers/national/export.xlsx?kind=volunteers&q=${ID_LI}`),
    );
    expect(rows.slice(1).map((r) => r[0])).toEqual(['李强']);
    const [audit] = await audits('volunteer.national_export');
    expect(audit!.after).toMatchObject({
      rows: 1,
      filters: { q: `990102********${ID_LI.slice(-4)}` },
    });
    expect(JSON.stringify(audit!.after)).not.toContain(ID_LI);
  });

  it('hours and activities: one row per attendance with the credited hours and our record id', async () => {
    const hours = await sheetOf(
      await office.get('/api/volunteers/national/export.xlsx?kind=hours'),
    );
    expect(hours[0]).toEqual(DEFAULT_NATIONAL_LAYOUT.hours.map((c) => c.header));
    expect(hours).toHaveLength(2);
    const col = (h: string) => hours[0]!.indexOf(h);
    expect(hours[1]![col('姓名')]).toBe('王芳');
    expect(hours[1]![col('证件号码')]).toBe(ID_WANG);
    expect(hours[1]![col('项目名称')]).toBe(activityTitle);
    expect(hours[1]![col('服务日期')]).toBe(activityDay);
    expect(hours[1]![col('服务时长(小时)')]).toBe('2');
    expect(hours[1]![col('记录编号')]).toMatch(/^CC-A\d+$/);
    // Days outside the range: nothing.
    const old = await sheetOf(
      await office.get(
        '/api/volunteers/national/export.xlsx?kind=hours&from=2020-01-01&to=2020-12-31',
      ),
    );
    expect(old).toHaveLength(1);
    const acts = await sheetOf(
      await office.get('/api/volunteers/national/export.xlsx?kind=activities'),
    );
    const c = (h: string) => acts[0]!.indexOf(h);
    expect(acts[1]![c('项目名称')]).toBe(activityTitle);
    expect(acts[1]![c('参与人数')]).toBe('1');
    expect(acts[1]![c('服务时长合计(小时)')]).toBe('2');
    expect(acts[1]![c('项目编号')]).toBe(String(activityId));
    const [audit] = await audits('volunteer.national_export');
    expect(audit!.after).toMatchObject({ sheet: 'activities', decryptedIdNumbers: 0 });
  });

  it('follows the office’s own layout; a layout that does not validate is refused', async () => {
    const bad = await office.put('/api/volunteers/national/layout', {
      ...DEFAULT_NATIONAL_LAYOUT,
      hours: [{ header: '时长', field: 'hours', format: 'datetime' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('datetime');
    expect(
      (await leader.put('/api/volunteers/national/layout', DEFAULT_NATIONAL_LAYOUT)).statusCode,
    ).toBe(403);
    const saved = await ok<{ isDefault: boolean }>(
      office.put('/api/volunteers/national/layout', {
        ...DEFAULT_NATIONAL_LAYOUT,
        hours: [
          { header: '志愿者证件号', field: 'idNumber' },
          { header: '活动', field: 'activity' },
          { header: '日期', field: 'date', format: 'date8' },
          { header: '分钟', field: 'hours', format: 'minutes' },
          { header: '来源', field: 'const', value: '创城平台' },
        ],
      }),
    );
    expect(saved.isDefault).toBe(false);
    const rows = await sheetOf(await office.get('/api/volunteers/national/export.xlsx?kind=hours'));
    expect(rows[0]).toEqual(['志愿者证件号', '活动', '日期', '分钟', '来源']);
    expect(rows[1]).toEqual([
      ID_WANG,
      activityTitle,
      activityDay.replaceAll('-', ''),
      '120',
      '创城平台',
    ]);
    // Back to the default for what follows.
    await ok(office.put('/api/volunteers/national/layout', DEFAULT_NATIONAL_LAYOUT));
    expect((await audits('volunteer.national_layout')).length).toBe(2);
  });

  it('点单派单: an order’s hours go out under its menu item as a project, and are known when they come back', async () => {
    // 李强 served a resident's order from a station's menu three days ago: on site 90 minutes
    // (an order's attendance, as the service-order flow records it; that flow is its own file's).
    const db = t.database.db;
    const onSite = new Date(Date.now() - 3 * 86_400_000);
    const done = new Date(onSite.getTime() + 90 * 60_000);
    const [ids] = await execRows<{ item: number; order: number; att: number }>(
      db,
      sql`with p as (insert into practice_places (kind, name, region_id, address)
            values ('station', '湖滨社区新时代文明实践站', ${R.community}, '湖滨路 1 号') returning id),
          tm as (insert into volunteer_teams (name) values ('湖滨助老服务队') returning id),
          si as (insert into service_items (place_id, name, category, description)
            select id, '陪同就医', 'elderly', '陪同行动不便的老人往返社区医院' from p returning id),
          o as (insert into service_orders (tracking_code, channel, place_id, item_id, need, address,
              contact_name, contact_phone, state, team_id, volunteers_needed, on_site_at, done_at,
              confirmed_at)
            select 'SO-NATIONAL-1', 'public', p.id, si.id, '腿脚不便，需陪同复诊', '湖滨路 12 号 3 单元 501',
              '张三丰', '13912345678', 'confirmed', tm.id, 2, ${onSite}, ${done}, ${done}
            from p, si, tm returning id, item_id),
          a as (insert into activity_attendance (service_order_id, volunteer_id, client_id,
              check_in_at, check_in_method, check_out_at, check_out_method, credited_minutes)
            select o.id, ${V.li.id}, ${randomUUID()}, ${onSite}, 'gps', ${done}, 'gps', 90 from o
            returning id)
          select o.item_id as item, o.id as order, a.id as att from o, a`,
    );
    const day = shanghaiDate(onSite);

    const hours = await sheetOf(
      await office.get(`/api/volunteers/national/export.xlsx?kind=hours&from=${day}&to=${day}`),
    );
    const col = (h: string) => hours[0]!.indexOf(h);
    expect(hours).toHaveLength(2);
    const li = hours[1]!;
    expect(li[col('姓名')]).toBe('李强');
    expect(li[col('证件号码')]).toBe(ID_LI);
    expect(li[col('项目名称')]).toBe('陪同就医（点单服务）');
    expect(li[col('服务日期')]).toBe(day);
    expect(li[col('服务时长(小时)')]).toBe('1.5');
    expect(li[col('记录编号')]).toBe(`CC-A${Number(ids!.att)}`);
    // Neither the resident's address nor their phone goes to the national system.
    expect(JSON.stringify(hours)).not.toMatch(/湖滨路 12 号|13912345678|张三丰/);

    const acts = await sheetOf(
      await office.get(
        `/api/volunteers/national/export.xlsx?kind=activities&from=${day}&to=${day}`,
      ),
    );
    const c = (h: string) => acts[0]!.indexOf(h);
    expect(acts).toHaveLength(2);
    const project = acts[1]!;
    expect(project[c('项目名称')]).toBe('陪同就医（点单服务）');
    expect(project[c('项目简介')]).toBe('陪同行动不便的老人往返社区医院');
    expect(project[c('服务地点')]).toBe('湖滨社区新时代文明实践站');
    expect(project[c('所属区域')]).toBe('湖滨社区');
    expect(project[c('发布组织')]).toBe('湖滨社区新时代文明实践站');
    expect(project[c('招募人数')]).toBe('2');
    expect(project[c('参与人数')]).toBe('1');
    expect(project[c('服务时长合计(小时)')]).toBe('1.5');
    expect(project[c('项目编号')]).toBe(`S${Number(ids!.item)}`);
    expect(JSON.stringify(acts)).not.toMatch(/湖滨路 12 号|13912345678|张三丰/);
    const [audit] = await audits('volunteer.national_export');
    expect(audit!.after).toMatchObject({ sheet: 'activities', rows: 1 });
    // The whole range: the activity and the project, activities first.
    const all = await sheetOf(
      await office.get('/api/volunteers/national/export.xlsx?kind=activities'),
    );
    expect(all.slice(1).map((r) => r[c('项目名称')])).toEqual([
      activityTitle,
      '陪同就医（点单服务）',
    ]);

    // The same hours read back from the national system (no record id there): ours, not new.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('时长记录');
    ws.addRow(['姓名', '证件号码', '项目名称', '服务日期', '服务时长（小时）']);
    ws.addRow(['李强', ID_LI, '陪同就医（点单服务）', day, 1.5]);
    const p = await ok<TNationalHoursPreview>(
      office.upload(
        '/api/volunteers/national/hours/preview',
        Buffer.from(await wb.xlsx.writeBuffer()),
      ),
    );
    expect(p.rows.map((r) => r.status)).toEqual(['platform']);
    // Out of the way of the import's tests below, which count 李强's hours.
    await execRows(db, sql`delete from activity_attendance where id = ${Number(ids!.att)}`);
  });
});

describe('importing hours recorded in the national system', () => {
  const D1 = daysAgo(10);
  const D2 = daysAgo(9);
  /** A sheet as offices get it: a title, an empty row, 序号 and 备注 columns, a 合计 and a note. */
  async function messySheet(): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('填报说明').addRow(['请勿修改表头']);
    const ws = wb.addWorksheet('时长记录');
    ws.addRow(['全国志愿服务信息系统 志愿服务时长记录导出（2026年）']);
    ws.addRow([]);
    ws.addRow([
      '序号',
      '志愿者姓名',
      '证件号码',
      '手机号',
      '项目名称',
      '服务日期',
      '服务时长（小时）',
      '记录编号',
      '备注',
    ]);
    const [y, m, d] = D2.split('-').map(Number) as [number, number, number];
    const rows: (string | number | Date | null)[][] = [
      // 4: by ID number, the national record id.
      [1, '王芳', ID_WANG, '', '社区敬老', D1, 2.5, 'N-0001', ''],
      // 5: by name and phone (陈静 has no ID number here), hours and minutes.
      [2, '陈静', '', '139 0000 0004', '社区敬老', D1, '1小时30分', '', '补录'],
      // 6: the ID masked (as some exports show it): by phone; an Excel date cell.
      [
        3,
        '李强',
        '990102********' + ID_LI.slice(-4),
        '13900000002',
        '垃圾分类宣传',
        new Date(Date.UTC(y, m - 1, d)),
        '90分钟',
        '',
        '',
      ],
      // 7: a subtotal in the 序号 column.
      ['合计', '', '', '', '', '', 5.5, '', ''],
      // 8: a wrong check digit.
      [4, '赵磊', wrongCheck(ID_ZHAO), '', '社区敬老', D1, 2, 'N-0004', ''],
      // 9: nobody we know.
      [5, '路人甲', '', '13911112222', '社区敬老', D1, 2, '', ''],
      // 10: our own hours come back (the record id our export wrote).
      [6, '王芳', ID_WANG, '', activityTitle, activityDay, 2, 'CC-A1', ''],
      // 11: our own hours again, recognised by volunteer, activity and day.
      [7, '王芳', ID_WANG, '', activityTitle, activityDay, 2, '', ''],
      // 12: a remark alone.
      [null, null, null, null, null, null, null, null, '以上数据由系统导出'],
      // 13: a note line.
      ['注：服务时长以小时计', '', '', '', '', '', '', '', ''],
    ];
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  const ledgerOf = (id: number) => ok<TLedger>(office.get(`/api/volunteers/${id}/ledger`));

  it('is the city office’s only', async () => {
    const file = await messySheet();
    expect((await leader.upload('/api/volunteers/national/hours/preview', file)).statusCode).toBe(
      403,
    );
    expect((await district.upload('/api/volunteers/national/hours/import', file)).statusCode).toBe(
      403,
    );
  });

  it('previews every row: new, already recorded here, refused with the reason; writes nothing', async () => {
    const before = (await ledgerOf(V.wang.id)).totalMinutes;
    const p = await ok<TNationalHoursPreview>(
      office.upload('/api/volunteers/national/hours/preview', await messySheet(), '时长.xlsx'),
    );
    expect(p.sheetName).toBe('时长记录');
    expect(p.headerRow).toBe(3);
    expect(p.counts).toEqual({ new: 3, duplicate: 0, platform: 2, error: 2 });
    expect(p.newMinutes).toBe(150 + 90 + 90);
    expect(p.rows.map((r) => [r.row, r.status])).toEqual([
      [4, 'new'],
      [5, 'new'],
      [6, 'new'],
      [8, 'error'],
      [9, 'error'],
      [10, 'platform'],
      [11, 'platform'],
    ]);
    expect(p.rows[2]).toMatchObject({ volunteerId: V.li.id, date: D2, minutes: 90 });
    expect(p.errors.map((e) => [e.row, e.column])).toEqual([
      [8, '证件号码'],
      [9, '手机号码'],
    ]);
    expect(p.errors[0]!.reason).toContain('校验码');
    expect(JSON.stringify(p)).not.toContain(ID_WANG);
    expect((await ledgerOf(V.wang.id)).totalMinutes).toBe(before);
  });

  it('refuses a file with bad rows whole, unless the clean rows alone are asked for', async () => {
    const refused = await office.upload(
      '/api/volunteers/national/hours/import',
      await messySheet(),
    );
    expect(refused.statusCode).toBe(422);
    expect(errorOf(refused).rows?.map((r) => r.row)).toEqual([8, 9]);
    expect(await execRows(t.database.db, sql`select 1 from volunteer_national_hours`)).toHaveLength(
      0,
    );

    const done = await ok<TNationalHoursImportResult>(
      office.upload(
        '/api/volunteers/national/hours/import?skipBadRows=true',
        await messySheet(),
        '时长.xlsx',
      ),
    );
    expect(done).toEqual({ imported: 3, duplicates: 0, platform: 2, skipped: 2, minutes: 330 });
    const [audit] = await audits('volunteer.national_hours_import');
    expect(audit!.after).toMatchObject({ file: '时长.xlsx', imported: 3, minutes: 330 });
  });

  it('shows the imported hours in the ledger as 全国系统 and counts them in the totals', async () => {
    const wang = await ledgerOf(V.wang.id);
    const national = wang.entries.filter((e) => e.kind === 'national');
    expect(national).toEqual([
      expect.objectContaining({ activityTitle: '社区敬老', minutes: 150, reason: 'N-0001' }),
    ]);
    expect(wang.totalMinutes).toBe(120 + 150);
    const chen = await ledgerOf(V.chen.id);
    expect(chen.totalMinutes).toBe(90);
    const list = await ok<{ items: TVolunteer[] }>(office.get('/api/volunteers'));
    expect(list.items.find((v) => v.id === V.li.id)!.totalMinutes).toBe(90);
    // They came from the national system: the hours export does not send them back.
    const hours = await sheetOf(
      await office.get('/api/volunteers/national/export.xlsx?kind=hours'),
    );
    expect(hours).toHaveLength(2);
  });

  it('re-importing the same file adds nothing', async () => {
    const p = await ok<TNationalHoursPreview>(
      office.upload('/api/volunteers/national/hours/preview', await messySheet()),
    );
    expect(p.counts).toEqual({ new: 0, duplicate: 3, platform: 2, error: 2 });
    const again = await ok<TNationalHoursImportResult>(
      office.upload('/api/volunteers/national/hours/import?skipBadRows=true', await messySheet()),
    );
    expect(again).toMatchObject({ imported: 0, duplicates: 3, minutes: 0 });
    const [n] = await execRows<{ n: number; m: number }>(
      t.database.db,
      sql`select count(*)::int as n, sum(minutes)::int as m from volunteer_national_hours`,
    );
    expect(n).toEqual({ n: 3, m: 330 });
    expect((await ledgerOf(V.wang.id)).totalMinutes).toBe(270);
    const imports = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'volunteer.national_hours_import')));
    expect(imports).toHaveLength(2);
  });

  it('refuses a sheet without the columns it needs, naming them', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['姓名', '手机号']);
    wb.worksheets[0]!.addRow(['王芳', '13900000001']);
    const r = await office.upload(
      '/api/volunteers/national/hours/preview',
      Buffer.from(await wb.xlsx.writeBuffer()),
    );
    expect(r.statusCode).toBe(422);
    expect(errorOf(r).rows?.map((e) => e.column)).toEqual(['项目名称', '服务日期', '服务时长']);
  });
});

describe('the registry import and 身份证号', () => {
  it('sets a full ID number, keeps it on a masked one, refuses another volunteer’s', async () => {
    const book = async (rows: string[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('志愿者');
      ws.addRow(['姓名', '手机号', '身份证号']);
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const idChen = withCheckChar('99010219950505006');
    const r1 = await office.upload(
      '/api/volunteers/import',
      await book([
        ['陈静', '13900000004', idChen],
        ['王芳', '13900000001', V.wang.idNumberMasked!],
      ]),
    );
    expect(r1.statusCode, r1.body).toBe(200);
    const chen = await ok<TVolunteer>(office.get(`/api/volunteers/${V.chen.id}`));
    expect(chen.realName).toBe(true);
    const wang = await ok<{ idNumber: string }>(
      office.post(`/api/volunteers/${V.wang.id}/id-number/reveal`),
    );
    expect(wang.idNumber).toBe(ID_WANG);
    const r2 = await office.upload(
      '/api/volunteers/import',
      await book([
        ['李强', '13900000002', ID_WANG],
        ['新人', '13900000077', wrongCheck(ID_ZHAO)],
      ]),
    );
    expect(r2.statusCode).toBe(422);
    expect(errorOf(r2).rows?.map((e) => [e.row, e.column])).toEqual([
      [2, '身份证号'],
      [3, '身份证号'],
    ]);
  });
});
