import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TCampaign,
  TFramework,
  TFrameworkTree,
  TFrameworkWriteResult,
} from '../../../core/contracts/frameworks.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import {
  createCampaign,
  expectStatus,
  standardsOf,
  tree,
  WEIGHTS,
} from '../../test/frameworks-kit.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// Campaigns, the framework tree and its versions: drafts are edited in place, an in-use version
// is copied on the first edit and keeps what it had.

let t: TestApp;
let office: Agent;
let leader: Agent;
let unit: Agent;
let surveyor: Agent;
let campaign: TCampaign;
let framework: TFramework;
let v1: number;

/** What a version holds (not the framework's version list, which moves on). */
const content = (tr: TFrameworkTree) => ({
  items: tr.items,
  negativeItems: tr.negativeItems,
  totals: tr.totals,
});
const write = (res: { json<T>(): T }) => res.json<TFrameworkWriteResult>();

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const u = await buildUnit(db, { name: '版本测试单位' });
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'leader1', roles: ['leader'] });
  await buildUser(db, { username: 'unit1', roles: ['unit'], unitId: u.id });
  await buildUser(db, { username: 'surveyor1', roles: ['surveyor'] });
  await buildUser(db, { username: 'admin1', roles: ['admin'] });
  office = await t.login('office1');
  leader = await t.login('leader1');
  unit = await t.login('unit1');
  surveyor = await t.login('surveyor1');
  campaign = await createCampaign(office, '版本测试创建周期');
});
afterAll(() => t.close());

describe('campaigns', () => {
  it('rejects weights that do not add up, with bilingual messages per field', async () => {
    const res = await office.post('/api/campaigns', {
      ...WEIGHTS,
      name: '权重错误',
      cycleWeights: [15, 25, 50],
      methodWeights: { material: 40, field: 40, survey: 10 },
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json<{ error: { fields: { path: string; message: string }[] } }>().error
      .fields;
    expect(fields.map((f) => f.path).sort()).toEqual(['body.cycleWeights', 'body.methodWeights']);
    expect(fields.find((f) => f.path === 'body.cycleWeights')!.message).toBe(
      '年度权重之和应为 100%（当前 90%） / the year weights must add up to 100% (they add up to 90%)',
    );
    const count = await office.post('/api/campaigns', {
      ...WEIGHTS,
      name: '年数不符',
      cycleYears: 2,
    });
    expect(
      count.json<{ error: { fields: { message: string }[] } }>().error.fields[0]!.message,
    ).toContain('应填写 2 个年度权重');
  });

  it('updates weights together, checks them, and refuses a stale version', async () => {
    const bad = await office.patch(`/api/campaigns/${campaign.id}`, {
      version: campaign.version,
      cycleWeights: [20, 20, 60],
    });
    expect(bad.statusCode).toBe(400);
    const ok = expectStatus(
      await office.patch(`/api/campaigns/${campaign.id}`, {
        version: campaign.version,
        cycleYears: 3,
        cycleWeights: [20, 20, 60],
        methodWeights: { material: 50, field: 30, survey: 20 },
        surveyFloor: { enabled: false, minRate: 85, effect: 'veto' },
      }),
      200,
    ).json<TCampaign>();
    expect(ok.cycleWeights).toEqual([20, 20, 60]);
    expect(ok.surveyFloor.effect).toBe('veto');
    const stale = await office.patch(`/api/campaigns/${campaign.id}`, {
      version: campaign.version,
      name: '过期',
    });
    expect(stale.statusCode).toBe(409);
    campaign = ok;
  });

  it('a campaign is the city’s (default) or 文明细胞 (cells), chosen at creation; the list filters by kind', async () => {
    expect(campaign.kind).toBe('city');
    const cells = expectStatus(
      await office.post('/api/campaigns', { ...WEIGHTS, name: '文明细胞周期', kind: 'cells' }),
      201,
    ).json<TCampaign>();
    expect(cells.kind).toBe('cells');
    const names = async (q: string) =>
      (await office.get(`/api/campaigns${q}`))
        .json<{ items: TCampaign[] }>()
        .items.map((c) => [c.name, c.kind]);
    expect(await names('')).toEqual([
      ['版本测试创建周期', 'city'],
      ['文明细胞周期', 'cells'],
    ]);
    expect(await names('?kind=city')).toEqual([['版本测试创建周期', 'city']]);
    expect(await names('?kind=cells')).toEqual([['文明细胞周期', 'cells']]);
    const bad = await office.get('/api/campaigns?kind=village');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { fields: { path: string }[] } }>().error.fields[0]!.path).toBe(
      'querystring.kind',
    );
    expect(
      (await office.post('/api/campaigns', { ...WEIGHTS, name: '错误类型', kind: 'town' }))
        .statusCode,
    ).toBe(400);
    // An edit does not change the kind (frameworks and calls rest on it).
    const edited = expectStatus(
      await office.patch(`/api/campaigns/${cells.id}`, {
        version: cells.version,
        name: '文明细胞周期（改）',
        kind: 'city',
      }),
      200,
    ).json<TCampaign>();
    expect(edited).toMatchObject({ name: '文明细胞周期（改）', kind: 'cells' });
    expect(
      (await office.delete(`/api/campaigns/${cells.id}?version=${edited.version}`)).statusCode,
    ).toBe(204);
  });

  it('everyone signed in reads campaigns; only the office writes', async () => {
    for (const a of [leader, unit, surveyor]) {
      expect((await a.get('/api/campaigns')).statusCode).toBe(200);
      expect((await a.post('/api/campaigns', { ...WEIGHTS, name: '越权' })).statusCode).toBe(403);
    }
    expect((await unit.patch(`/api/campaigns/${campaign.id}`, { version: 1 })).statusCode).toBe(
      403,
    );
  });
});

