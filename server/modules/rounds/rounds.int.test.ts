import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRound } from '../../../core/contracts/inspections.js';
import { seedPointTypes } from '../../db/seed/demo-points.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// Rounds and the verifiable draw: commit → draw → reveal → verify, and what gives tampering away.

let t: TestApp;
let office: Agent;
let unit: Agent;
let inspector: Agent;
let inspectorId = 0;

beforeAll(async () => {
  t = await createTestApp();
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
  const u = await buildUnit(t.database.db, { name: '城管局' });
  await buildUser(t.database.db, { username: 'unit1', roles: ['unit'], unitId: u.id });
  inspectorId = (
    await buildUser(t.database.db, { username: 'insp', roles: ['inspector'], unitId: u.id })
  ).id;
  office = await t.login('office1');
  unit = await t.login('unit1');
  inspector = await t.login('insp');
  await seedPointTypes(t.database);
  // The markets lie in a community of 东湖区; the back streets in one outside any district.
  const district = await buildRegion(t.database.db, { name: '东湖区', level: 'district' });
  const street = await buildRegion(t.database.db, {
    name: '湖滨街道',
    level: 'street',
    parent: district,
  });
  const inDistrict = await buildRegion(t.database.db, {
    name: '湖滨社区',
    level: 'community',
    parent: street,
  });
  const loose = await buildRegion(t.database.db, { name: '新区社区', level: 'community' });
  // 4 markets (P03, mandatory) and 12 back streets (P02, random)
  for (const [code, n, community] of [
    ['P03', 4, inDistrict],
    ['P02', 12, loose],
  ] as const) {
    for (let i = 0; i < n; i++) {
      await t.database.db.execute(
        sql`insert into points (name, type_id, region_id)
            select ${`${code}-${i}`}, id, ${community.id} from point_types where code = ${code}`,
      );
    }
  }
});
afterAll(() => t.close());

const plan = [
  { type: 'P03', mode: 'all' },
  { type: 'P02', mode: 'random', count: 5 },
];

