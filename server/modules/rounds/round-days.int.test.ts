import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TMockEvaluation } from '../../../core/contracts/scoring.js';
import type {
  TMyRound,
  TRound,
  TRoundDay,
  TRoundReport,
} from '../../../core/contracts/inspections.js';
import { execRows } from '../../db/client.js';
import { seedPointTypes } from '../../db/seed/demo-points.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// 按城区分日抽签 (issue #19, 7b): "原则上每个城区安排一天", the draw "在实地考察开始前1小时进行"
// (seed 001). A round with a schedule draws each district's own points per the plan, day by day,
// each day with its own commitment, frozen list, seed and verification.

let t: TestApp;
let office: Agent;
let unit: Agent;
let inspector: Agent;
let inspectorId = 0;
const D = { east: 0, west: 0, south: 0, street: 0, empty: 0 };

const plan = [
  { type: 'P03', mode: 'all' },
  { type: 'P02', mode: 'random', count: 3 },
];

beforeAll(async () => {
  t = await createTestApp();
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
  const u = await buildUnit(t.database.db, { name: '城管局' });
  await buildUser(t.database.db, { username: 'unit1', roles: ['unit'], unitId: u.id });
  inspectorId = (await buildUser(t.database.db, { username: 'insp', roles: ['inspector'] })).id;
  office = await t.login('office1');
  unit = await t.login('unit1');
  inspector = await t.login('insp');
  await seedPointTypes(t.database);
  // 示范市 → three districts, each with a street and a community; points lie in communities (or,
  // like a district-wide market, on the district itself).
  const city = await buildRegion(t.database.db, { name: '示范市', level: 'city' });
  const area = async (name: string) => {
    const district = await buildRegion(t.database.db, { name, level: 'district', parent: city });
    const street = await buildRegion(t.database.db, {
      name: `${name}街道`,
      level: 'street',
      parent: district,
    });
    const community = await buildRegion(t.database.db, {
      name: `${name}社区`,
      level: 'community',
      parent: street,
    });
    return { district, street, community };
  };
  const east = await area('东湖区');
  const west = await area('西城区');
  const south = await area('南山区');
  D.east = east.district.id;
  D.west = west.district.id;
  D.south = south.district.id;
  D.street = east.street.id;
  // A district with no declared point yet.
  D.empty = (
    await buildRegion(t.database.db, { name: '北湖区', level: 'district', parent: city })
  ).id;
  // Declared district by district, then amended: ids interleave across districts.
  const add = async (name: string, code: string, regionId: number) =>
    t.database.db.execute(
      sql`insert into points (name, type_id, region_id)
          select ${name}, id, ${regionId} from point_types where code = ${code}`,
    );
  for (const [n, code, region] of [
    ['东湖农贸市场', 'P03', east.community.id],
    ['湖滨菜场', 'P03', east.district.id],
    ['西城农贸市场', 'P03', west.community.id],
    ['南山菜市场', 'P03', south.community.id],
  ] as const) {
    await add(n, code, region);
  }
  for (let i = 0; i < 5; i++) {
    await add(`东湖巷${i + 1}`, 'P02', east.community.id);
    await add(`西城巷${i + 1}`, 'P02', west.community.id);
    if (i < 2) await add(`南山巷${i + 1}`, 'P02', south.community.id);
  }
  // Outside every district: never in a day's list.
  const loose = await buildRegion(t.database.db, { name: '新区社区', level: 'community' });
  await add('新区巷', 'P02', loose.id);
});
afterAll(() => t.close());

const create = (name: string, schedule: unknown, extra: object = {}) =>
  office.post('/api/rounds', { name, kind: 'mock', plan, schedule, ...extra });
