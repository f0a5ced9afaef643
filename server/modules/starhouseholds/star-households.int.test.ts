import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentStarYear,
  type TStarBoard,
  type TStarBoardCommunities,
  type TStarCoverage,
  type TStarHousehold,
  type TStarRating,
} from '../../../core/contracts/star-households.js';
import { execRows } from '../../db/client.js';
import { square } from '../../test/access/access-world.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';

// Issue #22, item 4 — 文明家庭 / 十星级文明户 in grids: households registered by grid workers in
// their own grids, stars proposed per criterion, reviewed (approved / returned with a reason) by
// an office of the household's place (never its proposer), a ten-star household registered as a
// 文明家庭 in the honours registry, the community's public board (no private data), coverage per
// community, and by level: a district office has its subtree, a grid worker their grids.

const YEAR = currentStarYear();
const STARS = [
  ['patriotic', '爱国守法星', 'Law-abiding'],
  ['integrity', '诚信星', 'Integrity'],
  ['filial', '孝老星', 'Filial piety'],
  ['hygiene', '卫生星', 'Hygiene'],
  ['learning', '学习星', 'Learning'],
  ['industrious', '勤劳致富星', 'Hard work'],
  ['neighbourly', '邻里和睦星', 'Good neighbours'],
  ['new_customs', '移风易俗星', 'New customs'],
  ['thrift', '节约星', 'Thrift'],
  ['volunteer', '志愿服务星', 'Volunteering'],
] as const;
const ALL_STARS = STARS.map(([code]) => code);

let t: TestApp;
let city: Agent;
let district: Agent;
let community: Agent;
let leader: Agent;
let worker: Agent;
let worker2: Agent;
const ids = { k1: 0, k2: 0, k3: 0, g1: 0, g2: 0, g3: 0 };

function ok(res: Res, status = 200): Res {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

type ErrorBody = { error: { code: string; messageZh: string; messageEn: string } };
function refused(res: Res, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  const e = res.json<ErrorBody>().error;
  if (code) expect(e.code).toBe(code);
  expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
  expect(e.messageEn).toMatch(/[a-z]/);
  return e;
}

const register = (agent: Agent, body: Record<string, unknown>) =>
  agent.post('/api/star-households', body);
const propose = (agent: Agent, id: number, body: Record<string, unknown>) =>
  agent.post(`/api/star-households/${id}/ratings`, { year: YEAR, ...body });
const review = (agent: Agent, rating: TStarRating, body: Record<string, unknown>) =>
  agent.post(`/api/star-ratings/${rating.id}/review`, { version: rating.version, ...body });
const list = async (agent: Agent, query = '') =>
  ok(await agent.get(`/api/star-households?year=${YEAR}${query}`)).json<{
    items: TStarHousehold[];
    total: number;
  }>();
const anonymous = (url: string) => t.app.inject({ method: 'GET', url });

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '星城市', level: 'city' });
  const d1 = await buildRegion(db, { name: '星甲区', level: 'district', parent: c });
  const s1 = await buildRegion(db, { name: '星甲街道', level: 'street', parent: d1 });
  const k1 = await buildRegion(db, { name: '幸福里社区', level: 'community', parent: s1 });
  const k2 = await buildRegion(db, { name: '和睦苑社区', level: 'community', parent: s1 });
  const d2 = await buildRegion(db, { name: '星乙区', level: 'district', parent: c });
  const k3 = await buildRegion(db, { name: '星乙社区', level: 'community', parent: d2 });
  await buildUser(db, { username: 'scity', roles: ['office'] });
  await buildUser(db, { username: 'sdist', roles: ['office'], regionId: d1.id });
  await buildUser(db, { username: 'scomm', roles: ['office'], regionId: k1.id });
  await buildUser(db, { username: 'slead', roles: ['leader'] });
  const gw = await buildUser(db, { username: 'sgw', roles: ['grid_worker'], regionId: k1.id });
  const gw2 = await buildUser(db, { username: 'sgw2', roles: ['grid_worker'], regionId: k3.id });
  city = await t.login('scity');
  district = await t.login('sdist');
  community = await t.login('scomm');
  leader = await t.login('slead');
  worker = await t.login('sgw');
  worker2 = await t.login('sgw2');
  const grid = async (region: { id: number; code: string }, lng: number, member: number) => {
    const code = region.code.padEnd(15, '0').slice(0, 14) + '1';
    const res = ok(
      await city.post('/api/grids', {
        code,
        name: `网格${lng}`,
        regionId: region.id,
        geometry: square(lng, 30),
      }),
      201,
    );
    const g = res.json<{ grid: { id: number; version: number } }>().grid;
    ok(
      await city.put(`/api/grids/${g.id}/members`, {
        version: g.version,
        members: [{ userId: member, role: 'worker' }],
      }),
    );
    return g.id;
  };
  Object.assign(ids, {
    k1: k1.id,
    k2: k2.id,
    k3: k3.id,
    g1: await grid(k1, 120, gw.id),
    g2: await grid(k2, 120.1, gw2.id),
    g3: await grid(k3, 121, gw2.id),
  });
});
afterAll(() => t.close());

