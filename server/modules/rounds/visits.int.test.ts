import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '../../db/client.js';
import { seedPointTypes } from '../../db/seed/demo-points.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';

// Field inspections: idempotent submission, immutability and corrections, scoping, findings →
// problems, and the round report's roll-ups with answers worked out by hand.

let t: TestApp;
let office: Agent;
let unitAgent: Agent;
let inspector: Agent;
let outsider: Agent;
let roundId = 0;
let marketA = 0; // unit 城管局, at (30.27, 120.15)
let marketB = 0; // unit 市场监管局
let marketC = 0; // no unit

// P03 农贸市场 has 7 items; 2 (垃圾) and 6 (活禽) are serious.
const answers = (results: string) =>
  [...results].map((c, index) => ({
    index,
    result: c === 'p' ? 'pass' : c === 'f' ? 'fail' : 'na',
  }));

beforeAll(async () => {
  t = await createTestApp();
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
  const cg = await buildUnit(t.database.db, { name: '城管局' });
  const sj = await buildUnit(t.database.db, { name: '市场监管局' });
  await buildUser(t.database.db, { username: 'unit1', roles: ['unit'], unitId: cg.id });
  const inspId = (await buildUser(t.database.db, { username: 'insp', roles: ['inspector'] })).id;
  await buildUser(t.database.db, { username: 'insp2', roles: ['inspector'] });
  office = await t.login('office1');
  unitAgent = await t.login('unit1');
  inspector = await t.login('insp');
  outsider = await t.login('insp2');
  await seedPointTypes(t.database);
  const community = await buildRegion(t.database.db, { name: '湖滨社区', level: 'community' });
  const mk = async (name: string, unitId: number | null, lat: number, lng: number) =>
    (
      await execRows<{ id: number }>(
        t.database.db,
        sql`insert into points (name, type_id, region_id, unit_id, lat, lng)
            select ${name}, id, ${community.id}, ${unitId}, ${lat}, ${lng}
            from point_types where code = 'P03' returning id`,
      )
    )[0]!.id;
  marketA = await mk('湖滨农贸市场', cg.id, 30.27, 120.15);
  marketB = await mk('东坡农贸市场', sj.id, 30.28, 120.16);
  marketC = await mk('西湖农贸市场', null, 30.29, 120.17);
  const created = await office.post('/api/rounds', {
    name: '12月模拟测评',
    kind: 'mock',
    plan: [{ type: 'P03', mode: 'all' }],
    inspectorIds: [inspId],
  });
  roundId = created.json().id as number;
  await office.post(`/api/rounds/${roundId}/commit`);
  expect((await office.post(`/api/rounds/${roundId}/draw`)).json().drawnIds).toHaveLength(3);
});
afterAll(() => t.close());

const count = async (q: ReturnType<typeof sql>) =>
  (await execRows<{ n: number }>(t.database.db, q))[0]!.n;