describe('framework tree', () => {
  it('creates a framework with an empty draft v1', async () => {
    framework = expectStatus(
      await office.post('/api/frameworks', {
        campaignId: campaign.id,
        name: '文明城市测评体系',
        level: 'prefecture',
        edition: '2026版',
      }),
      201,
    ).json<TFramework>();
    expect(framework.versions).toHaveLength(1);
    expect(framework.versions[0]).toMatchObject({ number: 1, status: 'draft', standards: 0 });
    expect(framework.draftVersionId).toBe(framework.versions[0]!.id);
    v1 = framework.versions[0]!.id;
    const dup = await office.post('/api/frameworks', {
      campaignId: campaign.id,
      name: '文明城市测评体系',
      level: 'county',
    });
    expect(dup.statusCode).toBe(409);
  });

  it('adds items, contents and standards in place on a draft, with generated codes', async () => {
    const item = write(
      expectStatus(
        await office.post(`/api/framework-versions/${v1}/nodes`, {
          kind: 'item',
          parentId: null,
          text: '思想引领',
        }),
        200,
      ),
    );
    expect(item).toMatchObject({ versionId: v1, forked: false });
    const content = write(
      await office.post(`/api/framework-versions/${v1}/nodes`, {
        kind: 'content',
        parentId: item.id,
        text: '理论学习',
      }),
    );
    for (const [text, method, maxScore] of [
      ['有年度学习计划', 'material', 5],
      ['基层宣讲每季度一次', 'material', 4],
      ['公益广告规范', 'field', 2.5],
    ] as const) {
      expectStatus(
        await office.post(`/api/framework-versions/${v1}/nodes`, {
          kind: 'standard',
          parentId: content.id,
          text,
          method,
          maxScore,
          evidence: ['学习计划'],
        }),
        200,
      );
    }
    const tr = await tree(office, v1);
    expect(tr.versionInfo).toMatchObject({ number: 1, status: 'draft', editable: true });
    expect(tr.items[0]!.code).toBe('I1');
    expect(tr.items[0]!.children[0]!.code).toBe('I1.1');
    expect(standardsOf(tr).map((s) => [s.code, s.position])).toEqual([
      ['I1.1.1', 0],
      ['I1.1.2', 1],
      ['I1.1.3', 2],
    ]);
    expect(tr.items[0]!.score).toBe(11.5);
    expect(tr.totals).toMatchObject({ score: 11.5, standards: 3 });
    expect(tr.totals.byBucket).toEqual({ material: 9, field: 2.5, survey: 0 });
  });

  it('rejects a standard without method or score, wrong parents, duplicate codes', async () => {
    const tr = await tree(office, v1);
    const contentId = tr.items[0]!.children[0]!.id;
    const noMethod = await office.post(`/api/framework-versions/${v1}/nodes`, {
      kind: 'standard',
      parentId: contentId,
      text: '缺方法',
    });
    expect(noMethod.statusCode).toBe(400);
    expect(noMethod.body).toContain('测评标准必须有测评方法');
    const wrongParent = await office.post(`/api/framework-versions/${v1}/nodes`, {
      kind: 'standard',
      parentId: tr.items[0]!.id,
      text: '挂在项目下',
      method: 'field',
      maxScore: 1,
    });
    expect(wrongParent.statusCode).toBe(400);
    const dup = await office.post(`/api/framework-versions/${v1}/nodes`, {
      kind: 'standard',
      parentId: contentId,
      code: 'I1.1.1',
      text: '重复编号',
      method: 'field',
      maxScore: 1,
    });
    expect(dup.statusCode).toBe(409);
    const itemWithScore = await office.patch(
      `/api/framework-versions/${v1}/nodes/${tr.items[0]!.id}`,
      { version: tr.items[0]!.version, maxScore: 3 },
    );
    expect(itemWithScore.statusCode).toBe(400);
  });

  it('moves a standard up and to another content; positions stay dense', async () => {
    let tr = await tree(office, v1);
    const [s1, s2, s3] = standardsOf(tr);
    expectStatus(
      await office.post(`/api/framework-versions/${v1}/nodes/${s3!.id}/move`, {
        parentId: s3!.parentId,
        position: 0,
        version: s3!.version,
      }),
      200,
    );
    tr = await tree(office, v1);
    expect(standardsOf(tr).map((s) => [s.code, s.position])).toEqual([
      ['I1.1.3', 0],
      ['I1.1.1', 1],
      ['I1.1.2', 2],
    ]);
    const other = write(
      await office.post(`/api/framework-versions/${v1}/nodes`, {
        kind: 'content',
        parentId: tr.items[0]!.id,
        text: '公益宣传',
      }),
    );
    const s1now = standardsOf(tr).find((s) => s.id === s1!.id)!;
    expectStatus(
      await office.post(`/api/framework-versions/${v1}/nodes/${s1!.id}/move`, {
        parentId: other.id,
        position: 5,
        version: s1now.version,
      }),
      200,
    );
    tr = await tree(office, v1);
    expect(tr.items[0]!.children.map((c) => c.children.map((s) => [s.code, s.position]))).toEqual([
      [
        ['I1.1.3', 0],
        ['I1.1.2', 1],
      ],
      [['I1.1.1', 0]],
    ]);
    // A stale version is refused.
    const stale = await office.post(`/api/framework-versions/${v1}/nodes/${s2!.id}/move`, {
      parentId: s2!.parentId,
      position: 0,
      version: s2!.version - 1 || 99,
    });
    expect(stale.statusCode).toBe(409);
  });

  it('others read the tree but cannot change it', async () => {
    const tr = await tree(unit, v1);
    const s = standardsOf(tr)[0]!;
    for (const a of [leader, unit, surveyor]) {
      const res = await a.patch(`/api/framework-versions/${v1}/nodes/${s.id}`, {
        version: s.version,
        text: '越权修改',
      });
      expect(res.statusCode).toBe(403);
    }
  });
});

