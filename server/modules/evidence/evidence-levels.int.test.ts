import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDossier, TEvidenceRow, TEvidenceSummary } from '../../../core/contracts/evidence.js';
import {
  buildDossierWorld,
  DOSSIER_R2_MARKERS,
  uploadEvidence,
  type DossierWorld,
} from '../../test/access/dossier-world.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';

// Issue #20: every level runs its own campaign office. An office or leader held at a district or
// street reads the 任务分解 of its subtree's units — their assignments, progress reports,
// indicators, pledges, due materials, 档案资料 and files — and nothing of another district's;
// the assignments' writes, the dossiers' review and 集体责任方 stay the city's.

let t: TestApp;
let w: DossierWorld;
let city: Agent;
let district: Agent;
let leader: Agent;
let street: Agent;
let otherStreet: Agent;
const ids = { unitA: 0, unitB: 0 };
const MARKERS = ['乙区标记单位', ...DOSSIER_R2_MARKERS];

function ok<T>(res: Res, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
}

/** The markers of R2's records found in an answer (JSON text, or an XLSX's cells). */
async function leaksIn(res: Res): Promise<string[]> {
  let text = res.body;
  if (String(res.headers['content-type'] ?? '').includes('spreadsheet')) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => cells.push(String(c.text ?? '')))));
    text = cells.join('\n');
  }
  return MARKERS.filter((m) => text.includes(m));
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const c = await buildRegion(db, { name: '示范市', level: 'city' });
  const r1 = await buildRegion(db, { name: '甲区', level: 'district', parent: c });
  const r2 = await buildRegion(db, { name: '乙区', level: 'district', parent: c });
  const s1 = await buildRegion(db, { name: '甲区一街道', level: 'street', parent: r1 });
  const s1b = await buildRegion(db, { name: '甲区二街道', level: 'street', parent: r1 });
  // Unit A sits in a street of R1: the district reaches it through its subtree.
  const a = await buildUnit(db, { name: '甲区一街道城管中队', regionId: s1.id });
  const b = await buildUnit(db, { name: '乙区标记单位', regionId: r2.id });
  Object.assign(ids, { unitA: a.id, unitB: b.id });
  const user = async (roles: ('office' | 'leader')[], regionId?: number) => {
    const u = await buildUser(db, { roles, ...(regionId ? { regionId } : {}) });
    return t.login(u.username);
  };
  city = await user(['office']);
  district = await user(['office'], r1.id);
  leader = await user(['leader'], r1.id);
  street = await user(['office'], s1.id);
  otherStreet = await user(['office'], s1b.id);
  w = await buildDossierWorld(t, city, { a: a.id, b: b.id });
});
afterAll(() => t.close());

