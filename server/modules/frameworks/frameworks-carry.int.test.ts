import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  TCampaign,
  TFramework,
  TFrameworkImportResult,
  TFrameworkTree,
  TPublishPreview,
} from '../../../core/contracts/frameworks.js';
import type { TProjection } from '../../../core/contracts/scoring.js';
import { execRows } from '../../db/client.js';
import { seedDemoAll } from '../../db/seed/demo-all.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedReferenceData } from '../../db/seed/reference-data.js';
import { expectStatus, tree } from '../../test/frameworks-kit.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// A new version of the framework in force carries every link to the standard with the same code:
// the demo city's projected score survives export → import as a new version → publish, to the
// cent; the publish preview lists what changes and what cannot move, and a publish that would lose
// links needs the office's confirmation.

let t: TestApp;
let office: Agent;
let campaign: TCampaign;
let framework: TFramework;

const q = async <T>(query: ReturnType<typeof sql>) => execRows<T>(t.database.db, query);

async function projection(): Promise<TProjection> {
  const res = await office.get(
    `/api/scoring/projection?campaignId=${campaign.id}&frameworkId=${framework.id}`,
  );
  return expectStatus(res, 200).json<TProjection>();
}

/** The figures that make the score, without the ids that change with a version. */
const figures = (p: TProjection) => ({
  total: p.cycle.total,
  perYear: p.cycle.perYear.map((y) => [y.year, y.score]),
  parts: p.parts.map((x) => [x.bucket, x.maxScore, x.earned, x.points]),
  atRisk: p.atRisk.map((a) => [a.code, a.lost]),
  negatives: p.negatives.length,
});

async function current(): Promise<{ id: number; number: number }> {
  const f = expectStatus(
    await office.get(`/api/frameworks/${framework.id}`),
    200,
  ).json<TFramework>();
  const v = f.versions.find((x) => x.status === 'published')!;
  return { id: v.id, number: v.number };
}

async function importVersion(file: Buffer, name: string): Promise<TFrameworkImportResult> {
  const res = await office.upload(`/api/frameworks/${framework.id}/import`, file, name);
  return expectStatus(res, 201).json<TFrameworkImportResult>();
}

async function preview(versionId: number): Promise<TPublishPreview> {
  return expectStatus(
    await office.get(`/api/framework-versions/${versionId}/publish-preview`),
    200,
  ).json<TPublishPreview>();
}

async function publish(versionId: number, confirmLosses?: boolean) {
  const v = (
    await q<{ version: number }>(
      sql`select version from framework_versions where id = ${versionId}`,
    )
  )[0]!;
  return office.post(`/api/framework-versions/${versionId}/publish`, {
    version: v.version,
    ...(confirmLosses === undefined ? {} : { confirmLosses }),
  });
}

const carried = (p: TPublishPreview, kind: string) =>
  p.carried.find((c) => c.kind === kind)?.count ?? 0;

beforeAll(async () => {
  t = await createTestApp();
  await seedReferenceData(t.database);
  await seedDemoAll(t.database, t.storage);
  office = await t.login('office', DEMO_PASSWORD);
  campaign = (await office.get('/api/campaigns')).json<{ items: TCampaign[] }>().items[0]!;
  framework = campaign.frameworks[0]!;
  // The demo city has every part: approved dossiers, a field round with visits, survey rounds.
});
afterAll(() => t.close());