describe('inspection rounds', () => {
  it('commits, draws, reveals and verifies; anyone can re-derive the result', async () => {
    const created = await office.post('/api/rounds', { name: '11月模拟测评', kind: 'mock', plan });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as number;
    expect((await office.post(`/api/rounds/${id}/draw`)).statusCode).toBe(409);

    const committed = (await office.post(`/api/rounds/${id}/commit`)).json();
    expect(committed).toMatchObject({ state: 'committed', seed: null, drawnIds: null });
    expect(committed.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(committed.frozenList).toHaveLength(16);

    const drawn = (await office.post(`/api/rounds/${id}/draw`)).json<TRound>();
    expect(drawn.state).toBe('drawn');
    expect(drawn.drawnIds).toHaveLength(4 + 5);
    expect(drawn.seed).toBeNull();
    // The drawn points by name, type and district, in draw order, with their ids.
    expect(drawn.drawnPoints!.map((p) => p.id)).toEqual(drawn.drawnIds);
    const shown = drawn.drawnPoints!.map((p) => [p.name.slice(0, 4), p.typeName, p.districtName]);
    expect(shown.slice(0, 4)).toEqual(Array(4).fill(['P03-', '农贸市场', '东湖区']));
    expect(shown.slice(4)).toEqual(Array(5).fill(['P02-', '背街小巷', null]));
    expect(drawn.drawnPoints![0]).toMatchObject({ typeCode: 'P03' });
    const listed = (await office.get('/api/rounds')).json<{ items: TRound[] }>().items;
    expect(listed.find((r) => r.id === id)!.drawnPoints).toEqual(drawn.drawnPoints);
    expect((await inspector.post(`/api/rounds/${id}/verify-draw`)).statusCode).toBe(409);

    const revealed = (await office.post(`/api/rounds/${id}/reveal`)).json();
    expect(createHash('sha256').update(revealed.seed).digest('hex')).toBe(committed.commitment);
    const verdict = (await inspector.post(`/api/rounds/${id}/verify-draw`)).json();
    expect(verdict).toMatchObject({ ok: true, reasons: [] });
    expect(verdict.ids).toEqual(drawn.drawnIds);
    expect((await office.post(`/api/rounds/${id}/reveal`)).statusCode).toBe(409);
  });

  it('detects a point list or a result changed after the commitment', async () => {
    const id = (
      await office.post('/api/rounds', { name: '篡改检测', kind: 'supervision', plan })
    ).json().id as number;
    await office.post(`/api/rounds/${id}/commit`);
    await office.post(`/api/rounds/${id}/draw`);
    await office.post(`/api/rounds/${id}/reveal`);
    // Someone with database access drops an awkward point from the frozen list…
    await t.database.db.execute(
      sql`update rounds set frozen_list = frozen_list - 0 where id = ${id}`,
    );
    const verdict = (await inspector.post(`/api/rounds/${id}/verify-draw`)).json();
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons.join(' ')).toContain('点位清单在承诺后被改动');
    // …or, on another round, reorders the published result.
    const id2 = (
      await office.post('/api/rounds', { name: '篡改检测二', kind: 'supervision', plan })
    ).json().id as number;
    await office.post(`/api/rounds/${id2}/commit`);
    await office.post(`/api/rounds/${id2}/draw`);
    await office.post(`/api/rounds/${id2}/reveal`);
    await t.database.db.execute(
      sql`update rounds set drawn_ids = (select array_agg(x order by ord desc)
            from unnest(drawn_ids) with ordinality as u(x, ord)) where id = ${id2}`,
    );
    const again = (await inspector.post(`/api/rounds/${id2}/verify-draw`)).json();
    expect(again.reasons).toHaveLength(1);
    expect(again.reasons.join(' ')).toContain('重新抽取的结果与公布结果不一致');
  });

  it('shows the drawn points of a secret round only to its inspectors and the office', async () => {
    const id = (
      await office.post('/api/rounds', {
        name: '暗访一',
        kind: 'secret',
        plan,
        inspectorIds: [inspectorId],
      })
    ).json().id as number;
    await office.post(`/api/rounds/${id}/commit`);
    await office.post(`/api/rounds/${id}/draw`);
    expect((await inspector.get(`/api/rounds/${id}`)).json().drawnIds).toHaveLength(9);
    expect((await office.get(`/api/rounds/${id}`)).json().drawnIds).toHaveLength(9);
    expect((await inspector.get(`/api/rounds/${id}`)).json().drawnPoints).toHaveLength(9);
    const seen = (await unit.get(`/api/rounds/${id}`)).json();
    expect(seen.drawnIds).toBeNull();
    expect(seen.drawnPoints).toBeNull();
    const listed = (await unit.get('/api/rounds')).json<{ items: TRound[] }>().items;
    expect(listed.find((r) => r.id === id)!.drawnPoints).toBeNull();
    expect(seen.frozenList).toBeNull();
    expect(seen.commitment).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses plans it cannot carry out, and non-office users', async () => {
    expect(
      (await unit.post('/api/rounds', { name: '单位自建', kind: 'mock', plan })).statusCode,
    ).toBe(403);
    const unknown = await office.post('/api/rounds', {
      name: '未知类型',
      kind: 'mock',
      plan: [{ type: 'P99', mode: 'all' }],
    });
    expect(unknown.statusCode).toBe(400);
    const tooMany = (
      await office.post('/api/rounds', {
        name: '抽太多',
        kind: 'mock',
        plan: [{ type: 'P02', mode: 'random', count: 13 }],
      })
    ).json().id as number;
    const res = await office.post(`/api/rounds/${tooMany}/commit`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.messageEn).toContain('only 12');
    expect((await office.get(`/api/rounds/${tooMany}`)).json().state).toBe('planned');
  });

  it('registers and edits points (office only, versioned, audited), and the next commit sees them', async () => {
    const created = await office.post('/api/points', {
      name: '解放路农贸市场',
      type: 'P03',
      lat: 30.27,
      lng: 120.16,
      address: '解放路 12 号',
    });
    expect(created.statusCode, created.body).toBe(201);
    const p = created.json();
    expect((await unit.post('/api/points', { name: '单位新增', type: 'P03' })).statusCode).toBe(
      403,
    );
    expect((await office.post('/api/points', { name: '坏类型', type: 'P99' })).statusCode).toBe(
      400,
    );
    const edited = await office.patch(`/api/points/${p.id}`, { active: false, version: 1 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ active: false, version: 2 });
    expect(
      (await office.patch(`/api/points/${p.id}`, { active: true, version: 1 })).statusCode,
    ).toBe(409);
    // An inactive point is not eligible for a draw.
    const id = (
      await office.post('/api/rounds', { name: '停用点位不入选', kind: 'mock', plan })
    ).json().id as number;
    const committed = (await office.post(`/api/rounds/${id}/commit`)).json();
    expect(committed.frozenList.map((x: { id: number }) => x.id)).not.toContain(p.id);
    await office.patch(`/api/points/${p.id}`, { active: true, version: 2 });
    const id2 = (
      await office.post('/api/rounds', { name: '启用后入选', kind: 'mock', plan })
    ).json().id as number;
    const again = (await office.post(`/api/rounds/${id2}/commit`)).json();
    expect(again.frozenList.map((x: { id: number }) => x.id)).toContain(p.id);
  });

  it('answers a caller without ProblemRead 403 for any round, existing or not', async () => {
    const id = (
      await office.post('/api/rounds', { name: '权限先于查找', kind: 'mock', plan })
    ).json().id as number;
    await buildUser(t.database.db, { username: 'surveyor1', roles: ['surveyor'] });
    const surveyor = await t.login('surveyor1');
    for (const rid of [id, 999_999]) {
      const res = await surveyor.get(`/api/rounds/${rid}`);
      expect(res.statusCode, res.body).toBe(403);
    }
    expect((await office.get('/api/rounds/999999')).statusCode).toBe(404);
  });
});
