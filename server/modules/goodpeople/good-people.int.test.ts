import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TGoodPersonMonth,
  TNomination,
  TPublicBoard,
  TPublicVoting,
} from '../../../core/contracts/good-people.js';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import { monthOf, previousMonth } from '../../../core/good-people/months.js';

// Issue #22, item 5 — 身边好人: nominations by staff and by citizens (the public form), review by
// the 文明办 (a district office in its subtree), the month's public vote with the citizen
// channel's abuse control, the published 好人榜 (no private data) and the path upward.

let t: TestApp;
let city: Agent;
let district: Agent;
let unitAgent: Agent;
let grid: Agent;
const ids = {} as { city: number; r1: number; c1: number; r2: number; c2: number; unit: number };
const MONTH = monthOf(new Date());
const PREVIOUS = previousMonth(MONTH);
const PHONE = '13912345678';
const CITIZEN = '钱推荐';
let ipSeq = 0;
const freshIp = () => `10.88.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

function expectStatus(res: Res, status: number): Res {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

/** A refusal's error, with both messages present (Chinese and English). */
function refusal(res: Res, status: number, code: string) {
  expectStatus(res, status);
  const e = res.json<{ error: { code: string; messageZh: string; messageEn: string } }>().error;
  expect(e.code).toBe(code);
  expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.messageEn).toMatch(/[a-z]/);
  return e;
}

async function audits(action: string, entityId: number | string) {
  return execRows<{ after: Record<string, unknown>; before: Record<string, unknown> | null }>(
    t.database.db,
    sql`select "after", "before" from audit_log where action = ${action}
        and entity_id = ${String(entityId)} order by id`,
  );
}

const DEEDS = '二十年如一日照顾邻居家的孤寡老人，买菜做饭、陪同看病，从不求回报，邻里交口称赞。';
const nomination = (over: Record<string, unknown> = {}) => ({
  month: MONTH,
  category: 'helping',
  nomineeName: '李好人',
  deeds: DEEDS,
  regionId: ids.c1,
  ...over,
});

async function nominate(agent: Agent, over: Record<string, unknown> = {}) {
  return expectStatus(
    await agent.post('/api/good-people', nomination(over)),
    201,
  ).json<TNomination>();
}

type Part = { name: string; value: string } | { name: string; filename: string; data: Buffer };
function form(parts: Part[]) {
  const boundary = `----gp${randomBytes(8).toString('hex')}`;
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

function publicNominate(fields: Record<string, string | number>, photo?: Buffer, ip = freshIp()) {
  const parts: Part[] = Object.entries(fields).map(([name, v]) => ({ name, value: String(v) }));
  if (photo) parts.push({ name: 'photo', filename: 'p.jpg', data: photo });
  return t.app.inject({
    method: 'POST',
    url: '/api/public/good-people/nominations',
    remoteAddress: ip,
    ...form(parts),
  });
}

const citizenFields = (over: Record<string, string | number> = {}) => ({
  category: 'bravery',
  nomineeName: '王勇',
  deeds: '在湖边看到落水儿童，毫不犹豫跳入冰冷的湖水，将孩子救上岸后悄然离开。',
  regionId: ids.c2,
  nominatorName: CITIZEN,
  nominatorPhone: `139 1234 5678`,
  deviceId: 'device-citizen-1',
  ...over,
});

const vote = (id: number, deviceId: string, ip = freshIp()) =>
  t.app.inject({
    method: 'POST',
    url: `/api/public/good-people/${id}/votes`,
    remoteAddress: ip,
    payload: { deviceId },
  });

const getPublic = (url: string) => t.app.inject({ method: 'GET', url });
const get = async (agent: Agent, id: number) =>
  expectStatus(await agent.get(`/api/good-people/${id}`), 200).json<TNomination>();
const setStatus = (agent: Agent, n: TNomination, body: Record<string, unknown>) =>
  agent.post(`/api/good-people/${n.id}/status`, { version: n.version, ...body });
const month = async (agent: Agent, m = MONTH) =>
  expectStatus(await agent.get(`/api/good-people/months/${m}`), 200).json<TGoodPersonMonth>();
const moveMonth = async (agent: Agent, state: string, m = MONTH) =>
  agent.post(`/api/good-people/months/${m}/state`, {
    state,
    version: (await month(city, m)).version,
  });

beforeAll(async () => {
  t = await createTestApp({
    CITIZEN_REPORTS_PER_IP_HOUR: '3',
    GOOD_PEOPLE_VOTES_PER_IP_DAY: '4',
    GOOD_PEOPLE_VOTES_PER_DEVICE_DAY: '5',
  });
  const db = t.database.db;
  const c = await buildRegion(db, { name: '好人市', level: 'city' });
  const r1 = await buildRegion(db, { name: '好甲区', level: 'district', parent: c });
  const c1 = await buildRegion(db, { name: '好甲社区', level: 'community', parent: r1 });
  const r2 = await buildRegion(db, { name: '好乙区', level: 'district', parent: c });
  const c2 = await buildRegion(db, { name: '好乙社区', level: 'community', parent: r2 });
  const unit = await buildUnit(db, { name: '好人市供电公司', regionId: r2.id });
  await buildUser(db, { username: 'gcity', roles: ['office'] });
  await buildUser(db, { username: 'gdistrict', roles: ['office'], regionId: r1.id });
  await buildUser(db, { username: 'gunit', roles: ['unit'], unitId: unit.id });
  await buildUser(db, { username: 'ggrid', roles: ['grid_worker'], regionId: c1.id });
  city = await t.login('gcity');
  district = await t.login('gdistrict');
  unitAgent = await t.login('gunit');
  grid = await t.login('ggrid');
  Object.assign(ids, { city: c.id, r1: r1.id, c1: c1.id, r2: r2.id, c2: c2.id, unit: unit.id });
});
afterAll(() => t.close());

describe('身边好人', () => {
  let byUnit: TNomination;
  let byGrid: TNomination;
  let byDistrict: TNomination;
  let byCitizen: TNomination;

  it('units, community staff and offices nominate; each follows its own', async () => {
    byUnit = await nominate(unitAgent, {
      nomineeName: '张师傅',
      category: 'dedication',
      regionId: ids.c2,
    });
    expect(byUnit).toMatchObject({
      status: 'submitted',
      source: 'unit',
      nominatorLabel: '好人市供电公司',
      regionName: '好乙社区',
      voteCount: 0,
      version: 1,
      citizenName: null,
    });
    expect((await audits('goodperson.nominate', byUnit.id))[0]!.after).toMatchObject({
      nomineeName: '张师傅',
      source: 'unit',
    });
    byGrid = await nominate(grid, { nomineeName: '赵大姐', category: 'filial' });
    expect(byGrid).toMatchObject({ source: 'community', nominatorLabel: '好甲社区' });
    byDistrict = await nominate(district, { nomineeName: '陈老师', category: 'honesty' });

    // A unit sees its own nominations only; another's is not there for it.
    const own = expectStatus(await unitAgent.get('/api/good-people'), 200).json<{
      items: TNomination[];
      total: number;
    }>();
    expect(own.items.map((n) => n.nomineeName)).toEqual(['张师傅']);
    expect(own.total).toBe(1);
    refusal(await unitAgent.get(`/api/good-people/${byGrid.id}`), 404, 'not_found');
  });

  it('takes a staff nominator’s own uploaded photo, once', async () => {
    const photo = await testJpeg();
    const up = expectStatus(await unitAgent.upload('/api/files', photo, 'p.jpg'), 201);
    const photoId = up.json<{ id: string }>().id;
    // Another user's upload is not the grid worker's to attach.
    refusal(
      await grid.post('/api/good-people', nomination({ photoId, nomineeName: '冒用' })),
      400,
      'invalid',
    );
    const withPhoto = await nominate(unitAgent, {
      nomineeName: '带照片',
      regionId: ids.c2,
      photoId,
    });
    expect(withPhoto.photoId).toBe(photoId);
    refusal(
      await unitAgent.post('/api/good-people', nomination({ photoId, regionId: ids.c2 })),
      400,
      'invalid',
    );
    // The nominator and the reviewers read it; the district office (another district) does not.
    expectStatus(await unitAgent.get(`/api/files/${photoId}/thumb`), 200);
    expectStatus(await city.get(`/api/files/${photoId}/thumb`), 200);
    expectStatus(await district.get(`/api/files/${photoId}/thumb`), 404);
  });

  it('refuses nominations that are not the nominator’s to make, or not well formed', async () => {
    // A district office puts forward people of its own subtree only.
    refusal(
      await district.post('/api/good-people', nomination({ regionId: ids.c2 })),
      403,
      'outside_jurisdiction',
    );
    refusal(
      await unitAgent.post('/api/good-people', nomination({ month: '2999-01' })),
      400,
      'invalid',
    );
    const long = await unitAgent.post('/api/good-people', nomination({ deeds: '好'.repeat(1001) }));
    expectStatus(long, 400);
    expect(long.body).toContain('事迹最多 1000 个字 / the deeds have at most 1000 characters');
    // Leaders and inspectors do not nominate; nobody signed in is refused.
    await buildUser(t.database.db, { username: 'gleader', roles: ['leader'] });
    const leader = await t.login('gleader');
    refusal(await leader.post('/api/good-people', nomination()), 403, 'forbidden');
    refusal(await leader.get('/api/good-people'), 403, 'forbidden');
    expectStatus(await t.app.inject({ method: 'GET', url: '/api/good-people' }), 401);
  });

  it('takes a citizen’s nomination through the public form, contact kept for the office', async () => {
    const photo = await testJpeg();
    const res = expectStatus(await publicNominate(citizenFields(), photo), 201);
    expect(res.json()).toMatchObject({ month: MONTH });
    const list = expectStatus(
      await city.get(`/api/good-people?month=${MONTH}&category=bravery`),
      200,
    ).json<{ items: TNomination[] }>();
    byCitizen = list.items[0]!;
    expect(byCitizen).toMatchObject({
      nomineeName: '王勇',
      source: 'citizen',
      nominatorLabel: '群众推荐',
      citizenName: CITIZEN,
      citizenPhone: PHONE,
    });
    expect(byCitizen.photoId).toMatch(/^[0-9a-f-]{36}$/);
    // The reviewer reads the photo; the unit (no part in it) does not.
    expectStatus(await city.get(`/api/files/${byCitizen.photoId}/thumb`), 200);
    expectStatus(await unitAgent.get(`/api/files/${byCitizen.photoId}/thumb`), 404);

    // A bot filling the honeypot, a bad phone, an unknown place: refused, bilingual.
    refusal(await publicNominate(citizenFields({ website: 'http://spam' })), 400, 'invalid');
    const phone = await publicNominate(citizenFields({ nominatorPhone: '12' }));
    expectStatus(phone, 400);
    expect(phone.body).toContain('enter a mobile number');
    refusal(await publicNominate(citizenFields({ regionId: 999_999 })), 400, 'invalid');

    // The address limit (3 an hour here): the fourth from one address is a 429 with Retry-After.
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      expectStatus(
        await publicNominate(citizenFields({ deviceId: `dev-limit-${i}x` }), undefined, ip),
        201,
      );
    }
    const limited = refusal(
      await publicNominate(citizenFields(), undefined, ip),
      429,
      'rate_limited',
    );
    expect(limited.messageZh).toContain('提交过于频繁');
  });

  it('a district office reviews its subtree’s nominations, audited, at a version', async () => {
    const mine = expectStatus(await district.get(`/api/good-people?month=${MONTH}`), 200).json<{
      items: TNomination[];
      total: number;
    }>();
    // 好甲区's nominees only: the grid worker's and its own, not 好乙区's.
    expect(mine.items.map((n) => n.nomineeName).sort()).toEqual(['赵大姐', '陈老师'].sort());
    refusal(await setStatus(district, byUnit, { status: 'shortlisted' }), 404, 'not_found');
    refusal(await district.get(`/api/good-people/${byCitizen.id}`), 404, 'not_found');

    const short = expectStatus(
      await setStatus(district, byGrid, { status: 'shortlisted' }),
      200,
    ).json<TNomination>();
    expect(short).toMatchObject({ status: 'shortlisted', version: 2 });
    refusal(
      await setStatus(district, byGrid, { status: 'rejected', reason: '重复' }),
      409,
      'stale_version',
    );
    refusal(await setStatus(district, byDistrict, { status: 'rejected' }), 400, 'invalid');
    const rejected = expectStatus(
      await setStatus(district, byDistrict, { status: 'rejected', reason: '事迹材料不足' }),
      200,
    ).json<TNomination>();
    expect(rejected).toMatchObject({ status: 'rejected', reason: '事迹材料不足' });
    const [audit] = await audits('goodperson.status', byDistrict.id);
    expect(audit).toMatchObject({
      before: { status: 'submitted' },
      after: { status: 'rejected', label: '未入围', reason: '事迹材料不足' },
    });
    byGrid = short;
    byDistrict = rejected;

    // The city office reviews the rest; a district office cannot open the vote or honour.
    byUnit = expectStatus(await setStatus(city, byUnit, { status: 'shortlisted' }), 200).json();
    byCitizen = expectStatus(
      await setStatus(city, byCitizen, { status: 'shortlisted' }),
      200,
    ).json();
    refusal(await moveMonth(district, 'voting'), 403, 'city_level');
    refusal(await setStatus(district, byGrid, { status: 'honoured', rank: 1 }), 403, 'city_level');
  });

  it('opens the vote: the shortlist is public, with counts and nothing private', async () => {
    // Before the vote nobody is on show, and a shortlisted person's photo is not public yet.
    expect(expectStatus(await getPublic('/api/public/good-people/voting'), 200).json()).toEqual({
      month: null,
      candidates: [],
    });
    expectStatus(await getPublic(`/api/public/good-people/${byCitizen.id}/photo`), 404);

    refusal(await moveMonth(city, 'published'), 409, 'invalid_transition');
    const m = expectStatus(await moveMonth(city, 'voting'), 200).json<TGoodPersonMonth>();
    expect(m).toMatchObject({ state: 'voting', version: 1 });
    expect(m.votingOpenedAt).not.toBeNull();
    expect((await audits('goodperson.month', MONTH))[0]!.after).toMatchObject({ state: 'voting' });
    // A month with nobody shortlisted cannot open its vote; and one vote is open at a time.
    refusal(await moveMonth(city, 'voting', PREVIOUS), 409, 'empty_shortlist');
    const late = await nominate(unitAgent, {
      month: PREVIOUS,
      nomineeName: '周阿姨',
      regionId: ids.c2,
    });
    expectStatus(await setStatus(city, late, { status: 'shortlisted' }), 200);
    refusal(await moveMonth(city, 'voting', PREVIOUS), 409, 'another_vote_open');

    const res = expectStatus(await getPublic('/api/public/good-people/voting'), 200);
    const voting = res.json<TPublicVoting>();
    expect(voting.month).toBe(MONTH);
    expect(voting.candidates.map((c) => c.nomineeName).sort()).toEqual(
      ['张师傅', '王勇', '赵大姐'].sort(),
    );
    expect(res.body).not.toContain(PHONE);
    expect(res.body).not.toContain(CITIZEN);
    expect(res.body).not.toContain('citizen');
    expect(res.body).not.toContain('好人市供电公司');
    const wang = voting.candidates.find((c) => c.nomineeName === '王勇')!;
    expect(wang.photoUrl).toBe(`/api/public/good-people/${byCitizen.id}/photo`);
    expectStatus(await getPublic(wang.thumbUrl!), 200);

    // The month takes no more nominations, from staff or the public.
    refusal(await unitAgent.post('/api/good-people', nomination()), 409, 'month_not_collecting');
    refusal(await publicNominate(citizenFields()), 409, 'month_not_collecting');
    // Nor changes to its shortlist.
    refusal(
      await setStatus(city, byUnit, { status: 'rejected', reason: '改主意' }),
      409,
      'month_not_collecting',
    );
  });

  it('counts one vote a device a nominee a day, and caps each address', async () => {
    const first = expectStatus(await vote(byGrid.id, 'device-aaaa-1'), 200);
    expect(first.json()).toEqual({ voteCount: 1 });
    const again = refusal(await vote(byGrid.id, 'device-aaaa-1'), 409, 'already_voted');
    expect(again.messageZh).toContain('今天已为“赵大姐”投过票');
    expect(again.messageEn).toContain('already voted');
    // The same device for another nominee, another device for the same one: both count.
    expectStatus(await vote(byUnit.id, 'device-aaaa-1'), 200);
    expect(expectStatus(await vote(byGrid.id, 'device-bbbb-2'), 200).json()).toEqual({
      voteCount: 2,
    });
    // Only the shortlist of the open vote: a rejected nomination is not up for a vote.
    refusal(await vote(byDistrict.id, 'device-cccc-3'), 409, 'voting_closed');
    refusal(await vote(999_999, 'device-cccc-3'), 404, 'not_found');
    // A bad device id is a 400, naming the field.
    expectStatus(await vote(byGrid.id, 'x'), 400);

    // One address: 4 votes a day here, whatever devices it claims.
    const ip = freshIp();
    for (let i = 0; i < 4; i++)
      expectStatus(await vote(byCitizen.id, `device-ip-${i}xxxx`, ip), 200);
    const capped = refusal(await vote(byUnit.id, 'device-ip-9xxxx', ip), 429, 'rate_limited');
    expect(capped.messageEn).toContain('too many requests');

    // The office sees the counts; nobody sees who voted.
    expect((await get(city, byGrid.id)).voteCount).toBe(2);
    expect((await get(city, byCitizen.id)).voteCount).toBe(4);
    const [row] = await execRows<{ voter_key: string }>(
      t.database.db,
      sql`select voter_key from good_person_votes limit 1`,
    );
    expect(row!.voter_key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('closes the vote, the city picks and publishes the 好人榜: public, with no private data', async () => {
    expectStatus(await moveMonth(city, 'closed'), 200);
    refusal(await vote(byGrid.id, 'device-late-1'), 409, 'voting_closed');
    // Honoured only once the vote is closed, with a rank, each rank once.
    refusal(await setStatus(city, byCitizen, { status: 'honoured' }), 400, 'invalid');
    byCitizen = expectStatus(
      await setStatus(city, byCitizen, { status: 'honoured', rank: 1 }),
      200,
    ).json();
    refusal(await setStatus(city, byGrid, { status: 'honoured', rank: 1 }), 409, 'rank_taken');
    byGrid = expectStatus(
      await setStatus(city, byGrid, { status: 'honoured', rank: 2 }),
      200,
    ).json();
    refusal(
      await setStatus(city, byDistrict, { status: 'honoured', rank: 3 }),
      409,
      'invalid_transition',
    );
    // Nothing public until published.
    expect(
      expectStatus(await getPublic('/api/public/good-people/board'), 200).json(),
    ).toMatchObject({
      month: null,
      honoured: [],
    });
    expectStatus(await moveMonth(city, 'published'), 200);

    const res = expectStatus(await getPublic('/api/public/good-people/board'), 200);
    const board = res.json<TPublicBoard>();
    expect(board.month).toBe(MONTH);
    expect(board.months).toEqual([MONTH]);
    expect(board.honoured.map((h) => [h.rank, h.nomineeName, h.category])).toEqual([
      [1, '王勇', 'bravery'],
      [2, '赵大姐', 'filial'],
    ]);
    expect(board.honoured[0]!.deeds).toContain('落水儿童');
    expect(board.honoured[0]!.voteCount).toBe(4);
    expect(Object.keys(board.honoured[0]!).sort()).toEqual(
      [
        'category',
        'deeds',
        'id',
        'month',
        'nomineeName',
        'photoUrl',
        'rank',
        'regionName',
        'steps',
        'thumbUrl',
        'voteCount',
      ].sort(),
    );
    expect(res.body).not.toContain(PHONE);
    expect(res.body).not.toContain(CITIZEN);
    expect(res.body).not.toContain('张师傅');
    expectStatus(await getPublic(board.honoured[0]!.photoUrl!), 200);
    // The published list is final.
    refusal(await setStatus(city, byGrid, { status: 'shortlisted' }), 409, 'month_not_closed');
  });

  it('records the path upward of an honoured person (the city office)', async () => {
    const step = {
      level: 'provincial',
      stage: 'recommended',
      on: '2026-12-01',
      note: '报省文明办',
    };
    refusal(await district.post(`/api/good-people/${byGrid.id}/steps`, step), 403, 'city_level');
    refusal(await city.post(`/api/good-people/${byUnit.id}/steps`, step), 409, 'not_honoured');
    refusal(
      await city.post(`/api/good-people/${byCitizen.id}/steps`, { ...step, on: '2026-13-01' }),
      400,
      'invalid',
    );
    expectStatus(await city.post(`/api/good-people/${byCitizen.id}/steps`, step), 201);
    const after = expectStatus(
      await city.post(`/api/good-people/${byCitizen.id}/steps`, {
        level: 'national',
        stage: 'selected',
        on: '2027-01-20',
      }),
      201,
    ).json<TNomination>();
    expect(after.steps.map((s) => [s.level, s.stage, s.on, s.note])).toEqual([
      ['provincial', 'recommended', '2026-12-01', '报省文明办'],
      ['national', 'selected', '2027-01-20', null],
    ]);
    expect(await audits('goodperson.step', byCitizen.id)).toHaveLength(2);
    const board = expectStatus(
      await getPublic(`/api/public/good-people/board?month=${MONTH}`),
      200,
    ).json<TPublicBoard>();
    expect(board.honoured[0]!.steps).toEqual([
      { level: 'provincial', stage: 'recommended', on: '2026-12-01' },
      { level: 'national', stage: 'selected', on: '2027-01-20' },
    ]);
    expect(JSON.stringify(board)).not.toContain('报省文明办');
  });
});
