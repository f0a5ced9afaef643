import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { buildUser } from '../factories.js';
import { testJpeg } from '../images.js';
import { minimalPdf } from '../pdf.js';
import type { Agent, Res, TestApp } from '../harness.js';

/**
 * 任务分解 and 档案资料 in two districts (issue #20): a published framework with one material
 * standard led by a unit of R1 and one led by a unit of R2, each with an indicator, a progress
 * report (with a photo), a dossier with a file, and working groups. Every record of R2's side
 * carries `乙区标记` in its name, so a district office's answers can be searched for it (the
 * standards' texts are the framework's, which everyone reads: they carry no mark).
 */
export interface DossierSide {
  standardKey: string;
  standardId: number;
  assignmentId: number;
  indicatorId: number;
  /** The stored file of the dossier's one document. */
  evidenceFileId: string;
  /** The photo attached to the progress report. */
  reportFileId: string;
  unit: Agent;
}

export interface DossierWorld {
  year: number;
  campaignId: number;
  frameworkId: number;
  versionId: number;
  r1: DossierSide;
  r2: DossierSide;
  /** 甲乙联合工作组: a group with a unit of each district. */
  sharedGroupId: number;
}

/** The names R2's records carry (none may reach an office of R1). */
export const DOSSIER_R2_MARKERS = [
  '乙区标记任务',
  '乙区标记责任人',
  '乙区标记指标',
  '乙区标记进度',
  '乙区标记档案',
  '乙区标记工作组',
];

export const DOSSIER_YEAR = 2026;

function ok<T>(res: Res, status = 200): T {
  expect(res.statusCode, res.body).toBe(status);
  return res.json<T>();
}

/** Uploads a document into a dossier as a unit does (multipart with the document's date). */
export async function uploadEvidence(
  t: TestApp,
  agent: Agent,
  url: string,
  title: string,
): Promise<Res> {
  const boundary = `----cc${randomBytes(8).toString('hex')}`;
  const field = (k: string, v: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const payload = Buffer.concat([
    field('docDate', `${DOSSIER_YEAR}-06-01`),
    field('title', title),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="doc.pdf"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    minimalPdf(title),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url,
    headers: {
      cookie: agent.cookie,
      'x-csrf-token': agent.csrf,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload,
  });
}

export async function buildDossierWorld(
  t: TestApp,
  city: Agent,
  units: { a: number; b: number },
): Promise<DossierWorld> {
  const campaign = ok<{ id: number }>(
    await city.post('/api/campaigns', {
      name: '分级档案周期',
      cycleStartYear: DOSSIER_YEAR,
      cycleYears: 1,
      cycleWeights: [100],
      methodWeights: { material: 40, field: 40, survey: 20 },
      surveyFloor: { enabled: false, minRate: 80, effect: 'veto', points: 0 },
    }),
    201,
  );
  const fw = ok<{ id: number; draftVersionId: number }>(
    await city.post('/api/frameworks', {
      campaignId: campaign.id,
      name: '分级档案测评体系',
      level: 'prefecture',
    }),
    201,
  );
  const v = fw.draftVersionId;
  const node = async (body: Record<string, unknown>) =>
    ok<{ id: number }>(await city.post(`/api/framework-versions/${v}/nodes`, body));
  const item = await node({ kind: 'item', parentId: null, text: '分级档案项目' });
  const content = await node({ kind: 'content', parentId: item.id, text: '分级档案内容' });
  for (const text of ['第一项材料标准', '第二项材料标准']) {
    await node({ kind: 'standard', parentId: content.id, text, method: 'material', maxScore: 2 });
  }
  const tree = ok<{
    items: { children: { children: { id: number; key: string; text: string }[] }[] }[];
  }>(await city.get(`/api/framework-versions/${v}/tree`));
  const standards = tree.items[0]!.children[0]!.children;
  const standard = (text: string) => standards.find((s) => s.text === text)!;
  const assign = async (standardId: number, unitId: number, mark: string) =>
    ok<{ id: number }>(
      await city.post(`/api/framework-versions/${v}/assignments`, {
        standardId,
        leadUnitId: unitId,
        responsibleUnitIds: [],
        leaderName: `${mark}责任人`,
        notes: `${mark}任务备注`,
        dueDate: `${DOSSIER_YEAR}-01-15`,
      }),
      201,
    ).id;
  const s1 = standard('第一项材料标准');
  const s2 = standard('第二项材料标准');
  const a1 = await assign(s1.id, units.a, '甲区');
  const a2 = await assign(s2.id, units.b, '乙区标记');
  const framework = ok<{ versions: { id: number; version: number }[] }>(
    await city.get(`/api/frameworks/${fw.id}`),
  );
  const draft = framework.versions.find((x) => x.id === v)!;
  ok(await city.post(`/api/framework-versions/${v}/publish`, { version: draft.version }));

  const indicator = async (name: string, standardKey: string, unitId: number) =>
    ok<{ id: number }>(
      await city.post('/api/indicators', {
        frameworkId: fw.id,
        standardKey,
        name,
        measure: '%',
        target: 90,
        direction: 'gte',
        period: 'month',
        startPeriod: `${DOSSIER_YEAR}-01`,
        responsibleUnitId: unitId,
      }),
      201,
    ).id;

  const side = async (
    s: { id: number; key: string },
    assignmentId: number,
    unitId: number,
    names: { indicator: string; report: string; file: string },
  ): Promise<DossierSide> => {
    const u = await buildUser(t.database.db, { roles: ['unit'], unitId });
    const unit = await t.login(u.username);
    const photo = ok<{ id: string }>(
      await unit.upload('/api/files', await testJpeg(), 'progress.jpg'),
      201,
    );
    ok(
      await unit.post(`/api/assignments/${assignmentId}/reports`, {
        status: 'in_progress',
        text: names.report,
        fileIds: [photo.id],
      }),
      201,
    );
    const dossier = ok<{ files: { fileId: string }[] }>(
      await uploadEvidence(
        t,
        unit,
        `/api/evidence/${fw.id}/${DOSSIER_YEAR}/${s.key}/files`,
        names.file,
      ),
      201,
    );
    return {
      standardKey: s.key,
      standardId: s.id,
      assignmentId,
      indicatorId: await indicator(names.indicator, s.key, unitId),
      evidenceFileId: dossier.files[0]!.fileId,
      reportFileId: photo.id,
      unit,
    };
  };
  const r1 = await side(s1, a1, units.a, {
    indicator: '甲区指标',
    report: '甲区进度正常',
    file: '甲区档案文件',
  });
  const r2 = await side(s2, a2, units.b, {
    indicator: '乙区标记指标',
    report: '乙区标记进度',
    file: '乙区标记档案',
  });
  const group = async (name: string, unitIds: number[]) =>
    ok<{ id: number }>(
      await city.post('/api/working-groups', {
        campaignId: campaign.id,
        name,
        unitIds,
        standards: [{ frameworkId: fw.id, standardKey: s2.key }],
      }),
      201,
    ).id;
  await group('乙区标记工作组', [units.b]);
  const sharedGroupId = await group('甲乙联合工作组', [units.a, units.b]);
  return {
    year: DOSSIER_YEAR,
    campaignId: campaign.id,
    frameworkId: fw.id,
    versionId: v,
    r1,
    r2,
    sharedGroupId,
  };
}
