import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TCreditAccount,
  TCreditLedgerRow,
  TCreditRedeemCode,
  TCreditRulesResponse,
  TCreditShop,
} from '../../../core/contracts/credits.js';
import { DEFAULT_CREDIT_RULES } from '../../../core/credits/rules.js';
import { execRows } from '../../db/client.js';
import { square } from '../../test/access/access-world.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { categoriesByCode, step } from '../../test/problems-kit.js';

// 文明积分 (issue #24, item 5), through the API: grants from accepted reports, volunteer hours and
// household ratings (once each, capped per day, reversed when a report is merged as a duplicate),
// the SMS sign-in (an outbox row for the gateway; wrong codes limited), one-time redemption codes
// a shop's staff confirm (once, before they expire, never below a zero balance — also when two
// spends race), and the month's ranking with opted-in names.

let t: TestApp;
let office: Agent;
let reviewer: Agent;
let cashier: Agent;
let cashier2: Agent;
let categoryId = 0;
let ipSeq = 0;
const freshIp = () => `10.88.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

function ok(res: Res, status = 200): Res {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

type ErrorBody = { error: { code: string; messageZh: string; messageEn: string } };
function refused(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  const e = res.json<ErrorBody>().error;
  expect(e.code).toBe(code);
  expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.messageEn).toMatch(/[a-z]/);
  return e;
}

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return execRows<T>(t.database.db, q);
}

/** A citizen's report as the office enters it (channel citizen, with the reporter's phone). */
async function citizenReport(phone: string | null, title = '人行道堆放垃圾') {
  const res = ok(
    await office.post('/api/problems', {
      title,
      categoryId,
      channel: 'citizen',
      reporterName: '市民',
      reporterPhone: phone,
    }),
    201,
  );
  return res.json<{ problem: { id: number; version: number; code: string } }>().problem;
}

/** Rows of a query that answers at least one. */
async function rows1<T>(q: ReturnType<typeof sql>): Promise<[T, ...T[]]> {
  const out = await rows<T>(q);
  expect(out.length).toBeGreaterThan(0);
  return out as [T, ...T[]];
}

async function accountByPhone(phone: string): Promise<TCreditAccount | undefined> {
  const res = ok(await office.get(`/api/credits/accounts?phone=${phone}`));
  return res.json<{ items: TCreditAccount[] }>().items[0];
}

async function ledgerOf(id: number): Promise<TCreditLedgerRow[]> {
  return ok(await office.get(`/api/credits/accounts/${id}/ledger?limit=200`)).json<{
    items: TCreditLedgerRow[];
  }>().items;
}

async function setRules(patch: Partial<typeof DEFAULT_CREDIT_RULES>) {
  const now = ok(await office.get('/api/credits/rules')).json<TCreditRulesResponse>();
  return ok(
    await office.put('/api/credits/rules', {
      version: now.current.version,
      rules: { ...now.current.rules, ...patch },
      note: '测试调整',
    }),
  ).json<TCreditRulesResponse>();
}

// ----- the resident's side: SMS sign-in and the cookie -----

type Resident = { cookie: string; ip: string };

async function lastSms(phone: string) {
  const [m] = await rows<{ topic: string; payload: { to: string; text: string; kind: string } }>(
    sql`select topic, payload from outbox where topic = 'sms' and payload->>'to' = ${phone} order by id desc limit 1`,
  );
  return m;
}

async function signIn(phone: string): Promise<Resident> {
  const ip = freshIp();
  ok(
    await t.app.inject({
      method: 'POST',
      url: '/api/public/credits/otp',
      remoteAddress: ip,
      payload: { phone },
    }),
  );
  const code = /(\d{6})/.exec((await lastSms(phone))!.payload.text)![1]!;
  const res = ok(
    await t.app.inject({
      method: 'POST',
      url: '/api/public/credits/session',
      remoteAddress: ip,
      payload: { phone, code },
    }),
  );
  const setCookie = res.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0]! : String(setCookie);
  expect(first).toMatch(/HttpOnly/i);
  expect(first).toMatch(/SameSite=Strict/i);
  return { cookie: first.split(';')[0]!, ip };
}

const asResident = (r: Resident, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    remoteAddress: r.ip,
    headers: { cookie: r.cookie },
    ...(payload ? { payload } : {}),
  });

let shop: TCreditShop;
let otherShop: TCreditShop;
let towel = 0;
let rice = 0;
let soap = 0;

/** The jobs the app asked to run now (main.ts runs them; here they are only counted). */
const kicked: string[] = [];

beforeAll(async () => {
  t = await createTestApp({}, { kickJob: (name) => void kicked.push(name) });
  const db = t.database.db;
  await buildUser(db, { username: 'coffice', roles: ['office'] });
  await buildUser(db, { username: 'creview', roles: ['admin'] });
  const c1 = await buildUser(db, { username: 'ccashier', roles: ['shop'] });
  const c2 = await buildUser(db, { username: 'ccashier2', roles: ['shop'] });
  office = await t.login('coffice');
  reviewer = await t.login('creview');
  cashier = await t.login('ccashier');
  cashier2 = await t.login('ccashier2');
  categoryId = [...(await categoriesByCode(office)).values()].find((c) => c.parentId !== null)!.id;

  shop = ok(
    await office.post('/api/credits/shops', {
      name: '湖滨爱心超市',
      kind: 'supermarket',
      address: '湖滨路 1 号',
    }),
    201,
  ).json<TCreditShop>();
  otherShop = ok(
    await office.post('/api/credits/shops', { name: '便民理发店', kind: 'partner' }),
    201,
  ).json<TCreditShop>();
  ok(await office.post(`/api/credits/shops/${shop.id}/staff`, { userId: c1.id }));
  ok(await office.post(`/api/credits/shops/${otherShop.id}/staff`, { userId: c2.id }));
  const item = async (shopId: number, name: string, points: number, stock: number | null) =>
    ok(await office.post(`/api/credits/shops/${shopId}/items`, { name, points, stock }), 201).json<{
      id: number;
    }>().id;
  towel = await item(shop.id, '毛巾', 10, 5);
  rice = await item(shop.id, '大米 5 斤', 80, null);
  soap = await item(shop.id, '香皂', 5, 1);
});
afterAll(() => t.close());

describe('rules', () => {
  it('start at the defaults (version 0) and change as new versions, stale edits refused', async () => {
    const first = ok(await office.get('/api/credits/rules')).json<TCreditRulesResponse>();
    expect(first.current.version).toBe(0);
    expect(first.current.rules).toEqual(DEFAULT_CREDIT_RULES);
    const next = await setRules({
      report: { enabled: true, points: 5, dayCap: 12, monthCap: 100 },
    });
    expect(next.current.version).toBe(1);
    expect(next.history).toEqual([]);
    refused(
      await office.put('/api/credits/rules', { version: 0, rules: DEFAULT_CREDIT_RULES }),
      409,
      'stale_version',
    );
    // The shop's staff and a leader do not set rules; a leader reads them.
    refused(
      await cashier.put('/api/credits/rules', { version: 1, rules: DEFAULT_CREDIT_RULES }),
      403,
      'forbidden',
    );
  });
});

describe('grants from accepted reports', () => {
  const phone = '13811110001';

  it('grants when a report is accepted, never for a rejected one, once per report', async () => {
    const a = await citizenReport(phone);
    expect(await accountByPhone(phone)).toBeUndefined(); // nothing until accepted
    await step(office, a, 'register');
    const acc = (await accountByPhone(phone))!;
    expect(acc).toMatchObject({ phoneMasked: '138****0001', balance: 5, earned: 5 });
    const [g] = await ledgerOf(acc.id);
    expect(g).toMatchObject({
      delta: 5,
      entry: 'grant',
      sourceKind: 'report',
      sourceId: String(a.id),
      ruleVersion: 1,
      reason: 'granted',
    });
    expect(g!.note).toContain(a.code);

    // Rejected: nothing. Reopened after the rejection (now accepted): granted then.
    const b = await citizenReport(phone, '井盖缺失');
    const rejected = await step(office, b, 'reject', { note: '不属于本市范围' });
    expect((await accountByPhone(phone))!.balance).toBe(5);
    const reopened = await step(office, rejected.problem, 'reopen', { note: '核实后属实' });
    expect(reopened.problem.state).toBe('registered');
    expect((await accountByPhone(phone))!.balance).toBe(10);

    // A landline or no phone: no account, nothing granted.
    await step(office, await citizenReport('0571-88886666'), 'register');
    await step(office, await citizenReport(null), 'register');
    const [{ n }] = await rows1<{ n: number }>(
      sql`select count(*)::int as n from credit_accounts where phone_masked like '0571%'`,
    );
    expect(n).toBe(0);
  });

  it('records a grant over the day’s cap with what was left, then 0 with the reason', async () => {
    // The rule: 5 a report, 12 a day. Two granted above (10); the third gets 2, the fourth 0.
    await step(office, await citizenReport(phone, '第三件'), 'register');
    await step(office, await citizenReport(phone, '第四件'), 'register');
    const acc = (await accountByPhone(phone))!;
    expect(acc.balance).toBe(12);
    const [fourth, third] = await ledgerOf(acc.id);
    expect(third).toMatchObject({ delta: 2, asked: 5, reason: 'capped_day' });
    expect(fourth).toMatchObject({ delta: 0, asked: 5, reason: 'capped_day' });
    // Only other reports count against the reports' cap: hours and stars have their own.
  });

  it('reverses the grant of a report merged as a duplicate (a row, not a deletion)', async () => {
    const p2 = '13811110002';
    const primary = await citizenReport(p2, '路灯不亮');
    const dup = await citizenReport(p2, '路灯不亮（重复）');
    const d = await step(office, dup, 'register');
    await step(office, primary, 'register');
    const acc = (await accountByPhone(p2))!;
    expect(acc.balance).toBe(10);
    ok(
      await office.post(`/api/problems/${dup.id}/merge`, {
        intoId: primary.id,
        version: d.problem.version,
      }),
    );
    const after = (await accountByPhone(p2))!;
    expect(after).toMatchObject({ balance: 5, earned: 5 });
    const ledger = await ledgerOf(acc.id);
    expect(ledger).toHaveLength(3);
    expect(ledger[0]).toMatchObject({
      entry: 'reversal',
      delta: -5,
      asked: 5,
      sourceId: String(dup.id),
      reason: 'reversed_merged',
    });
    expect(ledger.filter((r) => r.entry === 'grant')).toHaveLength(2);
    // The ledger is the truth: the cached balance is its sum.
    expect(ledger.reduce((s, r) => s + r.delta, 0)).toBe(after.balance);
  });

  it('does not take back below zero what was already spent', async () => {
    const p3 = '13811110003';
    const primary = await citizenReport(p3, '占道经营');
    const dup = await citizenReport(p3, '占道经营（重复）');
    const d = await step(office, dup, 'register');
    const acc = (await accountByPhone(p3))!;
    expect(acc.balance).toBe(5);
    // Spent 5 on a bar of soap before the merge.
    const r = await signIn(p3);
    const code = ok(
      await asResident(r, 'POST', '/api/public/credits/redemptions', { itemId: soap }),
      201,
    ).json<TCreditRedeemCode>();
    ok(await cashier.post('/api/credits/redeem/confirm', { code: code.code }));
    ok(
      await office.post(`/api/problems/${dup.id}/merge`, {
        intoId: primary.id,
        version: d.problem.version,
      }),
    );
    const after = (await accountByPhone(p3))!;
    expect(after.balance).toBe(0);
    const [rev] = await ledgerOf(acc.id);
    expect(rev).toMatchObject({ entry: 'reversal', delta: 0, asked: 5 });
  });

  it('grants a report filed on the 随手拍 page by the phone it left', async () => {
    const p4 = '13811110004';
    const boundary = '----ccCredits';
    const body = Object.entries({
      categoryId,
      description: '小区门口的垃圾桶满溢无人清运',
      lat: 30.3,
      lng: 120.3,
      phone: '138 1111 0004',
    })
      .map(
        ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
      )
      .join('');
    const res = ok(
      await t.app.inject({
        method: 'POST',
        url: '/api/public/reports',
        remoteAddress: freshIp(),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: `${body}--${boundary}--\r\n`,
      }),
      201,
    );
    const [p] = await rows<{ id: number; version: number }>(
      sql`select p.id, p.version from problems p join citizen_reports c on c.problem_id = p.id
          where c.tracking_code = ${res.json<{ trackingCode: string }>().trackingCode}`,
    );
    await step(office, p!, 'register');
    expect((await accountByPhone(p4))!.balance).toBe(5);
  });
});

describe('grants from volunteer hours and household ratings', () => {
  const vphone = '13922220001';
  let volunteerId = 0;

  it('grants hours at the office’s 补录 with a check-out, once, to the volunteer’s account', async () => {
    volunteerId = ok(
      await office.post('/api/volunteers', { name: '周志愿', phone: vphone }),
      201,
    ).json<{ id: number }>().id;
    const now = Date.now();
    const activity = ok(
      await office.post('/api/volunteer-activities', {
        title: '文明交通劝导',
        startsAt: new Date(now - 4 * 3600_000).toISOString(),
        endsAt: new Date(now - 3600_000).toISOString(),
        capacity: 10,
      }),
      201,
    ).json<{ id: number }>();
    const clientId = randomUUID();
    const record = () =>
      office.post(`/api/volunteer-activities/${activity.id}/attendance`, {
        clientId,
        volunteerId,
        checkInAt: new Date(now - 4 * 3600_000).toISOString(),
        checkOutAt: new Date(now - 2 * 3600_000 - 30 * 60_000).toISOString(),
        reason: '纸质签到表补录',
      });
    ok(await record());
    ok(await record()); // the same submission again: no second grant
    const acc = (await accountByPhone(vphone))!;
    // 90 minutes at 10 points an hour.
    expect(acc).toMatchObject({ volunteerId, balance: 15, name: '周志愿' });
    const ledger = await ledgerOf(acc.id);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ sourceKind: 'volunteer_hours', delta: 15, asked: 15 });
  });

  it('is one account for a volunteer and a resident with the same phone', async () => {
    await step(office, await citizenReport(vphone, '共享单车乱停'), 'register');
    const acc = (await accountByPhone(vphone))!;
    expect(acc.balance).toBe(20);
    const [{ n }] = await rows1<{ n: number }>(
      sql`select count(*)::int as n from credit_accounts where phone_masked = '139****0001'`,
    );
    expect(n).toBe(1);
    // And a resident who earned first becomes the volunteer's account when the volunteer earns.
    const rphone = '13922220002';
    await step(office, await citizenReport(rphone, '绿化带垃圾'), 'register');
    const resident = (await accountByPhone(rphone))!;
    const v2 = ok(
      await office.post('/api/volunteers', { name: '吴志愿', phone: rphone }),
      201,
    ).json<{
      id: number;
    }>().id;
    const now = Date.now();
    const act = ok(
      await office.post('/api/volunteer-activities', {
        title: '敬老院探访',
        startsAt: new Date(now - 3 * 3600_000).toISOString(),
        endsAt: new Date(now - 3600_000).toISOString(),
        capacity: 10,
      }),
      201,
    ).json<{ id: number }>();
    ok(
      await office.post(`/api/volunteer-activities/${act.id}/attendance`, {
        clientId: randomUUID(),
        volunteerId: v2,
        checkInAt: new Date(now - 3 * 3600_000).toISOString(),
        checkOutAt: new Date(now - 2 * 3600_000).toISOString(),
        reason: '补录',
      }),
    );
    const joined = (await accountByPhone(rphone))!;
    expect(joined.id).toBe(resident.id);
    expect(joined).toMatchObject({ volunteerId: v2, balance: 15 });
  });

  it('grants an approved household rating per star, to the household’s phone', async () => {
    const db = t.database.db;
    const city = await buildRegion(db, { name: '积分市', level: 'city' });
    const k = await buildRegion(db, { name: '积分社区', level: 'community', parent: city });
    const code = k.code.padEnd(15, '0').slice(0, 14) + '1';
    const grid = ok(
      await office.post('/api/grids', {
        code,
        name: '积分网格',
        regionId: k.id,
        geometry: square(122, 31),
      }),
      201,
    ).json<{ grid: { id: number } }>().grid;
    for (const [i, c] of ['patriotic', 'integrity', 'filial'].entries()) {
      ok(
        await office.post('/api/star-households/criteria', {
          code: c,
          name: `星${i}`,
          nameEn: c,
          sortOrder: i,
        }),
        201,
      );
    }
    const h = ok(
      await office.post('/api/star-households', {
        gridId: grid.id,
        headName: '郑文明',
        address: '积分小区 1 栋 101',
        phone: '13933330001',
      }),
      201,
    ).json<{ id: number }>();
    const year = new Date().getFullYear();
    const proposed = ok(
      await office.post(`/api/star-households/${h.id}/ratings`, {
        year,
        stars: ['patriotic', 'integrity', 'filial'],
      }),
    ).json<{ rating: { id: number; version: number } }>().rating;
    // The proposer does not review its own proposal: another office does.
    ok(
      await reviewer.post(`/api/star-ratings/${proposed.id}/review`, {
        version: proposed.version,
        decision: 'approve',
      }),
    );
    const acc = (await accountByPhone('13933330001'))!;
    expect(acc).toMatchObject({ balance: 30, name: '郑文明' });
    expect((await ledgerOf(acc.id))[0]).toMatchObject({
      sourceKind: 'star_rating',
      sourceId: String(proposed.id),
    });
  });
});

describe('SMS sign-in', () => {
  const phone = '13844440001';

  it('writes the code to the outbox for the SMS gateway, in the agreed shape', async () => {
    const kicks = kicked.length;
    const res = ok(
      await t.app.inject({
        method: 'POST',
        url: '/api/public/credits/otp',
        remoteAddress: freshIp(),
        payload: { phone: '138 4444 0001' },
      }),
    );
    expect(res.json()).toEqual({ sentTo: '138****0001', expiresInS: 300 });
    // The resident waits for it: the outbox is run now, not at its next period.
    expect(kicked.slice(kicks)).toEqual(['outbox']);
    const m = (await lastSms(phone))!;
    expect(m.topic).toBe('sms');
    expect(Object.keys(m.payload).sort()).toEqual(['kind', 'text', 'to']);
    expect(m.payload).toMatchObject({ to: phone, kind: 'otp' });
    expect(m.payload.text).toMatch(/验证码为 \d{6}/);
    // Kept hashed: the code is nowhere in the table.
    const code = /(\d{6})/.exec(m.payload.text)![1]!;
    const [otp] = await rows<{ code_hash: string; phone_hash: string }>(
      sql`select code_hash, phone_hash from credit_otps order by id desc limit 1`,
    );
    expect(otp!.code_hash).not.toContain(code);
    expect(otp!.phone_hash).not.toContain('13844440001');
    // One a minute per number.
    refused(
      await t.app.inject({
        method: 'POST',
        url: '/api/public/credits/otp',
        remoteAddress: freshIp(),
        payload: { phone },
      }),
      429,
      'rate_limited',
    );
    expect(kicked.slice(kicks)).toEqual(['outbox']); // a refused one sends nothing
  });

  it('counts wrong codes and refuses the code after five, then the right one too', async () => {
    const m = (await lastSms(phone))!;
    const code = /(\d{6})/.exec(m.payload.text)![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    const attempt = (c: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/public/credits/session',
        remoteAddress: freshIp(),
        payload: { phone, code: c },
      });
    const first = refused(await attempt(wrong), 400, 'otp_wrong');
    expect(first.messageZh).toContain('还可再试 4 次');
    for (let i = 0; i < 4; i++) refused(await attempt(wrong), 400, 'otp_wrong');
    refused(await attempt(code), 429, 'otp_locked');
    const me = ok(await t.app.inject({ method: 'GET', url: '/api/public/credits/me' }));
    expect(me.json()).toEqual({ account: null });
  });

  it('refuses an expired code and signs in with a fresh one', async () => {
    const p = '13844440002';
    await t.app.inject({
      method: 'POST',
      url: '/api/public/credits/otp',
      remoteAddress: freshIp(),
      payload: { phone: p },
    });
    const code = /(\d{6})/.exec((await lastSms(p))!.payload.text)![1]!;
    await t.database.db.execute(
      sql`update credit_otps set expires_at = now() - interval '1 second' where id = (select max(id) from credit_otps)`,
    );
    refused(
      await t.app.inject({
        method: 'POST',
        url: '/api/public/credits/session',
        remoteAddress: freshIp(),
        payload: { phone: p, code },
      }),
      400,
      'otp_expired',
    );
    // Signed out, the resident's own routes answer 401 (a staff session counts for nothing here).
    refused(await office.get('/api/public/credits/ledger'), 401, 'credit_signed_out');
  });
});

/** The resident of the redemption tests (signed in once: one code a minute per number). */
let resident: Resident;

describe('redemption', () => {
  const phone = '13855550001';

  beforeAll(async () => {
    for (let i = 0; i < 2; i++)
      await step(office, await citizenReport(phone, `上报${i}`), 'register');
    await setRules({ report: { enabled: true, points: 50, dayCap: null, monthCap: null } });
    await step(office, await citizenReport(phone, '上报 2'), 'register');
    resident = await signIn(phone);
  });

  it('shows the signed-in resident the balance and the ledger, and the open shops', async () => {
    const me = ok(await asResident(resident, 'GET', '/api/public/credits/me')).json();
    expect(me.account).toMatchObject({ phoneMasked: '138****0001', balance: 60 });
    const ledger = ok(await asResident(resident, 'GET', '/api/public/credits/ledger')).json();
    expect(ledger.items.map((r: TCreditLedgerRow) => r.delta)).toEqual([50, 5, 5]);
    // The rule version each grant was made under stays with it.
    expect(ledger.items.map((r: TCreditLedgerRow) => r.ruleVersion)).toEqual([2, 1, 1]);
    const shops = ok(
      await t.app.inject({ method: 'GET', url: '/api/public/credits/shops' }),
    ).json();
    expect(shops.items.map((s: { name: string }) => s.name)).toEqual([
      '湖滨爱心超市',
      '便民理发店',
    ]);
  });

  it('gives a one-time code the shop confirms once: spend and stock in one go', async () => {
    const code = ok(
      await asResident(resident, 'POST', '/api/public/credits/redemptions', { itemId: towel }),
      201,
    ).json<TCreditRedeemCode>();
    expect(code.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    const preview = ok(
      await cashier.post('/api/credits/redeem/preview', { code: code.code.toLowerCase() }),
    ).json();
    expect(preview).toMatchObject({ status: 'pending', itemName: '毛巾', points: 10 });
    // Another shop's staff cannot use it.
    refused(
      await cashier2.post('/api/credits/redeem/confirm', { code: code.code }),
      409,
      'other_shop',
    );
    const used = ok(await cashier.post('/api/credits/redeem/confirm', { code: code.code })).json();
    expect(used).toMatchObject({ status: 'used', usedByName: expect.any(String) });
    const again = refused(
      await cashier.post('/api/credits/redeem/confirm', { code: code.code }),
      409,
      'code_used',
    );
    expect(again.messageZh).toContain('不能重复使用');
    const me = ok(await asResident(resident, 'GET', '/api/public/credits/me')).json();
    expect(me.account).toMatchObject({ balance: 50, spent: 10 });
    const shops = ok(await office.get('/api/credits/shops')).json<{ items: TCreditShop[] }>();
    expect(shops.items[0]!.items.find((i) => i.id === towel)!.stock).toBe(4);
    refused(
      await cashier.post('/api/credits/redeem/confirm', { code: 'ZZZZZZZZ' }),
      404,
      'code_unknown',
    );
  });

  it('refuses an expired code', async () => {
    const code = ok(
      await asResident(resident, 'POST', '/api/public/credits/redemptions', { itemId: towel }),
      201,
    ).json<TCreditRedeemCode>();
    await t.database.db.execute(
      sql`update credit_redemptions set expires_at = now() - interval '1 second' where id = ${code.redemptionId}`,
    );
    refused(
      await cashier.post('/api/credits/redeem/confirm', { code: code.code }),
      410,
      'code_expired',
    );
    const mine = ok(await asResident(resident, 'GET', '/api/public/credits/redemptions')).json();
    expect(mine.items[0]).toMatchObject({ id: code.redemptionId, status: 'expired' });
  });

  it('never lets two spends together go below zero (they race for the last points)', async () => {
    // 50 points: a code for 80 is refused at once; two codes for 30 each can be taken…
    refused(
      await asResident(resident, 'POST', '/api/public/credits/redemptions', { itemId: rice }),
      409,
      'insufficient_points',
    );
    const bag = ok(
      await office.post(`/api/credits/shops/${shop.id}/items`, { name: '洗衣液', points: 30 }),
      201,
    ).json<{ id: number }>().id;
    const a = ok(
      await asResident(resident, 'POST', '/api/public/credits/redemptions', { itemId: bag }),
      201,
    ).json<TCreditRedeemCode>();
    const b = ok(
      await asResident(resident, 'POST', '/api/public/credits/redemptions', { itemId: bag }),
      201,
    ).json<TCreditRedeemCode>();
    // …but only one of them is honoured when both are confirmed at the same moment.
    const [ra, rb] = await Promise.all([
      cashier.post('/api/credits/redeem/confirm', { code: a.code }),
      cashier.post('/api/credits/redeem/confirm', { code: b.code }),
    ]);
    expect([ra.statusCode, rb.statusCode].sort(), `${ra.body}\n${rb.body}`).toEqual([200, 409]);
    refused(
      [ra, rb].find((r) => r.statusCode === 409)!,
      409,
      'insufficient_points',
    );
    expect((await accountByPhone(phone))!.balance).toBe(20);
    // And one code confirmed twice at the same moment is used once.
    const c = ok(
      await asResident(resident, 'POST', '/api/public/credits/redemptions', { itemId: towel }),
      201,
    ).json<TCreditRedeemCode>();
    const [rc, rd] = await Promise.all([
      cashier.post('/api/credits/redeem/confirm', { code: c.code }),
      cashier.post('/api/credits/redeem/confirm', { code: c.code }),
    ]);
    expect([rc.statusCode, rd.statusCode].sort(), `${rc.body}\n${rd.body}`).toEqual([200, 409]);
    refused(
      [rc, rd].find((r) => r.statusCode === 409)!,
      409,
      'code_used',
    );
    const acc = (await accountByPhone(phone))!;
    expect(acc.balance).toBe(10);
    const ledger = await ledgerOf(acc.id);
    expect(ledger.reduce((s, r) => s + r.delta, 0)).toBe(10);
    expect(ledger.filter((r) => r.entry === 'spend').map((r) => r.delta)).toEqual([-10, -30, -10]);
    const [{ stock }] = await rows1<{ stock: number }>(
      sql`select stock from credit_items where id = ${towel}`,
    );
    expect(stock).toBe(3);
  });

  it('refuses an item out of stock, and lists the redemptions for the office', async () => {
    const c = await signIn('13811110004'); // 5 points, enough for the last bar of soap? taken.
    refused(
      await asResident(c, 'POST', '/api/public/credits/redemptions', { itemId: soap }),
      409,
      'out_of_stock',
    );
    const list = ok(
      await office.get(`/api/credits/redemptions?shopId=${shop.id}&status=used`),
    ).json();
    expect(list.items.length).toBeGreaterThanOrEqual(3);
    expect(list.items[0]).toMatchObject({ status: 'used', shopName: '湖滨爱心超市' });
    expect(list.items[0].phoneMasked).toMatch(/^1\d\d\*{4}\d{4}$/);
  });
});

describe('ranking', () => {
  it('ranks the month’s points by board; names only of those who opted in', async () => {
    const board = ok(
      await t.app.inject({ method: 'GET', url: '/api/public/credits/ranking?board=resident' }),
    ).json();
    expect(board.items[0]).toMatchObject({ rank: 1, points: 60, name: '匿名' });
    // The household head's account has a name: shown as 郑** until they opt in.
    expect(board.items.find((i: { points: number }) => i.points === 30)).toMatchObject({
      name: '郑**',
    });
    ok(
      await asResident(resident, 'PATCH', '/api/public/credits/me', {
        showName: true,
        name: '陈小明',
      }),
    );
    const named = ok(
      await t.app.inject({ method: 'GET', url: '/api/public/credits/ranking?board=resident' }),
    ).json();
    expect(named.items[0]).toMatchObject({ rank: 1, name: '陈小明', points: 60 });
    const volunteers = ok(
      await t.app.inject({ method: 'GET', url: '/api/public/credits/ranking?board=volunteer' }),
    ).json();
    expect(
      volunteers.items.map((i: { name: string; points: number }) => [i.name, i.points]),
    ).toEqual([
      ['周**', 15],
      ['吴**', 10],
    ]);
    expect(volunteers.items.map((i: { rank: number }) => i.rank)).toEqual([1, 2]);
    // The office sees names and masked phones, and exports the month.
    const officeBoard = ok(await office.get('/api/credits/ranking?board=resident')).json();
    expect(officeBoard.items[0]).toMatchObject({
      name: '陈小明',
      showName: true,
      phoneMasked: '138****0001',
    });
    const x = ok(await office.get('/api/credits/ranking/xlsx'));
    expect(String(x.headers['content-type'])).toContain('spreadsheetml');
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('finds an account by phone exactly (through the hash), not by part of it', async () => {
    expect((await accountByPhone('13855550001'))!.name).toBe('陈小明');
    const part = ok(await office.get('/api/credits/accounts?q=5555')).json();
    expect(part.items).toEqual([]);
    const byName = ok(await office.get('/api/credits/accounts?q=陈小')).json();
    expect(byName.items).toHaveLength(1);
    // The number itself is nowhere in the table.
    const [{ n }] = await rows1<{ n: number }>(
      sql`select count(*)::int as n from credit_accounts where phone_hash like '%13855550001%' or phone_masked = '13855550001'`,
    );
    expect(n).toBe(0);
  });
});