describe('a new version keeps every link', () => {
  let before: ReturnType<typeof figures>;

  it('the demo projection has material, field and survey parts to lose', async () => {
    const p = await projection();
    before = figures(p);
    for (const bucket of ['material', 'field', 'survey']) {
      expect(p.parts.find((x) => x.bucket === bucket)!.earned, bucket).toBeGreaterThan(0);
    }
    expect(p.cycle.total).toBeGreaterThan(0);
  });

  it('JSON export → import as a new version: the preview changes nothing and loses nothing; publish keeps the score', async () => {
    const v1 = await current();
    const json = await office.get(`/api/framework-versions/${v1.id}/export.json`);
    const imported = await importVersion(Buffer.from(json.body), 'framework.json');
    const p = await preview(imported.versionId);
    expect(p.against).toEqual({ versionId: v1.id, versionNumber: v1.number });
    expect(p.standards).toMatchObject({ added: [], removed: [], changed: [] });
    expect(p.standards.unchanged).toBeGreaterThan(30);
    expect(p.maxScore.before).toBe(p.maxScore.after);
    expect(p.lost).toEqual([]);
    // The JSON file has no 任务分解: the version in force's assignments are copied at publish.
    for (const kind of [
      'assignment',
      'dossier',
      'question',
      'check_item',
      'indicator',
      'simulation_target',
      'group',
    ]) {
      expect(carried(p, kind), kind).toBeGreaterThan(0);
    }
    const assignmentsBefore = await q<{ n: number }>(
      sql`select count(*)::int as n from assignments where version_id = ${v1.id}`,
    );
    expectStatus(await publish(imported.versionId), 200);
    const assignmentsAfter = await q<{ n: number }>(
      sql`select count(*)::int as n from assignments where version_id = ${imported.versionId}`,
    );
    expect(assignmentsAfter[0]!.n).toBe(assignmentsBefore[0]!.n);
    const after = await projection();
    expect(after.framework.versionId).toBe(imported.versionId);
    expect(figures(after)).toEqual(before);
  });

  it('XLSX export → import as a new version → publish keeps the score to the cent', async () => {
    const v = await current();
    const xlsx = await office.get(`/api/framework-versions/${v.id}/export.xlsx`);
    const imported = await importVersion(xlsx.rawPayload, 'framework.xlsx');
    const p = await preview(imported.versionId);
    expect(p.standards).toMatchObject({ added: [], removed: [], changed: [] });
    expect(p.lost).toEqual([]);
    expectStatus(await publish(imported.versionId), 200);
    expect(figures(await projection())).toEqual(before);
  });

  it('a corrected framework: the preview lists added, removed and re-scored standards and the links a removed one loses', async () => {
    const v = await current();
    const doc = (await office.get(`/api/framework-versions/${v.id}/export.json`)).json<{
      items: { contents: { standards: { code: string; score: number; text: string }[] }[] }[];
    }>();
    // The standard a survey question measures goes; another is re-scored; one is new.
    const [linked] = await q<{ code: string; text: string }>(sql`select n.code, n.text
      from framework_nodes n, survey_questionnaires sq, jsonb_array_elements(sq.questions) qq
      where n.version_id = ${v.id} and n.kind = 'standard' and sq.status = 'published'
        and qq->'standardKeys' ? n.key order by n.code limit 1`);
    expect(linked).toBeDefined();
    const contents = doc.items.flatMap((i) => i.contents);
    let rescored = '';
    for (const c of contents) {
      c.standards = c.standards.filter((s) => s.code !== linked!.code);
    }
    const target = contents.find((c) => c.standards.length > 1)!;
    rescored = target.standards[0]!.code;
    target.standards[0]!.score += 1;
    target.standards.push({ ...target.standards[1]!, code: `${rescored}-新`, text: '新增标准' });
    const imported = await importVersion(Buffer.from(JSON.stringify(doc)), 'corrected.json');
    const p = await preview(imported.versionId);
    expect(p.standards.removed.map((s) => s.code)).toEqual([linked!.code]);
    expect(p.standards.added.map((s) => s.code)).toEqual([`${rescored}-新`]);
    expect(p.standards.changed).toEqual([
      expect.objectContaining({ code: rescored, fields: ['maxScore'] }),
    ]);
    const lostQuestions = p.lost.filter((l) => l.kind === 'question');
    expect(lostQuestions.length).toBeGreaterThan(0);
    expect(lostQuestions[0]).toMatchObject({ code: linked!.code, text: linked!.text });
    expect(lostQuestions[0]!.where.zh).toMatch(/第 .+ 题/);

    const refused = await publish(imported.versionId);
    expectStatus(refused, 409);
    expect(refused.json<{ error: { code: string; message: string } }>().error.code).toBe(
      'links_lost',
    );
    // Nothing moved: the version in force is still in force.
    expect((await current()).id).toBe(v.id);

    expectStatus(await publish(imported.versionId, true), 200);
    expect((await current()).id).toBe(imported.versionId);
    const [audit] = await q<{ after: { lost: { kind: string; code: string }[] } }>(sql`
      select after from audit_log where action = 'framework_version.publish'
      order by id desc limit 1`);
    expect(audit!.after.lost.some((l) => l.kind === 'question' && l.code === linked!.code)).toBe(
      true,
    );
  });

  it('a draft copied from the version in force and given a new code re-points the check items', async () => {
    const v = await current();
    const tr: TFrameworkTree = await tree(office, v.id);
    const [used] = await q<{ code: string }>(sql`select distinct c as code
      from point_types pt, jsonb_array_elements(pt.checklist) item,
        jsonb_array_elements_text(item->'standards') c
      where c in (select code from framework_nodes where version_id = ${v.id})
      order by code limit 1`);
    const node = tr.items
      .flatMap((i) => i.children)
      .flatMap((c) => c.children)
      .find((s) => s.code === used!.code)!;
    const edit = await office.patch(`/api/framework-versions/${v.id}/nodes/${node.id}`, {
      version: node.version,
      code: `${used!.code}X`,
    });
    const draftId = expectStatus(edit, 200).json<{ versionId: number }>().versionId;
    const p = await preview(draftId);
    expect(p.standards.changed).toEqual([
      expect.objectContaining({ code: `${used!.code}X`, fields: ['code'] }),
    ]);
    expect(p.lost).toEqual([]);
    const scoreBefore = figures(await projection());
    expectStatus(await publish(draftId), 200);
    const codes = await q<{ n: number }>(sql`select count(*)::int as n
      from point_types pt, jsonb_array_elements(pt.checklist) item,
        jsonb_array_elements_text(item->'standards') c where c = ${used!.code}`);
    expect(codes[0]!.n).toBe(0);
    const after = figures(await projection());
    expect(after.total).toBe(scoreBefore.total);
    expect(after.parts).toEqual(scoreBefore.parts);
  });

  it('the preview is for drafts, for the office only', async () => {
    const v = await current();
    const res = await office.get(`/api/framework-versions/${v.id}/publish-preview`);
    expectStatus(res, 409);
    const unit = await t.login('unit', DEMO_PASSWORD);
    expectStatus(await unit.get(`/api/framework-versions/${v.id}/publish-preview`), 403);
    expectStatus(await office.get(`/api/framework-versions/999999/publish-preview`), 404);
  });
});