describe('versions', () => {
  let v2: number;

  it('publishes the draft; then editing it makes v2 and leaves v1 as it was', async () => {
    const before = await tree(office, v1);
    const pub = expectStatus(
      await office.post(`/api/framework-versions/${v1}/publish`, {
        version: before.versionInfo.version,
      }),
      200,
    ).json<TFramework>();
    expect(pub.currentVersionId).toBe(v1);
    expect(pub.draftVersionId).toBeNull();
    const published = await tree(office, v1);
    expect(published.versionInfo).toMatchObject({ status: 'published', editable: false });

    const target = standardsOf(published).find((s) => s.code === 'I1.1.2')!;
    const res = write(
      expectStatus(
        await office.patch(`/api/framework-versions/${v1}/nodes/${target.id}`, {
          version: target.version,
          text: '基层宣讲每月一次',
          maxScore: 6,
        }),
        200,
      ),
    );
    expect(res.forked).toBe(true);
    expect(res.versionNumber).toBe(2);
    expect(res.versionId).not.toBe(v1);
    expect(res.id).not.toBe(target.id);
    v2 = res.versionId;

    // v1 is untouched: same ids, same text, same totals.
    const old = await tree(office, v1);
    expect(content(old)).toEqual(content(published));
    expect(old.versionInfo.status).toBe('published');
    const copy = await tree(office, v2);
    expect(copy.versionInfo).toMatchObject({ number: 2, status: 'draft', basedOnId: v1 });
    const edited = standardsOf(copy).find((s) => s.code === 'I1.1.2')!;
    expect(edited).toMatchObject({ text: '基层宣讲每月一次', maxScore: 6, key: target.key });
    expect(copy.totals.score).toBe(published.totals.score + 2);
    expect(standardsOf(copy).map((s) => s.key)).toEqual(standardsOf(published).map((s) => s.key));
  });

  it('a second edit of the frozen version is refused while the draft exists; the draft edits in place', async () => {
    const published = await tree(office, v1);
    const s = standardsOf(published)[0]!;
    const again = await office.patch(`/api/framework-versions/${v1}/nodes/${s.id}`, {
      version: s.version,
      text: '再次修改',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('draft_exists');
    const draft = await tree(office, v2);
    const d = standardsOf(draft)[0]!;
    const inPlace = write(
      expectStatus(
        await office.patch(`/api/framework-versions/${v2}/nodes/${d.id}`, {
          version: d.version,
          text: '草稿上直接修改',
        }),
        200,
      ),
    );
    expect(inPlace).toMatchObject({ versionId: v2, forked: false, id: d.id });
  });

  it('publishing v2 supersedes v1; a delete on the superseded v1 forks v3 and leaves v1 whole', async () => {
    const draft = await tree(office, v2);
    const fw = expectStatus(
      await office.post(`/api/framework-versions/${v2}/publish`, {
        version: draft.versionInfo.version,
      }),
      200,
    ).json<TFramework>();
    expect(fw.currentVersionId).toBe(v2);
    expect(fw.versions.map((v) => [v.number, v.status])).toEqual([
      [2, 'published'],
      [1, 'superseded'],
    ]);
    const old = await tree(office, v1);
    const item = old.items[0]!;
    const del = write(
      expectStatus(
        await office.delete(
          `/api/framework-versions/${v1}/nodes/${item.id}?version=${item.version}`,
        ),
        200,
      ),
    );
    expect(del).toMatchObject({ forked: true, versionNumber: 3, id: null });
    expect((await tree(office, del.versionId)).items).toEqual([]);
    expect(content(await tree(office, v1))).toEqual(content(old));
    // Drafts can be deleted; published versions cannot.
    const v3 = await tree(office, del.versionId);
    expect(
      (await office.delete(`/api/framework-versions/${v2}?version=${fw.versions[0]!.version}`))
        .statusCode,
    ).toBe(409);
    expect(
      (
        await office.delete(
          `/api/framework-versions/${del.versionId}?version=${v3.versionInfo.version}`,
        )
      ).statusCode,
    ).toBe(204);
    expect((await office.get(`/api/framework-versions/${del.versionId}/tree`)).statusCode).toBe(
      404,
    );
  });

  it('the negative list is versioned the same way', async () => {
    const add = write(
      expectStatus(
        await office.post(`/api/framework-versions/${v2}/negative-items`, {
          text: '发生重大安全事故',
          effect: 'deduct',
          points: 3,
        }),
        200,
      ),
    );
    expect(add).toMatchObject({ forked: true, versionNumber: 3 });
    const tr = await tree(office, add.versionId);
    expect(tr.negativeItems).toMatchObject([
      { code: 'N1', text: '发生重大安全事故', effect: 'deduct', points: 3 },
    ]);
    expect((await tree(office, v2)).negativeItems).toEqual([]);
    const bad = await office.post(`/api/framework-versions/${add.versionId}/negative-items`, {
      text: '未知效果',
      effect: 'warn',
      points: 1,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('an unknown version or a node of another version is 404', async () => {
    expect((await office.get('/api/framework-versions/999999/tree')).statusCode).toBe(404);
    const other = standardsOf(await tree(office, v2))[0]!;
    const res = await office.patch(`/api/framework-versions/${v1}/nodes/${other.id}`, {
      version: other.version,
      text: 'x',
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('edges', () => {
  it('two people editing a version in use at once: one copy, the other is told a draft exists', async () => {
    const fw = expectStatus(
      await office.post('/api/frameworks', {
        campaignId: campaign.id,
        name: '并发测试体系',
        level: 'county',
      }),
      201,
    ).json<TFramework>();
    const v = fw.versions[0]!.id;
    const item = write(
      await office.post(`/api/framework-versions/${v}/nodes`, {
        kind: 'item',
        parentId: null,
        text: '项目',
      }),
    );
    const content = write(
      await office.post(`/api/framework-versions/${v}/nodes`, {
        kind: 'content',
        parentId: item.id,
        text: '内容',
      }),
    );
    await office.post(`/api/framework-versions/${v}/nodes`, {
      kind: 'standard',
      parentId: content.id,
      text: '标准',
      method: 'report',
      maxScore: 1,
    });
    const tr = await tree(office, v);
    expectStatus(
      await office.post(`/api/framework-versions/${v}/publish`, {
        version: tr.versionInfo.version,
      }),
      200,
    );
    const s = standardsOf(tr)[0]!;
    const other = await t.login('office1');
    const [a, b] = await Promise.all([
      office.patch(`/api/framework-versions/${v}/nodes/${s.id}`, {
        version: s.version,
        text: '甲',
      }),
      other.patch(`/api/framework-versions/${v}/nodes/${s.id}`, { version: s.version, text: '乙' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const after = (await office.get(`/api/frameworks/${fw.id}`)).json<TFramework>();
    expect(after.versions.map((x) => [x.number, x.status])).toEqual([
      [2, 'draft'],
      [1, 'published'],
    ]);
  });

  it('renames a framework; a campaign with frameworks cannot be deleted, an empty one can', async () => {
    const fw = (await office.get(`/api/frameworks?campaignId=${campaign.id}`)).json<{
      items: TFramework[];
    }>().items[0]!;
    const renamed = expectStatus(
      await office.patch(`/api/frameworks/${fw.id}`, {
        version: fw.version,
        name: '文明城市测评体系（修订）',
        edition: '2027版',
      }),
      200,
    ).json<TFramework>();
    expect(renamed).toMatchObject({ name: '文明城市测评体系（修订）', edition: '2027版' });
    const c = (await office.get(`/api/campaigns/${campaign.id}`)).json<TCampaign>();
    const busy = await office.delete(`/api/campaigns/${c.id}?version=${c.version}`);
    expect(busy.statusCode).toBe(409);
    expect(busy.body).toContain('仍有');
    const empty = await createCampaign(office, '空的创建周期');
    expect(
      (await office.delete(`/api/campaigns/${empty.id}?version=${empty.version}`)).statusCode,
    ).toBe(204);
    expect((await office.get(`/api/campaigns/${empty.id}`)).statusCode).toBe(404);
  });

  it('every write leaves an audit record', async () => {
    const admin = await t.login('admin1');
    const res = await admin.get('/api/audit?limit=200');
    const actions = new Set(res.json<{ items: { action: string }[] }>().items.map((i) => i.action));
    for (const a of [
      'campaign.create',
      'campaign.update',
      'framework.create',
      'framework_node.create',
      'framework_node.update',
      'framework_node.move',
      'framework_node.delete',
      'framework_version.copy',
      'framework_version.publish',
      'framework_version.delete',
      'negative_item.create',
    ]) {
      expect(actions.has(a), a).toBe(true);
    }
  });
});
