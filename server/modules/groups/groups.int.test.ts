import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TPledge, TWorkingGroup } from '../../../core/contracts/groups.js';
import type { TAssignment, TCampaign } from '../../../core/contracts/frameworks.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { seedDemoIndicators } from '../../db/seed/demo-indicators.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import { minimalPdf } from '../../test/pdf.js';

// 攻坚组 as a filter of the 任务分解, and 目标责任书 with its signing status.

let t: TestApp;
let office: Agent;
let unit: Agent;
let leader: Agent;
let campaign: TCampaign;
let versionId = 0;
let unitId = 0;
let assignments: TAssignment[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
  await seedDemoIndicators(t.database);
  office = await t.login('office', DEMO_PASSWORD);
  unit = await t.login('unit', DEMO_PASSWORD);
  leader = await t.login('leader', DEMO_PASSWORD);
  unitId = (await unit.get('/api/auth/me')).json().user.unitId as number;
  campaign = (await office.get('/api/campaigns')).json<{ items: TCampaign[] }>().items[0]!;
  versionId = campaign.frameworks[0]!.currentVersionId!;
  assignments = (await office.get(`/api/framework-versions/${versionId}/assignments`)).json<{
    items: TAssignment[];
  }>().items;
});
afterAll(() => t.close());

async function keyOf(code: string): Promise<string> {
  const tree = (await office.get(`/api/framework-versions/${versionId}/tree`)).json<{
    items: { children: { children: { code: string; key: string }[] }[] }[];
  }>();
  return tree.items
    .flatMap((i) => i.children.flatMap((c) => c.children))
    .find((s) => s.code === code)!.key;
}

describe('working groups', () => {
  it('lets the office create a group and filters the task matrix by it', async () => {
    const frameworkId = campaign.frameworks[0]!.id;
    const leaderId = (await leader.get('/api/auth/me')).json().user.id as number;
    const body = {
      campaignId: campaign.id,
      name: '城市管理组',
      leaderUserId: leaderId,
      unitIds: [unitId],
      standards: [
        { frameworkId, standardKey: await keyOf('I4.3.1') },
        { frameworkId, standardKey: await keyOf('I6.1.1') },
      ],
    };
    expect((await unit.post('/api/working-groups', body)).statusCode).toBe(403);
    const res = await office.post('/api/working-groups', body);
    expect(res.statusCode, res.body).toBe(201);
    const g = res.json<TWorkingGroup>();
    expect(g).toMatchObject({ name: '城市管理组', leaderName: expect.any(String), version: 1 });
    expect(g.units.map((u) => u.id)).toEqual([unitId]);
    expect((await office.post('/api/working-groups', body)).statusCode).toBe(409);

    const filtered = (
      await office.get(`/api/framework-versions/${versionId}/assignments?groupId=${g.id}`)
    ).json<{ items: TAssignment[] }>().items;
    const expected = assignments.filter((a) => ['I4.3.1', 'I6.1.1'].includes(a.standardCode));
    expect(expected.length).toBeGreaterThan(0);
    expect(filtered.map((a) => a.id).sort()).toEqual(expected.map((a) => a.id).sort());

    const edited = await office.patch(`/api/working-groups/${g.id}`, {
      standards: [{ frameworkId, standardKey: await keyOf('I4.3.1') }],
      version: 1,
    });
    expect(edited.json()).toMatchObject({ version: 2 });
    expect(
      (await office.patch(`/api/working-groups/${g.id}`, { name: '旧的', version: 1 })).statusCode,
    ).toBe(409);
    const after = (
      await office.get(`/api/framework-versions/${versionId}/assignments?groupId=${g.id}`)
    ).json<{ items: TAssignment[] }>().items;
    expect(new Set(after.map((a) => a.standardCode))).toEqual(new Set(['I4.3.1']));
    expect(
      (await unit.get(`/api/working-groups?campaignId=${campaign.id}`)).json().items,
    ).toHaveLength(1);
  });

  it('lets the office delete a group; a stale version is a 409', async () => {
    const g = (
      await office.post('/api/working-groups', {
        campaignId: campaign.id,
        name: '临时组',
        unitIds: [unitId],
      })
    ).json<TWorkingGroup>();
    expect((await unit.delete(`/api/working-groups/${g.id}?version=1`)).statusCode).toBe(403);
    await office.patch(`/api/working-groups/${g.id}`, { name: '临时组二', version: 1 });
    expect((await office.delete(`/api/working-groups/${g.id}?version=1`)).statusCode).toBe(409);
    expect((await office.delete(`/api/working-groups/${g.id}?version=2`)).statusCode).toBe(204);
    expect((await office.delete(`/api/working-groups/${g.id}?version=2`)).statusCode).toBe(404);
    const names = (await office.get(`/api/working-groups?campaignId=${campaign.id}`))
      .json<{ items: TWorkingGroup[] }>()
      .items.map((x) => x.name);
    expect(names).toEqual(['城市管理组']);
  });
});

