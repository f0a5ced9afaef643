import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TSimulationCheckList,
  TSimulationTarget,
} from '../../../core/contracts/simulations.js';
import {
  buildSimulationWorld,
  SIMULATION_R2_MARKERS,
  type SimulationWorld,
} from '../../test/access/simulation-world.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';

// Issue #20: every level runs its own campaign office. An office or leader held at a district or
// street reads the 实景模拟验证 of its subtree's units — the targets whose unit is placed there,
// their checks, each standard's share and the checks' photos — and nothing of another district's.
// Defining targets stays the city office's (simulation.write), recording calls the city office's
// and the inspectors' (simulation.record is not held below the city). An inspector tied to a
// region reaches the same units as an office there; one placed nowhere calls any hotline.

let t: TestApp;
let w: SimulationWorld;
let city: Agent;
let district: Agent;
let leader: Agent;
let street: Agent;
let otherStreet: Agent;
let districtInspector: Agent;
let cityInspector: Agent;
let cityTiedInspector: Agent;
const ids = { unitA: 0, unitB: 0, placeless: 0 };
const MARKERS = ['乙区标记单位', ...SIMULATION_R2_MARKERS];

function ok<T>(res: Res, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
}

const targetsOf = async (a: Agent) =>
  ok<{ items: TSimulationTarget[] }>(
    await a.get(`/api/simulation-targets?frameworkId=${w.frameworkId}`),
  ).items;
const checksOf = async (a: Agent, query = '') =>
  ok<TSimulationCheckList>(
    await a.get(`/api/simulation-checks?frameworkId=${w.frameworkId}${query}`),
  );

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '示范市', level: 'city' });
  const r1 = await buildRegion(db, { name: '甲区', level: 'district', parent: c });
  const r2 = await buildRegion(db, { name: '乙区', level: 'district', parent: c });
  const s1 = await buildRegion(db, { name: '甲区一街道', level: 'street', parent: r1 });
  const s1b = await buildRegion(db, { name: '甲区二街道', level: 'street', parent: r1 });
  // Unit A sits in a street of R1: the district reaches it through its subtree.
  const a = await buildUnit(db, { name: '甲区一街道便民服务中心', regionId: s1.id });
  const b = await buildUnit(db, { name: '乙区标记单位', regionId: r2.id });
  Object.assign(ids, { unitA: a.id, unitB: b.id });
  const user = async (roles: ('office' | 'leader' | 'inspector')[], regionId?: number) => {
    const u = await buildUser(db, { roles, ...(regionId ? { regionId } : {}) });
    return t.login(u.username);
  };
  city = await user(['office']);
  district = await user(['office'], r1.id);
  leader = await user(['leader'], r1.id);
  street = await user(['office'], s1.id);
  otherStreet = await user(['office'], s1b.id);
  districtInspector = await user(['inspector'], r1.id);
  cityInspector = await user(['inspector']);
  cityTiedInspector = await user(['inspector'], c.id);
  const campaign = ok<{ id: number }>(
    await city.post('/api/campaigns', {
      name: '分级模拟验证周期',
      cycleStartYear: 2026,
      cycleYears: 1,
      cycleWeights: [100],
      methodWeights: { material: 40, field: 40, survey: 20 },
      surveyFloor: { enabled: false, minRate: 80, effect: 'veto', points: 0 },
    }),
    201,
  );
  w = await buildSimulationWorld(city, campaign.id, { a: a.id, b: b.id });
  // A city unit placed nowhere answers for a third hotline: no district reaches it.
  const placeless = await buildUnit(db, { name: '市级热线中心' });
  ids.placeless = ok<{ id: number }>(
    await city.post('/api/simulation-targets', {
      frameworkId: w.frameworkId,
      standardKey: w.standardKey,
      name: '市级热线',
      contact: '12345',
      unitId: placeless.id,
    }),
    201,
  ).id;
});
afterAll(() => t.close());