describe('十星级文明户', () => {
  const h = {} as Record<'zhang' | 'li' | 'wang' | 'zhao' | 'k3', TStarHousehold>;

  it('the stars are the city office’s to configure', async () => {
    for (const [i, [code, name, nameEn]] of STARS.entries()) {
      ok(
        await city.post('/api/star-households/criteria', { code, name, nameEn, sortOrder: i }),
        201,
      );
    }
    refused(
      await district.post('/api/star-households/criteria', {
        code: 'district_star',
        name: '区级星',
        nameEn: 'District',
      }),
      403,
      'city_level',
    );
    refused(
      await city.post('/api/star-households/criteria', {
        code: 'thrift',
        name: '重复',
        nameEn: 'Dup',
      }),
      409,
      'duplicate',
    );
    refused(
      await worker.post('/api/star-households/criteria', { code: 'gw', name: '星', nameEn: 'S' }),
      403,
      'forbidden',
    );
    const retired = ok(
      await city.post('/api/star-households/criteria', {
        code: 'retired_star',
        name: '旧星',
        nameEn: 'Old star',
        active: false,
        sortOrder: 99,
      }),
      201,
    ).json<{ id: number; version: number }>();
    const renamed = ok(
      await city.patch(`/api/star-households/criteria/${retired.id}`, {
        version: retired.version,
        name: '已停用的星',
      }),
    ).json<{ name: string; active: boolean; code: string }>();
    expect(renamed).toMatchObject({ name: '已停用的星', active: false, code: 'retired_star' });
    const criteria = ok(await worker.get('/api/star-households/criteria')).json<{
      items: { code: string }[];
    }>().items;
    expect(criteria.map((c) => c.code)).toEqual([...ALL_STARS, 'retired_star']);
  });

  it('a grid worker registers households in their own grid only', async () => {
    const zhang = ok(
      await register(worker, {
        gridId: ids.g1,
        headName: '张建国',
        address: '幸福里小区 3 栋 2 单元 501 室',
        building: '幸福里小区 3 栋 2 单元',
        phone: '13812345678',
      }),
      201,
    ).json<TStarHousehold>();
    expect(zhang).toMatchObject({ regionId: ids.k1, regionName: '幸福里社区', rating: null });
    // The one who registers and visits the household sees its phone in full.
    expect(zhang.phone).toBe('13812345678');
    h.zhang = zhang;
    h.li = ok(
      await register(worker, {
        gridId: ids.g1,
        headName: '李秀英',
        address: '幸福里小区 5 栋 1 单元 302 室',
        building: '幸福里小区 5 栋',
        phone: '13900001111',
      }),
      201,
    ).json<TStarHousehold>();
    h.wang = ok(
      await register(community, {
        gridId: ids.g1,
        headName: '王德明',
        address: '幸福里小区 7 栋 101 室',
      }),
      201,
    ).json<TStarHousehold>();
    h.zhao = ok(
      await register(district, { gridId: ids.g2, headName: '赵桂兰', address: '和睦苑 2 栋 1 号' }),
      201,
    ).json<TStarHousehold>();
    h.k3 = ok(
      await register(worker2, { gridId: ids.g3, headName: '钱多多', address: '星乙社区 9 号' }),
      201,
    ).json<TStarHousehold>();
    // Outside one's grids: another grid of the same street is refused (403).
    refused(
      await register(worker, { gridId: ids.g2, headName: '孙', address: '和睦苑 1 号' }),
      403,
      'not_own_grid',
    );
    // The same address twice in a grid: 409.
    refused(
      await register(worker, {
        gridId: ids.g1,
        headName: '张建国',
        address: '幸福里小区 3 栋 2 单元 501 室',
      }),
      409,
      'duplicate',
    );
    refused(
      await register(worker, {
        gridId: ids.g1,
        headName: '周',
        address: '幸福里 1 号',
        lat: 30,
      }),
      400,
      'invalid',
    );
    refused(await register(leader, { gridId: ids.g1, headName: '周', address: 'x' }), 403);
  });

  it('lists a grid worker’s own grids only, phones masked', async () => {
    const mine = await list(worker);
    expect(mine.items.map((x) => x.id).sort()).toEqual([h.zhang.id, h.li.id, h.wang.id].sort());
    expect(mine.items.find((x) => x.id === h.zhang.id)!.phone).toBe('138****5678');
    const theirs = await list(worker2);
    expect(theirs.items.map((x) => x.id).sort()).toEqual([h.zhao.id, h.k3.id].sort());
    refused(await worker2.get(`/api/star-households/${h.zhang.id}`), 404, 'not_found');
    // A leader reads (masked), and does not rate.
    const seen = ok(await leader.get(`/api/star-households/${h.li.id}`)).json<TStarHousehold>();
    expect(seen.phone).toBe('139****1111');
    expect((await list(leader)).total).toBe(5);
  });

  let zhangRating: TStarRating;
  let liRating: TStarRating;

  it('proposes stars in one’s own grid; refused outside it', async () => {
    const clientId = '5b0f4c8e-7d1a-4c39-9a55-0f1e2d3c4b5a';
    const first = ok(
      await propose(worker, h.zhang.id, { stars: ALL_STARS, note: '全家和睦', clientId }),
    ).json<TStarHousehold>();
    zhangRating = first.rating!;
    expect(zhangRating).toMatchObject({
      status: 'proposed',
      starCount: 10,
      tenStar: false,
      note: '全家和睦',
    });
    // The phone sends again (no answer the first time): the same proposal, not a second one.
    const again = ok(
      await propose(worker, h.zhang.id, { stars: ALL_STARS, clientId }),
    ).json<TStarHousehold>();
    expect(again.rating).toMatchObject({ id: zhangRating.id, version: zhangRating.version });
    liRating = ok(
      await propose(worker, h.li.id, { stars: ALL_STARS.slice(0, 6) }),
    ).json<TStarHousehold>().rating!;
    expect(liRating.starCount).toBe(6);
    // Another grid's worker does not see the household: 404.
    refused(await propose(worker2, h.zhang.id, { stars: ['thrift'] }), 404, 'not_found');
    refused(await propose(worker, h.zhao.id, { stars: ['thrift'] }), 404, 'not_found');
    refused(await propose(worker, h.wang.id, { stars: ['thrift', 'nope'] }), 400, 'invalid');
    refused(await propose(worker, h.wang.id, { stars: ['retired_star'] }), 400, 'invalid');
    refused(
      await propose(worker, h.wang.id, { stars: ['thrift'], year: YEAR + 1 }),
      400,
      'invalid',
    );
    refused(await propose(leader, h.wang.id, { stars: ['thrift'] }), 403, 'forbidden');
  });

  it('reviews: approve, or return with a reason; never one’s own proposal', async () => {
    refused(await review(worker, zhangRating, { decision: 'approve' }), 403, 'forbidden');
    const approved = ok(
      await review(community, zhangRating, { decision: 'approve' }),
    ).json<TStarRating>();
    expect(approved).toMatchObject({ status: 'approved', starCount: 10, tenStar: true });
    expect(approved.reviewedByName).not.toBeNull();
    refused(await review(community, approved, { decision: 'return', reason: 'x' }), 409);
    refused(await propose(worker, h.zhang.id, { stars: ['thrift'] }), 409, 'rating_approved');

    refused(await review(community, liRating, { decision: 'return' }), 400, 'invalid');
    const returned = ok(
      await review(community, liRating, { decision: 'return', reason: '卫生星材料不足' }),
    ).json<TStarRating>();
    expect(returned).toMatchObject({ status: 'returned', returnReason: '卫生星材料不足' });
    const [audit] = await execRows<{ before: { status: string }; after: { reason: string } }>(
      t.database.db,
      sql`select "before", "after" from audit_log where action = 'star_rating.status'
          and entity_id = ${String(liRating.id)} order by id desc limit 1`,
    );
    expect(audit).toMatchObject({
      before: { status: 'proposed' },
      after: { status: 'returned', reason: '卫生星材料不足' },
    });
    // Proposed again after the return: pending, the reason cleared; a stale version is a 409.
    refused(
      await propose(worker, h.li.id, { stars: ALL_STARS.slice(0, 5), version: 1 }),
      409,
      'stale_version',
    );
    liRating = ok(
      await propose(worker, h.li.id, {
        stars: ALL_STARS.slice(0, 7),
        version: returned.version,
      }),
    ).json<TStarHousehold>().rating!;
    expect(liRating).toMatchObject({ status: 'proposed', starCount: 7, returnReason: null });
    liRating = ok(await review(district, liRating, { decision: 'approve' })).json<TStarRating>();
    expect(liRating).toMatchObject({ status: 'approved', tenStar: false });

    // The community office proposes; it may not approve its own proposal, the street's office may.
    const wang = ok(
      await propose(community, h.wang.id, { stars: ALL_STARS.slice(0, 3) }),
    ).json<TStarHousehold>().rating!;
    refused(await review(community, wang, { decision: 'approve' }), 403, 'own_proposal');
    refused(await review(community, { ...wang, version: 9 }, { decision: 'approve' }), 403);
    refused(await review(district, { ...wang, version: 9 }, { decision: 'approve' }), 409);
  });

  it('registers a ten-star household as a 文明家庭 in the honours registry, once', async () => {
    refused(
      await district.post(`/api/star-ratings/${liRating.id}/honour`, {
        version: liRating.version,
        level: 'county',
      }),
      409,
      'not_ten_star',
    );
    const rating = ok(
      await district.post(`/api/star-ratings/${zhangRating.id}/honour`, {
        version: zhangRating.version + 1,
        level: 'county',
      }),
    ).json<TStarRating>();
    expect(rating.honourId).not.toBeNull();
    const honour = ok(await district.get(`/api/honours/${rating.honourId}`)).json<{
      cellType: string;
      level: string;
      title: string;
      yearConferred: number;
      regionId: number;
      holderName: string;
    }>();
    expect(honour).toMatchObject({
      cellType: 'family',
      level: 'county',
      title: '县级文明家庭',
      yearConferred: YEAR,
      regionId: ids.k1,
      holderName: '张建国家庭（幸福里社区）',
    });
    refused(
      await district.post(`/api/star-ratings/${zhangRating.id}/honour`, {
        version: rating.version,
        level: 'city',
      }),
      409,
      'already_registered',
    );
    refused(
      await worker.post(`/api/star-ratings/${zhangRating.id}/honour`, {
        version: rating.version,
        level: 'city',
      }),
      403,
    );
  });

  it('the public board shows approved households without private data', async () => {
    const res = ok(await anonymous(`/api/public/star-board?regionId=${ids.k1}&year=${YEAR}`));
    const board = res.json<TStarBoard>();
    expect(board.regionName).toBe('幸福里社区');
    // Approved only (王 is pending), most stars first.
    expect(board.items.map((i) => [i.household, i.starCount, i.tenStar])).toEqual([
      ['张**户', 10, true],
      ['李**户', 7, false],
    ]);
    expect(board.items[0]!.building).toBe('幸福里小区 3 栋 2 单元');
    expect(board.items[0]!.stars.map((s) => s.name)).toEqual(STARS.map(([, name]) => name));
    for (const secret of ['13812345678', '5678', '501', '张建国', '李秀英', '302', 'householdId'])
      expect(res.body).not.toContain(secret);
    expect(Object.keys(board.items[0]!).sort()).toEqual(
      ['building', 'gridName', 'household', 'id', 'starCount', 'stars', 'tenStar'].sort(),
    );
    const communities = (
      await anonymous(`/api/public/star-board/communities?year=${YEAR}`)
    ).json<TStarBoardCommunities>();
    expect(communities.items).toEqual([
      { regionId: ids.k1, regionName: '幸福里社区', households: 2, tenStar: 1 },
    ]);
    expect((await anonymous(`/api/public/star-board?regionId=999999`)).statusCode).toBe(404);
  });

  it('coverage per community: registered, rated, pending, ten-star, stars distribution', async () => {
    const cov = ok(
      await city.get(`/api/star-households/coverage?year=${YEAR}`),
    ).json<TStarCoverage>();
    const byRegion = new Map(cov.items.map((r) => [r.regionId, r]));
    const k1 = byRegion.get(ids.k1)!;
    expect(k1).toMatchObject({
      households: 3,
      rated: 2,
      proposed: 1,
      returned: 0,
      tenStar: 1,
      rate: 0.667,
    });
    expect(k1.distribution).toHaveLength(11);
    expect(k1.distribution[10]).toBe(1);
    expect(k1.distribution[7]).toBe(1);
    expect(k1.distribution.reduce((a, b) => a + b, 0)).toBe(k1.rated);
    expect(byRegion.get(ids.k2)).toMatchObject({ households: 1, rated: 0, rate: 0 });
    expect(byRegion.get(ids.k3)).toMatchObject({ households: 1, rated: 0 });
    // Another year: nothing rated yet.
    const last = ok(
      await city.get(`/api/star-households/coverage?year=${YEAR - 1}`),
    ).json<TStarCoverage>();
    expect(last.items.find((r) => r.regionId === ids.k1)).toMatchObject({ rated: 0 });
    // The grid worker's coverage is their grids' households.
    const mine = ok(await worker.get('/api/star-households/coverage')).json<TStarCoverage>();
    expect(mine.items.map((r) => [r.regionId, r.households])).toEqual([[ids.k1, 3]]);
  });

  it('a district office has its subtree only', async () => {
    const seen = await list(district);
    expect(seen.items.map((x) => x.id).sort()).toEqual(
      [h.zhang.id, h.li.id, h.wang.id, h.zhao.id].sort(),
    );
    expect((await list(district, '&status=approved')).total).toBe(2);
    expect((await list(district, '&status=unrated')).items.map((x) => x.id)).toEqual([h.zhao.id]);
    refused(await district.get(`/api/star-households/${h.k3.id}`), 404);
    refused(
      await register(district, { gridId: ids.g3, headName: '外区', address: '星乙 1 号' }),
      403,
      'outside_jurisdiction',
    );
    const k3Rating = ok(
      await propose(worker2, h.k3.id, { stars: ALL_STARS.slice(0, 2) }),
    ).json<TStarHousehold>().rating!;
    refused(await review(district, k3Rating, { decision: 'approve' }), 404, 'not_found');
    refused(await review(community, k3Rating, { decision: 'approve' }), 404, 'not_found');
    const cov = ok(await district.get('/api/star-households/coverage')).json<TStarCoverage>();
    expect(cov.items.map((r) => r.regionId).sort()).toEqual([ids.k1, ids.k2].sort());
    // The community office: its own community only.
    expect((await list(community)).items.every((x) => x.regionId === ids.k1)).toBe(true);
    // Moving a household to a grid outside the subtree is refused as well.
    refused(
      await district.patch(`/api/star-households/${h.zhao.id}`, {
        version: h.zhao.version,
        gridId: ids.g3,
      }),
      403,
      'outside_jurisdiction',
    );
    const moved = ok(
      await district.patch(`/api/star-households/${h.zhao.id}`, {
        version: h.zhao.version,
        building: '和睦苑 2 栋',
        phone: '13700002222',
      }),
    ).json<TStarHousehold>();
    expect(moved).toMatchObject({ building: '和睦苑 2 栋', phone: '13700002222' });
  });

  it('a retired household is not rated, counted or shown on the board', async () => {
    const zhao = ok(await district.get(`/api/star-households/${h.zhao.id}`)).json<TStarHousehold>();
    refused(
      await worker.patch(`/api/star-households/${h.zhao.id}`, {
        version: zhao.version,
        active: false,
      }),
      404,
    );
    const retired = ok(
      await district.patch(`/api/star-households/${h.zhao.id}`, {
        version: zhao.version,
        active: false,
      }),
    ).json<TStarHousehold>();
    expect(retired.active).toBe(false);
    refused(await propose(district, h.zhao.id, { stars: ['thrift'] }), 409, 'household_inactive');
    const cov = ok(await city.get('/api/star-households/coverage')).json<TStarCoverage>();
    expect(cov.items.find((r) => r.regionId === ids.k2)).toBeUndefined();
    const [audit] = await execRows<{ after: { active: boolean } }>(
      t.database.db,
      sql`select "after" from audit_log where action = 'star_household.update'
          and entity_id = ${String(h.zhao.id)} order by id desc limit 1`,
    );
    expect(audit!.after.active).toBe(false);
  });
});