describe('field inspections', () => {
  let visitA = 0;
  let problemA = 0;
  let photo = '';

  it('an inspector sees only the rounds they are assigned to, with checklists', async () => {
    const mine = (await inspector.get('/api/inspections/mine')).json();
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0].points.map((p: { id: number }) => p.id).sort()).toEqual(
      [marketA, marketB, marketC].sort(),
    );
    expect(mine.items[0].points[0].checklist).toHaveLength(7);
    expect((await outsider.get('/api/inspections/mine')).json().items).toEqual([]);
    const refused = await outsider.post('/api/visits', {
      clientId: randomUUID(),
      roundId,
      pointId: marketA,
      items: answers('ppppppp'),
      visitedAt: new Date().toISOString(),
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.messageZh).toContain('测评员');
  });

  it('a retried submission (same client id) is the same visit; failed items make one problem', async () => {
    photo = (await inspector.upload('/api/files', await testJpeg(), 'a.jpg')).json().id as string;
    const body = {
      clientId: randomUUID(),
      roundId,
      pointId: marketA,
      // items 1 and 2 fail (2 is serious), 5 not applicable
      items: answers('pffppnp').map((a) =>
        a.index === 2 ? { ...a, note: '垃圾未清运', photoIds: [photo] } : a,
      ),
      ratings: { environment: 2, civility: 4, facilities: 3, atmosphere: 4 },
      lat: 30.2701,
      lng: 120.15,
      visitedAt: '2026-12-01T02:00:00.000Z',
    };
    const first = await inspector.post('/api/visits', body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await inspector.post('/api/visits', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const v = first.json();
    visitA = v.id;
    expect(v).toMatchObject({
      passed: 4,
      failed: 2,
      notApplicable: 1,
      seriousFailed: 1,
      result: 'serious',
      far: false,
      version: 1,
      latest: true,
    });
    expect(v.score).toBeCloseTo(4 / 6);
    expect(v.distanceM).toBeGreaterThan(5);
    expect(v.distanceM).toBeLessThan(20);
    expect(await count(sql`select count(*)::int as n from inspection_visits`)).toBe(1);

    // One problem for the two failed items, registered and dispatched to the point's unit.
    expect(v.problemId).not.toBeNull();
    problemA = v.problemId as number;
    const rows = await execRows<{
      channel: string;
      point_id: number;
      state: string;
      severity: string;
      unit_name: string;
      photos: number;
      description: string;
    }>(
      t.database.db,
      sql`select p.channel, p.point_id, p.state, p.severity, u.name as unit_name, p.description,
            (select count(*)::int from problem_photos ph where ph.problem_id = p.id) as photos
          from problems p join units u on u.id = p.unit_id where p.id = ${problemA}`,
    );
    expect(rows[0]).toMatchObject({
      channel: 'inspection',
      point_id: marketA,
      state: 'dispatched',
      severity: 'urgent',
      unit_name: '城管局',
      photos: 1,
    });
    expect(rows[0]!.description).toContain('设公平秤和投诉点');
    expect(rows[0]!.description).toContain('垃圾未清运');
    expect(await count(sql`select count(*)::int as n from problems`)).toBe(1);
    // The unit sees the new problem in its list.
    const list = (await unitAgent.get('/api/problems?limit=10')).json();
    expect(list.items.map((p: { id: number }) => p.id)).toContain(problemA);
  });

  it('refuses a second first visit of the same point, an incomplete checklist, a far GPS is flagged', async () => {
    const dup = await inspector.post('/api/visits', {
      clientId: randomUUID(),
      roundId,
      pointId: marketA,
      items: answers('ppppppp'),
      visitedAt: new Date().toISOString(),
    });
    expect(dup.statusCode).toBe(409);
    const partial = await inspector.post('/api/visits', {
      clientId: randomUUID(),
      roundId,
      pointId: marketB,
      items: answers('pppppp'),
      visitedAt: new Date().toISOString(),
    });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().error.messageZh).toContain('检查项 7');
    const far = await inspector.post('/api/visits', {
      clientId: randomUUID(),
      roundId,
      pointId: marketB,
      items: answers('ppppppp'),
      lat: 30.3,
      lng: 120.16,
      visitedAt: new Date().toISOString(),
    });
    expect(far.statusCode).toBe(201);
    expect(far.json()).toMatchObject({ far: true, result: 'pass', score: 1, problemId: null });
    // all passed: no problem
    expect(await count(sql`select count(*)::int as n from problems`)).toBe(1);
  });

  it('a submitted visit is immutable; a correction is a new version and the latest counts', async () => {
    expect((await inspector.patch(`/api/visits/${visitA}`, { items: [] })).statusCode).toBe(404);
    const body = {
      clientId: randomUUID(),
      reason: '公平秤复核后确认合格',
      // item 2 (serious) still fails: the correction keeps its photo (a severe failure needs one)
      items: answers('ppfppnp').map((a) => (a.index === 2 ? { ...a, photoIds: [photo] } : a)),
    };
    const corr = await inspector.post(`/api/visits/${visitA}/corrections`, body);
    expect(corr.statusCode, corr.body).toBe(201);
    expect((await inspector.post(`/api/visits/${visitA}/corrections`, body)).json().id).toBe(
      corr.json().id,
    );
    expect(corr.json()).toMatchObject({
      version: 2,
      previousId: visitA,
      rootId: visitA,
      passed: 5,
      failed: 1,
      problemId: problemA,
      reason: '公平秤复核后确认合格',
    });
    // The earlier version cannot be corrected any more, and is unchanged.
    const stale = await inspector.post(`/api/visits/${visitA}/corrections`, {
      ...body,
      clientId: randomUUID(),
    });
    expect(stale.statusCode).toBe(409);
    const detail = (await office.get(`/api/visits/${visitA}`)).json();
    expect(detail.visit).toMatchObject({ version: 1, latest: false, failed: 2 });
    expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    // Lists show the latest only, unless the history is asked for.
    const latest = (await office.get(`/api/visits?roundId=${roundId}`)).json().items;
    expect(latest.filter((v: { pointId: number }) => v.pointId === marketA)).toHaveLength(1);
    expect(
      (await office.get(`/api/visits?roundId=${roundId}&history=true`)).json().items,
    ).toHaveLength(3);
    // No second problem from the correction.
    expect(await count(sql`select count(*)::int as n from problems`)).toBe(1);
    // Someone else's correction is refused.
    const other = await outsider.post(`/api/visits/${corr.json().id}/corrections`, {
      ...body,
      clientId: randomUUID(),
    });
    expect(other.statusCode).toBe(403);
    const audit = await count(
      sql`select count(*)::int as n from audit_log where action in ('visit.submit', 'visit.correct')`,
    );
    expect(audit).toBe(3);
  });

  it('scopes visits: the unit sees its points, an unassigned inspector sees none', async () => {
    const unitSees = (await unitAgent.get(`/api/visits?roundId=${roundId}`)).json().items;
    expect(unitSees.map((v: { pointId: number }) => v.pointId)).toEqual([marketA]);
    expect((await outsider.get(`/api/visits?roundId=${roundId}`)).json().items).toEqual([]);
    expect((await outsider.get(`/api/visits/${visitA}`)).statusCode).toBe(404);
    expect((await inspector.get(`/api/visits?roundId=${roundId}`)).json().items).toHaveLength(2);
  });

  it('rolls up the round: by type, unit, point and item, with known answers', async () => {
    // C: 3 pass, 3 fail (none serious: items 0, 1, 3), 1 n/a
    const c = await inspector.post('/api/visits', {
      clientId: randomUUID(),
      roundId,
      pointId: marketC,
      items: answers('ffpfppn'),
      visitedAt: new Date().toISOString(),
    });
    expect(c.json()).toMatchObject({ result: 'fail', passed: 3, failed: 3 });
    // C has no responsible unit: its problem stays registered with the office.
    const [pc] = await execRows<{ state: string; unit_id: number | null }>(
      t.database.db,
      sql`select state, unit_id from problems where id = ${c.json().problemId}`,
    );
    expect(pc).toEqual({ state: 'registered', unit_id: null });

    const r = (await office.get(`/api/rounds/${roundId}/report`)).json();
    // latest versions: A 5/6, B 7/7, C 3/6 → items 15/19; mean (5/6 + 1 + 1/2) / 3
    expect(r).toMatchObject({ drawn: 3, visited: 3 });
    expect(r.total).toMatchObject({ visits: 3, passed: 15, failed: 4, seriousVisits: 1 });
    expect(r.total.passRate).toBeCloseTo(15 / 19);
    expect(r.total.meanScore).toBeCloseTo((5 / 6 + 1 + 0.5) / 3);
    expect(r.total.qualifiedRate).toBeCloseTo(1 / 3);
    expect(r.byType).toHaveLength(1);
    expect(r.byType[0]).toMatchObject({ key: 'P03', passed: 15, failed: 4 });
    const unit = Object.fromEntries(
      r.byUnit.map((x: { label: string; passRate: number }) => [x.label, x.passRate]),
    );
    expect(unit['城管局']).toBeCloseTo(5 / 6);
    expect(unit['市场监管局']).toBe(1);
    expect(unit['（无包保单位）']).toBeCloseTo(0.5);
    // worst unit first
    expect(r.byUnit[0].label).toBe('（无包保单位）');
    expect(r.byPoint).toHaveLength(3);
    const item2 = r.byItem.find((x: { key: string }) => x.key === 'P03-2');
    expect(item2).toMatchObject({ passed: 2, failed: 1, seriousVisits: 1 });
    expect(r.byItem[0].failed).toBe(1);
    expect(r.byItem).toHaveLength(7);

    const x = await office.get(`/api/rounds/${roundId}/report.xlsx`);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(6).value).toBe('得分率(%)');
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([
      '合计',
      '合计',
      3,
      15,
      4,
      78.9,
      77.8,
      33.3,
      1,
    ]);
    expect((await unitAgent.get(`/api/rounds/${roundId}/report`)).statusCode).toBe(403);
    // Leaders read the campaign's results (they got 403 before), the report and its workbook.
    await buildUser(t.database.db, { username: 'leader1', roles: ['leader'] });
    const leader = await t.login('leader1');
    const byLeader = await leader.get(`/api/rounds/${roundId}/report`);
    expect(byLeader.statusCode, byLeader.body).toBe(200);
    expect(byLeader.json()).toEqual(r);
    expect((await leader.get(`/api/rounds/${roundId}/report.xlsx`)).statusCode).toBe(200);
    expect((await leader.get('/api/points/overview')).statusCode).toBe(200);
    expect((await unitAgent.get('/api/points/overview')).statusCode).toBe(403);
  });

  it('lists points with their latest result and exports the 申报表', async () => {
    const all = (await office.get('/api/points/overview')).json().items;
    const byId = Object.fromEntries(all.map((p: { id: number }) => [p.id, p]));
    expect(byId[marketA]).toMatchObject({ lastResult: 'serious', unitName: '城管局' });
    expect(byId[marketB]).toMatchObject({ lastResult: 'pass', lastScore: 1 });
    const failing = (await office.get('/api/points/overview?result=fail')).json().items;
    expect(failing.map((p: { id: number }) => p.id)).toEqual([marketC]);
    const x = await office.get('/api/points/declaration.xlsx?type=P03');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('实地考察地点申报表');
    expect(ws.rowCount).toBe(4);
    expect(ws.getRow(2).getCell(2).value).toBe('湖滨农贸市场');
    expect(ws.getRow(2).getCell(8).value).toBe('城管局');
  });
});