const day = (r: TRound, date: string) => r.days.find((d) => d.date === date)!;
const step = async (r: TRound, d: TRoundDay, s: string) => {
  const res = await office.post(`/api/rounds/${r.id}/days/${d.id}/${s}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TRound>();
};
/** Every item answered: passed, or 不适用 where a count would be needed. */
const answers = (checklist: { quantity: unknown }[]) =>
  checklist.map((c, index) => ({ index, result: c.quantity ? 'na' : 'pass', photoIds: [] }));

describe('rounds drawn by district and day', () => {
  it('plans a round with a schedule: days by date, the districts and dates from it', async () => {
    const res = await create('十二月分日模拟测评', [
      { date: '2026-12-09', regionIds: [D.west] },
      { date: '2026-12-08', regionIds: [D.east] },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json<TRound>();
    expect(r).toMatchObject({
      byDistrict: true,
      state: 'planned',
      startsOn: '2026-12-08',
      endsOn: '2026-12-09',
      regionIds: [D.east, D.west],
      commitment: null,
      drawnIds: null,
    });
    expect(r.days.map((d) => [d.date, d.districts.map((x) => x.name), d.state])).toEqual([
      ['2026-12-08', ['东湖区'], 'planned'],
      ['2026-12-09', ['西城区'], 'planned'],
    ]);
    // A round without a schedule is as before.
    const plain = (
      await office.post('/api/rounds', { name: '一次抽签', kind: 'mock', plan })
    ).json();
    expect(plain).toMatchObject({ byDistrict: false, days: [] });
  });

  it('is simulated by the mock evaluation with every district’s count: 3 back streets in each of two', async () => {
    const r = (
      await create('分日推演', [
        { date: '2026-12-15', regionIds: [D.east] },
        { date: '2026-12-16', regionIds: [D.west] },
      ])
    ).json<TRound>();
    const res = await office.post('/api/scoring/mock-evaluation', { roundId: r.id, runs: 100 });
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json<TMockEvaluation>();
    expect(m.plan.map((p) => [p.type, p.mode, p.count])).toEqual([
      ['P03', 'all', null],
      ['P02', 'random', 6],
    ]);
  });

  it('commits, draws, reveals and verifies one day while the next is still planned', async () => {
    const r0 = (
      await create(
        '分日抽签一',
        [
          { date: '2026-12-10', regionIds: [D.east] },
          { date: '2026-12-11', regionIds: [D.west] },
        ],
        { inspectorIds: [inspectorId] },
      )
    ).json<TRound>();
    const [d1, d2] = r0.days as [TRoundDay, TRoundDay];
    // The round itself is drawn by day only.
    const whole = await office.post(`/api/rounds/${r0.id}/commit`);
    expect(whole.statusCode).toBe(409);
    expect(whole.json().error.message).toContain('逐日');
    expect((await office.post(`/api/rounds/${r0.id}/days/${d1.id}/draw`)).statusCode).toBe(409);

    const committed = await step(r0, d1, 'commit');
    expect(committed.state).toBe('committed');
    const c1 = day(committed, '2026-12-10');
    expect(c1.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(c1.seed).toBeNull();
    // Day 1's frozen list: 东湖区's points only (2 markets, 5 back streets), keyed by district.
    expect(c1.frozenList).toHaveLength(7);
    expect(new Set(c1.frozenList!.map((p) => p.type))).toEqual(
      new Set([`${D.east}/P03`, `${D.east}/P02`]),
    );
    expect(c1.plan).toEqual([
      { type: `${D.east}/P03`, mode: 'all' },
      { type: `${D.east}/P02`, mode: 'random', count: 3 },
    ]);
    expect(day(committed, '2026-12-11')).toMatchObject({ state: 'planned', commitment: null });

    const drawn = await step(r0, d1, 'draw');
    expect(drawn.state).toBe('drawn');
    const x1 = day(drawn, '2026-12-10');
    expect(x1.state).toBe('drawn');
    expect(x1.drawnIds).toHaveLength(2 + 3);
    // Drawn points by name, type and district: all of 东湖区.
    expect(x1.drawnPoints!.map((p) => p.districtName)).toEqual(Array(5).fill('东湖区'));
    expect(
      x1
        .drawnPoints!.filter((p) => p.typeCode === 'P03')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['东湖农贸市场', '湖滨菜场']);
    expect(drawn.drawnIds).toEqual(x1.drawnIds);
    // Drawing a day twice is refused.
    const again = await office.post(`/api/rounds/${r0.id}/days/${d1.id}/draw`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('2026-12-10 的抽签当前为“已抽取”');

    // The inspector's phone: the round with its schedule, each point filed under its day.
    const mine = (await inspector.get('/api/inspections/mine')).json<{ items: TMyRound[] }>();
    const phone = mine.items.find((x) => x.id === r0.id)!;
    expect(phone.days.map((d) => [d.date, d.districtNames, d.state])).toEqual([
      ['2026-12-10', ['东湖区'], 'drawn'],
      ['2026-12-11', ['西城区'], 'planned'],
    ]);
    expect(phone.points.map((p) => p.dayId)).toEqual(Array(5).fill(d1.id));
    expect(phone.points.every((p) => p.districtName === '东湖区')).toBe(true);
    // A visit of a day-1 point goes in; a point of the planned day is not drawn.
    const p = phone.points[0]!;
    const visit = await inspector.post('/api/visits', {
      clientId: randomUUID(),
      roundId: r0.id,
      pointId: p.id,
      items: answers(p.checklist),
      visitedAt: '2026-12-10T02:30:00Z',
    });
    expect(visit.statusCode, visit.body).toBe(201);
    const [west] = await execRows<{ id: number }>(
      t.database.db,
      sql`select id from points where name = '西城巷1'`,
    );
    const early = await inspector.post('/api/visits', {
      clientId: randomUUID(),
      roundId: r0.id,
      pointId: west!.id,
      items: [{ index: 0, result: 'pass', photoIds: [] }],
      visitedAt: '2026-12-10T03:00:00Z',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.message).toContain('不在本轮抽中的点位中');

    // Revealed: anyone signed in re-runs day 1; day 2 still cannot be verified.
    const revealed = await step(r0, d1, 'reveal');
    const v1 = day(revealed, '2026-12-10');
    expect(createHash('sha256').update(v1.seed!).digest('hex')).toBe(c1.commitment);
    expect(revealed.state).toBe('drawn');
    const verdict = await unit.post(`/api/rounds/${r0.id}/days/${d1.id}/verify-draw`);
    expect(verdict.statusCode, verdict.body).toBe(200);
    expect(verdict.json()).toMatchObject({ ok: true, reasons: [], ids: x1.drawnIds });
    expect((await unit.post(`/api/rounds/${r0.id}/days/${d2.id}/verify-draw`)).statusCode).toBe(
      409,
    );
    expect((await unit.post(`/api/rounds/${r0.id}/verify-draw`)).statusCode).toBe(409);

    // Day 2 on its own: its own commitment and seed; the round's drawn points are both days'.
    await step(r0, d2, 'commit');
    const both = await step(r0, d2, 'draw');
    const x2 = day(both, '2026-12-11');
    expect(x2.drawnPoints!.map((p) => p.districtName)).toEqual(Array(4).fill('西城区'));
    expect(x2.commitment).not.toBe(c1.commitment);
    expect(both.drawnIds).toEqual([...x1.drawnIds!, ...x2.drawnIds!]);
    const done = await step(r0, d2, 'reveal');
    expect(done.state).toBe('revealed');
    expect(done.revealedAt).not.toBeNull();

    // The report: by day (in date order, every day listed) and by district.
    const report = (await office.get(`/api/rounds/${r0.id}/report`)).json<TRoundReport>();
    expect(report.drawn).toBe(9);
    expect(report.byDay.map((x) => [x.key, x.label, x.visits])).toEqual([
      [String(d1.id), '2026-12-10 东湖区', 1],
      [String(d2.id), '2026-12-11 西城区', 0],
    ]);
    expect(report.byDistrict.map((x) => [x.label, x.visits])).toEqual([['东湖区', 1]]);
    expect(report.byDay[0]!.passed).toBe(report.total.passed);
  });

  it('shows a tampered day list or result in the day’s verification', async () => {
    const r = (
      await create('分日篡改检测', [{ date: '2026-12-12', regionIds: [D.east, D.west] }])
    ).json<TRound>();
    const d = r.days[0]!;
    await step(r, d, 'commit');
    await step(r, d, 'draw');
    await step(r, d, 'reveal');
    // Someone with database access files a 东湖区 back street under 西城区…
    await t.database.db.execute(
      sql`update round_days set frozen_list = jsonb_set(frozen_list, '{2,type}',
            to_jsonb(${`${D.west}/P02`}::text)) where id = ${d.id}`,
    );
    const verdict = (await unit.post(`/api/rounds/${r.id}/days/${d.id}/verify-draw`)).json();
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons.join(' ')).toContain('点位清单在承诺后被改动');
  });

  it('refuses a district without enough points, naming district and type; an override fits it', async () => {
    const r = (
      await create('南山区不足', [
        { date: '2026-12-15', regionIds: [D.south] },
        { date: '2026-12-16', regionIds: [D.east] },
      ])
    ).json<TRound>();
    const south = day(r, '2026-12-15');
    const res = await office.post(`/api/rounds/${r.id}/days/${south.id}/commit`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain(
      '南山区的背街小巷（P02）：方案抽取 3 个，该城区仅有 2 个可抽点位',
    );
    expect(res.json().error.messageEn).toContain(
      '南山区, 背街小巷 (P02): the plan asks for 3 but the district has only 2 eligible',
    );
    const after = (await office.get(`/api/rounds/${r.id}`)).json<TRound>();
    expect(day(after, '2026-12-15')).toMatchObject({ state: 'planned', commitment: null });
    // The other day is unaffected.
    await step(r, day(r, '2026-12-16'), 'commit');
    // A district with nothing of the plan's types to inspect is refused too.
    const none = (
      await create('北湖区无点位', [{ date: '2026-12-17', regionIds: [D.empty] }])
    ).json<TRound>();
    const empty = await office.post(`/api/rounds/${none.id}/days/${none.days[0]!.id}/commit`);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('北湖区没有可抽取的点位');

    // 南山区 draws 2 back streets instead (an override, versioned).
    const patched = await office.patch(`/api/rounds/${r.id}/days/${south.id}`, {
      overrides: [{ regionId: D.south, type: 'P02', count: 2 }],
      version: south.version,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const stale = await office.patch(`/api/rounds/${r.id}/days/${south.id}`, {
      overrides: [],
      version: south.version,
    });
    expect(stale.statusCode).toBe(409);
    // A change of date alone keeps the override.
    const redated = await office.patch(`/api/rounds/${r.id}/days/${south.id}`, {
      date: '2026-12-14',
      version: south.version + 1,
    });
    expect(redated.statusCode, redated.body).toBe(200);
    expect(day(redated.json<TRound>(), '2026-12-14').overrides).toEqual([
      { regionId: D.south, type: 'P02', count: 2 },
    ]);
    const drawn = await step(r, south, 'commit').then(() => step(r, south, 'draw'));
    expect(
      day(drawn, '2026-12-14')
        .drawnPoints!.map((p) => p.typeCode)
        .sort(),
    ).toEqual(['P02', 'P02', 'P03']);
  });

  it('refuses schedules that cannot be: no district, not a district, a district twice', async () => {
    const noDistrict = await create('空日程', [{ date: '2026-12-20', regionIds: [] }]);
    expect(noDistrict.statusCode).toBe(400);
    expect(noDistrict.body).toContain('每天至少安排一个城区');
    const street = await create('街道不是城区', [{ date: '2026-12-20', regionIds: [D.street] }]);
    expect(street.statusCode).toBe(400);
    expect(street.json().error.message).toContain(
      '2026-12-20 安排的区域 东湖区街道 不是城区（区县）',
    );
    const twice = await create('一区两天', [
      { date: '2026-12-20', regionIds: [D.east] },
      { date: '2026-12-21', regionIds: [D.west, D.east] },
    ]);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.message).toContain('东湖区 同时安排在 2026-12-20 和 2026-12-21');
    const sameDate = await create('同一天两次', [
      { date: '2026-12-20', regionIds: [D.east] },
      { date: '2026-12-20', regionIds: [D.west] },
    ]);
    expect(sameDate.statusCode).toBe(400);
    const scoped = await create('范围另填', [{ date: '2026-12-20', regionIds: [D.east] }], {
      regionIds: [D.west],
    });
    expect(scoped.statusCode).toBe(400);
    expect(scoped.json().error.messageEn).toContain('from its schedule');
    const badOverride = await create('调整必查类型', [
      {
        date: '2026-12-20',
        regionIds: [D.east],
        overrides: [{ regionId: D.east, type: 'P03', count: 1 }],
      },
    ]);
    expect(badOverride.statusCode).toBe(400);
    expect(badOverride.json().error.message).toContain('方案未随机抽取该类型');
  });

  it('edits a planned day (districts, date), never a committed one, never onto another day', async () => {
    const r = (
      await create('改日程', [
        { date: '2026-12-22', regionIds: [D.east] },
        { date: '2026-12-23', regionIds: [D.west] },
      ])
    ).json<TRound>();
    const [a, b] = r.days as [TRoundDay, TRoundDay];
    const onto = await office.patch(`/api/rounds/${r.id}/days/${b.id}`, {
      regionIds: [D.west, D.east],
      version: b.version,
    });
    expect(onto.statusCode).toBe(400);
    const moved = await office.patch(`/api/rounds/${r.id}/days/${b.id}`, {
      date: '2026-12-28',
      regionIds: [D.west, D.south],
      version: b.version,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const m = moved.json<TRound>();
    expect(m).toMatchObject({ endsOn: '2026-12-28', regionIds: [D.east, D.west, D.south] });
    expect(day(m, '2026-12-28').districts.map((x) => x.name)).toEqual(['西城区', '南山区']);
    await step(r, a, 'commit');
    const frozen = await office.patch(`/api/rounds/${r.id}/days/${a.id}`, {
      date: '2026-12-24',
      version: a.version + 1,
    });
    expect(frozen.statusCode).toBe(409);
    expect((await unit.patch(`/api/rounds/${r.id}/days/${a.id}`, { version: 1 })).statusCode).toBe(
      403,
    );
    const audit = await execRows<{ action: string }>(
      t.database.db,
      sql`select action from audit_log where entity_type = 'round_day'
            and entity_id in (${String(a.id)}, ${String(b.id)}) order by id`,
    );
    expect(audit.map((x) => x.action)).toEqual(['round_day.update', 'round_day.commit']);
  });

  it('keeps a secret round’s day points from others; places added on the day go to its district', async () => {
    const r = (
      await create(
        '分日暗访',
        [
          { date: '2026-12-26', regionIds: [D.east] },
          { date: '2026-12-27', regionIds: [D.west] },
        ],
        { kind: 'secret', inspectorIds: [inspectorId] },
      )
    ).json<TRound>();
    const d = day(r, '2026-12-26');
    await step(r, d, 'commit');
    await step(r, d, 'draw');
    const seen = (await unit.get(`/api/rounds/${r.id}`)).json<TRound>();
    expect(day(seen, '2026-12-26')).toMatchObject({
      drawnIds: null,
      drawnPoints: null,
      frozenList: null,
    });
    expect(day(seen, '2026-12-26').commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(
      day((await inspector.get(`/api/rounds/${r.id}`)).json<TRound>(), '2026-12-26').drawnPoints,
    ).toHaveLength(5);

    // 随机查看 on the day, without a GPS fix: the place lies in the day's district.
    const mine = (await inspector.get('/api/inspections/mine')).json<{ items: TMyRound[] }>();
    const phone = mine.items.find((x) => x.id === r.id)!;
    const type = phone.addableTypes.find((x) => x.code === 'P02')!;
    const added = await inspector.post('/api/visits', {
      clientId: randomUUID(),
      roundId: r.id,
      addedPoint: { type: 'P02', name: '湖滨后街', address: '湖滨路北侧' },
      items: answers(type.checklist),
      // 10:30 in Shanghai on the 26th.
      visitedAt: '2026-12-26T02:30:00Z',
    });
    expect(added.statusCode, added.body).toBe(201);
    const after = (await inspector.get('/api/inspections/mine')).json<{ items: TMyRound[] }>();
    const place = after.items
      .find((x) => x.id === r.id)!
      .points.find((p) => p.name === '湖滨后街')!;
    expect(place).toMatchObject({ added: true, districtName: '东湖区', dayId: d.id });
  });
});