describe('an office or leader below the city reads its units’ 实景模拟验证', () => {
  it('holds simulation.read, not simulation.write nor simulation.record', async () => {
    for (const agent of [district, leader, street]) {
      const me = ok<{ user: { permissions: string[] } }>(await agent.get('/api/auth/me'));
      expect(me.user.permissions).toContain('simulation.read');
      expect(me.user.permissions).not.toContain('simulation.write');
      expect(me.user.permissions).not.toContain('simulation.record');
    }
  });

  it('lists only the targets whose unit is placed in its subtree', async () => {
    for (const agent of [district, leader, street]) {
      const targets = await targetsOf(agent);
      expect(targets.map((x) => x.id)).toEqual([w.r1.targetId]);
      expect(targets[0]!.unitId).toBe(ids.unitA);
    }
    // A sibling street reaches none of them; the city both.
    expect(await targetsOf(otherStreet)).toEqual([]);
    expect((await targetsOf(city)).map((x) => x.id).sort()).toEqual(
      [w.r1.targetId, w.r2.targetId, ids.placeless].sort(),
    );
  });

  it('reads its targets’ checks and the share over them only; another district’s target finds nothing', async () => {
    for (const agent of [district, leader]) {
      const list = await checksOf(agent);
      expect(list.items.map((x) => x.id)).toEqual([w.r1.checkId]);
      // The standard's share is the district's own: one call, passed.
      expect(list.standards).toHaveLength(1);
      expect(list.standards[0]).toMatchObject({ standardKey: w.standardKey, checks: 1 });
      for (const res of [
        await agent.get(`/api/simulation-checks?frameworkId=${w.frameworkId}`),
        await agent.get('/api/simulation-checks'),
        await agent.get('/api/simulation-targets'),
      ]) {
        expect(res.statusCode).toBe(200);
        expect(MARKERS.filter((m) => res.body.includes(m))).toEqual([]);
      }
      const asked = await checksOf(agent, `&targetId=${w.r2.targetId}`);
      expect(asked).toEqual({ items: [], standards: [] });
    }
    // The city's answer does carry R2's (so the search above can fail).
    const all = await checksOf(city);
    expect(all.items.map((x) => x.id).sort()).toEqual([w.r1.checkId, w.r2.checkId].sort());
    expect(all.standards[0]).toMatchObject({ checks: 2 });
    expect(JSON.stringify(all)).toContain('乙区标记拨打人');
  });

  it('downloads its checks’ photos; another district’s is a 404', async () => {
    for (const agent of [district, leader]) {
      expect((await agent.get(`/api/files/${w.r1.fileId}`)).statusCode).toBe(200);
      expect((await agent.get(`/api/files/${w.r2.fileId}`)).statusCode).toBe(404);
    }
    expect((await otherStreet.get(`/api/files/${w.r1.fileId}`)).statusCode).toBe(404);
    expect((await city.get(`/api/files/${w.r2.fileId}`)).statusCode).toBe(200);
  });

  it('defines no target and records no call (403), even on its own units’', async () => {
    for (const agent of [district, leader]) {
      const created = await agent.post('/api/simulation-targets', {
        frameworkId: w.frameworkId,
        standardKey: w.standardKey,
        name: '区里自设热线',
        contact: '0571-00000',
        unitId: ids.unitA,
      });
      expect(created.statusCode, created.body).toBe(403);
      expect(
        (
          await agent.patch(`/api/simulation-targets/${w.r1.targetId}`, {
            version: 1,
            name: '改名',
          })
        ).statusCode,
      ).toBe(403);
      const recorded = await agent.post('/api/simulation-checks', {
        clientId: randomUUID(),
        targetId: w.r1.targetId,
        calledAt: new Date().toISOString(),
        answered: false,
      });
      expect(recorded.statusCode, recorded.body).toBe(403);
      expect(
        (
          await agent.patch(`/api/simulation-checks/${w.r1.checkId}`, {
            version: 1,
            reason: '改记录',
            calledAt: new Date().toISOString(),
            answered: false,
          })
        ).statusCode,
      ).toBe(403);
    }
    expect((await targetsOf(city)).map((x) => x.name)).not.toContain('区里自设热线');
  });
});

describe('an inspector tied to a region reaches the same units', () => {
  it('reads and calls its district’s targets; another district’s answers as one that is not there', async () => {
    expect((await targetsOf(districtInspector)).map((x) => x.id)).toEqual([w.r1.targetId]);
    expect((await checksOf(districtInspector)).items.map((x) => x.id)).toEqual([w.r1.checkId]);
    expect((await districtInspector.get(`/api/files/${w.r2.fileId}`)).statusCode).toBe(404);
    const call = (targetId: number) => ({
      clientId: randomUUID(),
      targetId,
      calledAt: new Date(Date.now() - 30_000).toISOString(),
      answered: true,
      rings: 3,
      answer: 'yes',
    });
    ok(await districtInspector.post('/api/simulation-checks', call(w.r1.targetId)), 201);
    const outside = await districtInspector.post('/api/simulation-checks', call(w.r2.targetId));
    const missing = await districtInspector.post('/api/simulation-checks', call(999_999));
    expect(outside.statusCode, outside.body).toBe(400);
    expect(outside.json().error).toMatchObject({ code: missing.json().error.code });
    expect(outside.json().error.messageZh).toBe(
      missing.json().error.messageZh.replace('999999', String(w.r2.targetId)),
    );
    const corrected = await districtInspector.patch(`/api/simulation-checks/${w.r2.checkId}`, {
      version: 1,
      reason: '越界更正',
      calledAt: new Date(Date.now() - 30_000).toISOString(),
      answered: false,
    });
    expect(corrected.statusCode, corrected.body).toBe(404);
  });

  it('an inspector placed nowhere or at the city (the city’s callers) calls any hotline', async () => {
    for (const agent of [cityInspector, cityTiedInspector]) {
      expect((await targetsOf(agent)).map((x) => x.id).sort()).toEqual(
        [w.r1.targetId, w.r2.targetId, ids.placeless].sort(),
      );
      expect((await agent.get(`/api/files/${w.r2.fileId}`)).statusCode).toBe(200);
    }
  });
});