describe('the 申报表 import', () => {
  const book = async (rows: (string | number | null)[][]) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('实地考察地点申报表');
    ws.addRow([
      '序号',
      '点位名称',
      '点位类型',
      '所属区域',
      '详细地址',
      '经度',
      '纬度',
      '包保单位',
      '负责人',
      '联系电话',
      '状态',
    ]);
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  };

  it('updates known points (name + type), creates new ones, refuses a bad file whole', async () => {
    const bad = await office.upload(
      '/api/points/declaration/import',
      await book([
        [1, '湖滨农贸市场', '农贸市场', '湖滨社区', '', '', '', '城管局', '', '', '在用'],
        [2, '新点位', '不存在的类型', '', '', '', '', '', '', '', ''],
        [3, '另一个点位', 'P03', '', '', 120.1, '', '没有这个单位', '', '', ''],
      ]),
      'decl.xlsx',
    );
    expect(bad.statusCode).toBe(422);
    const reasons = bad
      .json()
      .error.rows.map((r: { row: number; column: string }) => `${r.row}:${r.column}`);
    expect(reasons).toEqual(expect.arrayContaining(['3:点位类型', '4:包保单位', '4:纬度']));
    expect(await count(sql`select count(*)::int as n from points`)).toBe(3);

    const ok = await office.upload(
      '/api/points/declaration/import',
      await book([
        [
          1,
          '湖滨农贸市场',
          '农贸市场',
          '湖滨社区',
          '湖滨路1号',
          120.15,
          30.27,
          '城管局',
          '张主任',
          '0571-1234',
          '在用',
        ],
        [2, '南山农贸市场', 'P03', '湖滨社区', '', 120.2, 30.25, '市场监管局', '', '', '停用'],
      ]),
      'decl.xlsx',
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ imported: 2, created: 1, updated: 1 });
    const [a] = await execRows<{ leader: string; version: number; address: string }>(
      t.database.db,
      sql`select leader, version, address from points where id = ${marketA}`,
    );
    expect(a).toEqual({ leader: '张主任', version: 2, address: '湖滨路1号' });
    const [fresh] = await execRows<{ active: boolean }>(
      t.database.db,
      sql`select active from points where name = '南山农贸市场'`,
    );
    expect(fresh!.active).toBe(false);
    expect(unitAgent).toBeDefined();
    expect(
      (await unitAgent.upload('/api/points/declaration/import', await book([]), 'x.xlsx'))
        .statusCode,
    ).toBe(403);
  });
});