describe('the working-group filter', () => {
  it("narrows the archive-materials list and the indicators list to the group's standards", async () => {
    const frameworkId = campaign.frameworks[0]!.id;
    const year = campaign.cycleStartYear;
    // The archive list holds material standards only: own two of them and one field standard.
    const all = (await office.get(`/api/evidence?frameworkId=${frameworkId}&year=${year}`)).json<
      { standardKey: string; code: string }[]
    >();
    expect(all.length).toBeGreaterThan(2);
    const owned = [all[0]!.standardKey, all[1]!.standardKey, await keyOf('I4.3.1')];
    const g = (
      await office.post('/api/working-groups', {
        campaignId: campaign.id,
        name: '筛选组',
        standards: owned.map((standardKey) => ({ frameworkId, standardKey })),
      })
    ).json<TWorkingGroup>();
    const res = await office.get(
      `/api/evidence?frameworkId=${frameworkId}&year=${year}&groupId=${g.id}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res
        .json<{ code: string }[]>()
        .map((r) => r.code)
        .sort(),
    ).toEqual([all[0]!.code, all[1]!.code].sort());
    expect(
      (await office.get(`/api/evidence?frameworkId=${frameworkId}&year=${year}&groupId=999999`))
        .statusCode,
    ).toBe(400);
    // the completeness cards follow the same filter
    const summary = (
      await office.get(
        `/api/evidence/summary?frameworkId=${frameworkId}&year=${year}&groupId=${g.id}`,
      )
    ).json<{ total: { standards: number }; items: unknown[] }>();
    expect(summary.total.standards).toBe(2);
    expect(
      (
        await office.get(
          `/api/evidence/summary?frameworkId=${frameworkId}&year=${year}&groupId=999999`,
        )
      ).statusCode,
    ).toBe(400);

    const inds = (await office.get('/api/indicators')).json<{
      items: { id: number; frameworkId: number; standardKey: string }[];
    }>().items;
    const expected = inds.filter(
      (i) => i.frameworkId === frameworkId && owned.includes(i.standardKey),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(inds.length);
    const filtered = (await office.get(`/api/indicators?groupId=${g.id}`)).json<{
      items: { id: number }[];
    }>().items;
    expect(filtered.map((i) => i.id).sort()).toEqual(expected.map((i) => i.id).sort());
    expect((await office.get('/api/indicators?groupId=999999')).statusCode).toBe(400);
    expect((await office.delete(`/api/working-groups/${g.id}?version=1`)).statusCode).toBe(204);
  });
});

describe('目标责任书', () => {
  it("lists the unit's assignments and indicators; only the unit and the office see it", async () => {
    const a = (
      await unit.get(`/api/units/${unitId}/pledge?campaignId=${campaign.id}`)
    ).json<TPledge>();
    const mine = assignments.filter(
      (x) => x.leadUnit.id === unitId || x.responsibleUnits.some((u) => u.id === unitId),
    );
    expect(a.assignments).toHaveLength(mine.length);
    expect(a).toMatchObject({ status: 'unsigned', signedByName: null, version: 1 });
    expect(a.indicators).toEqual([{ name: '路灯亮灯率', target: '≥ 95%', standardCode: 'I4.3.1' }]);
    const other = assignments.find((x) => x.leadUnit.id !== unitId)!.leadUnit.id;
    expect(
      (await unit.get(`/api/units/${other}/pledge?campaignId=${campaign.id}`)).statusCode,
    ).toBe(404);
    expect(
      (await office.get(`/api/units/${other}/pledge?campaignId=${campaign.id}`)).statusCode,
    ).toBe(200);
  });

  it('records the signed scan, who signed and when; a stale version is a 409', async () => {
    const officeFile = (
      await office.upload('/api/files', await testJpeg({ width: 120 }), 's.jpg')
    ).json().id as string;
    const notMine = await unit.post(`/api/units/${unitId}/pledge/sign`, {
      campaignId: campaign.id,
      fileId: officeFile,
      version: 1,
    });
    expect(notMine.statusCode).toBe(400);
    const up = await unit.upload('/api/files', await testJpeg({ width: 160 }), 'signed.jpg');
    expect(up.statusCode, up.body).toBe(201);
    const signed = await unit.post(`/api/units/${unitId}/pledge/sign`, {
      campaignId: campaign.id,
      fileId: up.json().id,
      version: 1,
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({
      status: 'signed',
      signedByName: '赵联络',
      signedFileId: up.json().id,
      version: 2,
    });
    expect(Date.now() - Date.parse(signed.json().signedAt)).toBeLessThan(60_000);
    const again = await unit.post(`/api/units/${unitId}/pledge/sign`, {
      campaignId: campaign.id,
      fileId: up.json().id,
      version: 1,
    });
    expect(again.statusCode).toBe(409);
    const other = assignments.find((x) => x.leadUnit.id !== unitId)!.leadUnit.id;
    expect(
      (
        await unit.post(`/api/units/${other}/pledge/sign`, {
          campaignId: campaign.id,
          fileId: up.json().id,
          version: 1,
        })
      ).statusCode,
    ).toBe(404);
    const byOffice = await office.post(`/api/units/${other}/pledge/sign`, {
      campaignId: campaign.id,
      fileId: officeFile,
      version: 1,
    });
    expect(byOffice.json()).toMatchObject({ status: 'signed', version: 2 });
  });
  it('takes the signed scan as a PDF (checked by content); a disguised file is refused', async () => {
    const PDF = minimalPdf();
    const url = (v: number, u = unitId) =>
      `/api/units/${u}/pledge/scan?campaignId=${campaign.id}&version=${v}`;
    const before = (
      await unit.get(`/api/units/${unitId}/pledge?campaignId=${campaign.id}`)
    ).json<TPledge>();
    for (const [name, data] of [
      ['签字.pdf', Buffer.from('#!/bin/sh\necho not a pdf\n')],
      ['签字.jpg', PDF],
    ] as const) {
      const bad = await unit.upload(url(before.version), data, name);
      expect(bad.statusCode, bad.body).toBe(415);
    }
    const other = assignments.find((x) => x.leadUnit.id !== unitId)!.leadUnit.id;
    expect((await unit.upload(url(1, other), PDF, '签字.pdf')).statusCode).toBe(404);
    const ok = await unit.upload(url(before.version), PDF, '签字.pdf');
    expect(ok.statusCode, ok.body).toBe(200);
    const a = ok.json<TPledge>();
    expect(a).toMatchObject({
      status: 'signed',
      signedByName: '赵联络',
      version: before.version + 1,
    });
    expect(a.signedFileId).not.toBe(before.signedFileId);
    const file = await unit.get(`/api/files/${a.signedFileId}`);
    expect(file.headers['content-type']).toContain('application/pdf');
    expect((await unit.upload(url(before.version), PDF, '签字.pdf')).statusCode).toBe(409);
  });
});