describe('an office or leader below the city reads its units’ 任务分解 and 档案资料', () => {
  it('holds assignment.read, not assignment.write nor the review', async () => {
    for (const agent of [district, leader]) {
      const me = ok<{ user: { permissions: string[] } }>(await agent.get('/api/auth/me'));
      expect(me.user.permissions).toContain('assignment.read');
      expect(me.user.permissions).not.toContain('assignment.write');
      expect(me.user.permissions).not.toContain('framework.write');
    }
  });

  it('lists and exports only the assignments its subtree’s units lead or share', async () => {
    for (const agent of [district, leader, street]) {
      const list = ok<{ items: { id: number; leadUnit: { id: number } }[] }>(
        await agent.get(`/api/framework-versions/${w.versionId}/assignments`),
      );
      expect(list.items.map((x) => x.id)).toEqual([w.r1.assignmentId]);
      // Asking for another district's unit by filter finds nothing.
      const filtered = ok<{ items: unknown[] }>(
        await agent.get(`/api/framework-versions/${w.versionId}/assignments?unitId=${ids.unitB}`),
      );
      expect(filtered.items).toEqual([]);
      const xlsx = await agent.get(`/api/framework-versions/${w.versionId}/export.xlsx`);
      expect(xlsx.statusCode).toBe(200);
      expect(await leaksIn(xlsx)).toEqual([]);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as never);
      const cells: string[] = [];
      wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => cells.push(String(c.text)))));
      expect(cells).toContain('甲区一街道城管中队');
    }
    // A sibling street reaches none of them; the city all of them.
    const none = ok<{ items: unknown[] }>(
      await otherStreet.get(`/api/framework-versions/${w.versionId}/assignments`),
    );
    expect(none.items).toEqual([]);
    const all = ok<{ items: { id: number }[] }>(
      await city.get(`/api/framework-versions/${w.versionId}/assignments`),
    );
    expect(all.items.map((x) => x.id).sort()).toEqual(
      [w.r1.assignmentId, w.r2.assignmentId].sort(),
    );
  });

  it('reads its units’ progress reports, not another district’s', async () => {
    for (const agent of [district, leader]) {
      const reports = ok<{ items: { text: string }[] } | { text: string }[]>(
        await agent.get(`/api/assignments/${w.r1.assignmentId}/reports`),
      );
      expect(JSON.stringify(reports)).toContain('甲区进度正常');
      expect((await agent.get(`/api/assignments/${w.r2.assignmentId}/reports`)).statusCode).toBe(
        404,
      );
      const state = ok<{ items: { unitId: number }[] }>(
        await agent.get('/api/assignment-reporting'),
      );
      expect(state.items.length).toBeGreaterThan(0);
      expect(state.items.every((s) => s.unitId === ids.unitA)).toBe(true);
    }
    const cityState = ok<{ items: { unitId: number }[] }>(
      await city.get('/api/assignment-reporting'),
    );
    expect(cityState.items.map((s) => s.unitId)).toEqual(
      expect.arrayContaining([ids.unitA, ids.unitB]),
    );
  });

  it('reads its units’ indicators; another district’s is a 404', async () => {
    for (const agent of [district, leader]) {
      const list = ok<{ items: { id: number }[] }>(await agent.get('/api/indicators'));
      expect(list.items.map((i) => i.id)).toEqual([w.r1.indicatorId]);
      ok(await agent.get(`/api/indicators/${w.r1.indicatorId}`));
      expect((await agent.get(`/api/indicators/${w.r2.indicatorId}`)).statusCode).toBe(404);
      expect((await agent.get(`/api/indicators/${w.r2.indicatorId}/values`)).statusCode).toBe(404);
    }
  });

  it('reads its units’ dossiers and their files; another district’s are a 404', async () => {
    const q = `frameworkId=${w.frameworkId}&year=${w.year}`;
    for (const agent of [district, leader]) {
      const rows = ok<TEvidenceRow[]>(await agent.get(`/api/evidence?${q}`));
      expect(rows.map((r) => r.standardKey)).toEqual([w.r1.standardKey]);
      const summary = ok<TEvidenceSummary>(await agent.get(`/api/evidence/summary?${q}`));
      expect(summary.total.standards).toBe(1);
      expect(summary.units.map((u) => u.unitId)).toEqual([ids.unitA]);
      const d = ok<TDossier>(
        await agent.get(`/api/evidence/${w.frameworkId}/${w.year}/${w.r1.standardKey}`),
      );
      expect(d.files.map((f) => f.title)).toEqual(['甲区档案文件']);
      // Reading is all: no upload, submission, review or poster for an office below the city.
      expect(d.can).toEqual({ upload: false, submit: false, review: false, poster: false });
      const other = await agent.get(`/api/evidence/${w.frameworkId}/${w.year}/${w.r2.standardKey}`);
      expect(other.statusCode).toBe(404);
      // The files: its units' dossier and report files, never another district's (a leader
      // below the city is not the city's leader).
      expect((await agent.get(`/api/files/${w.r1.evidenceFileId}`)).statusCode).toBe(200);
      expect((await agent.get(`/api/files/${w.r1.reportFileId}`)).statusCode).toBe(200);
      expect((await agent.get(`/api/files/${w.r2.evidenceFileId}`)).statusCode).toBe(404);
      expect((await agent.get(`/api/files/${w.r2.reportFileId}`)).statusCode).toBe(404);
    }
    // A sibling street: no dossier, no file.
    expect(ok<TEvidenceRow[]>(await otherStreet.get(`/api/evidence?${q}`))).toEqual([]);
    expect((await otherStreet.get(`/api/files/${w.r1.evidenceFileId}`)).statusCode).toBe(404);
    // The city's leader still reads every dossier's files.
    const cityLeader = await t.login(
      (await buildUser(t.database.db, { roles: ['leader'] })).username,
    );
    expect((await cityLeader.get(`/api/files/${w.r2.evidenceFileId}`)).statusCode).toBe(200);
  });

  it('reads its units’ pledges and due materials, and its part of the working groups', async () => {
    for (const agent of [district, leader]) {
      const pledge = ok<{ unitId: number; assignments: unknown[] }>(
        await agent.get(`/api/units/${ids.unitA}/pledge?campaignId=${w.campaignId}`),
      );
      expect(pledge.assignments).toHaveLength(1);
      expect(
        (await agent.get(`/api/units/${ids.unitB}/pledge?campaignId=${w.campaignId}`)).statusCode,
      ).toBe(404);
      const due = ok<{ items: { standardKey: string }[] }>(
        await agent.get(`/api/dashboards/unit/due-materials?unitId=${ids.unitA}`),
      );
      expect(due.items.map((i) => i.standardKey)).toEqual([w.r1.standardKey]);
      expect(
        (await agent.get(`/api/dashboards/unit/due-materials?unitId=${ids.unitB}`)).statusCode,
      ).toBe(403);
      expect((await agent.get('/api/dashboards/unit/due-materials')).statusCode).toBe(400);
      const groups = ok<{ items: { id: number; units: { id: number }[] }[] }>(
        await agent.get('/api/working-groups'),
      );
      expect(groups.items.map((g) => [g.id, g.units.map((u) => u.id)])).toEqual([
        [w.sharedGroupId, [ids.unitA]],
      ]);
      ok<{ items: unknown[] }>(await agent.get('/api/my-assignments'));
    }
  });

  it('carries no record of another district in any of these answers', async () => {
    const q = `frameworkId=${w.frameworkId}&year=${w.year}`;
    const urls = [
      `/api/framework-versions/${w.versionId}/assignments`,
      `/api/framework-versions/${w.versionId}/export.xlsx`,
      `/api/assignments/${w.r1.assignmentId}/reports`,
      '/api/assignment-reporting',
      '/api/my-assignments',
      '/api/indicators',
      `/api/indicators?frameworkId=${w.frameworkId}`,
      `/api/indicators/${w.r1.indicatorId}/values`,
      `/api/evidence?${q}`,
      `/api/evidence/summary?${q}`,
      `/api/evidence/${w.frameworkId}/${w.year}/${w.r1.standardKey}`,
      '/api/working-groups',
      `/api/units/${ids.unitA}/pledge?campaignId=${w.campaignId}`,
      `/api/dashboards/unit/due-materials?unitId=${ids.unitA}`,
    ];
    const leaks: string[] = [];
    for (const agent of [district, leader, street]) {
      for (const url of urls) {
        const res = await agent.get(url);
        expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
        const found = await leaksIn(res);
        if (found.length) leaks.push(`${url} (${found.join(', ')})`);
      }
    }
    expect(leaks).toEqual([]);
    // The check bites: the city's answers carry R2's records.
    const cityReads = await Promise.all(
      [urls[0]!, urls[1]!, '/api/indicators', '/api/working-groups'].map((u) => city.get(u)),
    );
    const seen = new Set((await Promise.all(cityReads.map(leaksIn))).flat());
    expect([...seen].sort()).toEqual(
      ['乙区标记单位', '乙区标记任务', '乙区标记责任人', '乙区标记指标', '乙区标记工作组'].sort(),
    );
  });

  it('leaves the assignments’ writes, the review and 集体责任方 to the city (403)', async () => {
    const base = `/api/evidence/${w.frameworkId}/${w.year}/${w.r1.standardKey}`;
    for (const agent of [district, leader]) {
      const refused = [
        await agent.patch(`/api/assignments/${w.r1.assignmentId}`, { version: 1, notes: '改' }),
        await agent.delete(`/api/assignments/${w.r1.assignmentId}?version=1`),
        await agent.post(`/api/framework-versions/${w.versionId}/assignments`, {
          standardId: w.r1.standardId,
          leadUnitId: ids.unitA,
          responsibleUnitIds: [],
        }),
        await agent.post(`${base}/review`, { action: 'approve', grade: 'A', version: 1 }),
        await agent.put(`${base}/statement`, { statement: '区里代写', version: 1 }),
        await agent.post(`${base}/submit`, { version: 1 }),
        await agent.post('/api/parties', {
          kind: 'group',
          name: '区级集体',
          memberTypes: ['district_government'],
        }),
        await agent.post('/api/indicators', {
          frameworkId: w.frameworkId,
          standardKey: w.r1.standardKey,
          name: '区里加的指标',
          measure: '%',
          target: 1,
          direction: 'gte',
          period: 'month',
          startPeriod: '2026-01',
          responsibleUnitId: ids.unitA,
        }),
        await agent.post('/api/working-groups', { campaignId: w.campaignId, name: '区工作组' }),
        await agent.put('/api/settings/assignment-report-rhythm', { everyDays: 3 }),
      ];
      expect(refused.map((r) => r.statusCode)).toEqual(refused.map(() => 403));
      // Uploading is the units' work: the standard is not its to add files to.
      const upload = await uploadEvidence(t, agent, `${base}/files`, '区里上传');
      expect(upload.statusCode, upload.body).toBe(404);
      // Nor does it sign its units' pledges.
      const sign = await agent.post(`/api/units/${ids.unitA}/pledge/sign`, {
        campaignId: w.campaignId,
        fileId: w.r1.evidenceFileId,
        version: 1,
      });
      expect(sign.statusCode).toBe(404);
    }
    // Its unit goes on working on the dossier.
    const d = ok<TDossier>(await w.r1.unit.get(base));
    expect(d.can.upload).toBe(true);
  });

  it('a task shared with one of its units brings in that task and the standard’s one dossier', async () => {
    // Last: the city names unit A as a co-unit of a task on R2's standard, led by a city unit.
    const cityUnit = await buildUnit(t.database.db, { name: '市级牵头单位' });
    const shared = ok<{ id: number }>(
      await city.post(`/api/framework-versions/${w.versionId}/assignments`, {
        standardId: w.r2.standardId,
        leadUnitId: cityUnit.id,
        responsibleUnitIds: [ids.unitA],
      }),
      201,
    ).id;
    const list = ok<{ items: { id: number }[] }>(
      await district.get(`/api/framework-versions/${w.versionId}/assignments`),
    );
    expect(list.items.map((x) => x.id).sort()).toEqual([w.r1.assignmentId, shared].sort());
    // A standard has one dossier, which every unit working on it shares: now the district's too.
    const d = ok<TDossier>(
      await district.get(`/api/evidence/${w.frameworkId}/${w.year}/${w.r2.standardKey}`),
    );
    expect(d.files.map((f) => f.title)).toEqual(['乙区标记档案']);
    expect((await district.get(`/api/files/${w.r2.evidenceFileId}`)).statusCode).toBe(200);
    // Unit B's own task and its progress reports stay B's district's.
    expect((await district.get(`/api/assignments/${w.r2.assignmentId}/reports`)).statusCode).toBe(
      404,
    );
    expect(
      JSON.stringify(ok(await district.get(`/api/assignments/${shared}/reports`))),
    ).not.toContain('乙区标记进度');
  });
});
