import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDossier } from '../../../core/contracts/evidence.js';
import type { TProblemDetail } from '../../../core/contracts/problems.js';
import { execRows } from '../../db/client.js';
import {
  activityPhotos,
  frontageDuties,
  indicators,
  indicatorValues,
  pledges,
  assignmentReports,
  volunteerActivities,
} from '../../db/schema/index.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { seedPointTypes } from '../../db/seed/demo-points.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import { minimalPdf } from '../../test/pdf.js';

// Issue #16: a file is readable only by someone who may read one of the records it belongs to
// (with that record's permission and scope), by its uploader while it belongs to nothing, and by
// an administrator. Checked for every kind of owner, on the photo and on its thumbnail.

let t: TestApp;
const who: Record<string, Agent> = {};
/** Per owner kind: the file and who may (200) and may not (404) read it. */
const cases: { kind: string; fileId: string; allowed: string[]; denied: string[] }[] = [];

const PDF = minimalPdf();

async function photo(agent: Agent, color = '#336699'): Promise<string> {
  const res = await agent.upload('/api/files', await testJpeg({ color }), 'p.jpg');
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

function evidenceUpload(agent: Agent, url: string, name: string, data: Buffer) {
  const boundary = `----cc${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="docDate"\r\n\r\n2026-06-01\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    data,
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

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
  await seedPointTypes(t.database);
  const rA = await buildRegion(db, { name: '甲社区', level: 'community' });
  const rB = await buildRegion(db, { name: '乙社区', level: 'community' });
  const uA = await buildUnit(db, { name: '甲单位' });
  const uB = await buildUnit(db, { name: '乙单位' });
  await buildUser(db, { username: 'fa_unitA', roles: ['unit'], unitId: uA.id });
  await buildUser(db, { username: 'fa_unitB', roles: ['unit'], unitId: uB.id });
  await buildUser(db, { username: 'fa_gridA', roles: ['grid_worker'], regionId: rA.id });
  await buildUser(db, { username: 'fa_gridB', roles: ['grid_worker'], regionId: rB.id });
  // The tester's case: a surveyor of the problem's own region, without the problem permission.
  await buildUser(db, { username: 'fa_survA', roles: ['surveyor'], regionId: rA.id });
  const insp = await buildUser(db, { username: 'fa_insp', roles: ['inspector'] });
  await buildUser(db, { username: 'fa_vol', roles: ['volunteer'] });
  for (const u of ['fa_unitA', 'fa_unitB', 'fa_gridA', 'fa_gridB', 'fa_survA', 'fa_insp', 'fa_vol'])
    who[u.slice(3)] = await t.login(u);
  for (const u of ['admin', 'office', 'leader']) who[u] = await t.login(u, DEMO_PASSWORD);
  const office = who.office!;
  const unitA = who.unitA!;

  // 1. A problem's photo: the problem lies in region A and is unit A's to fix.
  const cats = (await office.get('/api/problem-categories')).json().items as {
    id: number;
    parentId: number | null;
  }[];
  const categoryId = cats.find((c) => c.parentId !== null)!.id;
  const mkProblem = async (title: string, photoId: string) => {
    const res = await office.post('/api/problems', { title, categoryId, photoIds: [photoId] });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<TProblemDetail>().problem.id;
  };
  const problemPhoto = await photo(office);
  const p = await mkProblem('甲社区的问题', problemPhoto);
  await execRows(
    db,
    sql`update problems set region_id = ${rA.id}, unit_id = ${uA.id} where id = ${p}`,
  );
  cases.push({
    kind: 'problem photo',
    fileId: problemPhoto,
    allowed: ['office', 'leader', 'admin', 'unitA', 'gridA'],
    denied: ['survA', 'unitB', 'gridB', 'insp', 'vol'],
  });
  // A duplicate in region B, merged into it: its photo is shown (linked) in the primary's gallery.
  const dupPhoto = await photo(office, '#993366');
  const dup = await mkProblem('乙社区的重复问题', dupPhoto);
  await execRows(
    db,
    sql`update problems set region_id = ${rB.id}, unit_id = ${uB.id}, merged_into_id = ${p},
               state = 'merged' where id = ${dup}`,
  );
  await execRows(
    db,
    sql`insert into problem_photos (problem_id, file_id, stage, linked)
        values (${p}, ${dupPhoto}, 'before', true)`,
  );
  cases.push({
    kind: 'merged duplicate photo',
    fileId: dupPhoto,
    allowed: ['unitA', 'gridA', 'unitB', 'gridB', 'office'],
    denied: ['survA', 'insp', 'vol'],
  });

  // 2. An evidence file (档案资料) of a material standard unit A leads.
  const [std] = await execRows<{
    framework_id: number;
    version_id: number;
    id: number;
    key: string;
  }>(
    db,
    sql`select v.framework_id, v.id as version_id, n.id, n.key
          from framework_nodes n
          join framework_versions v on v.id = n.version_id and v.status = 'published'
         where n.method = 'material' order by n.id limit 1`,
  );
  const fw = Number(std!.framework_id);
  const assigned = await office.post(`/api/framework-versions/${std!.version_id}/assignments`, {
    standardId: Number(std!.id),
    leadUnitId: uA.id,
    responsibleUnitIds: [],
  });
  expect(assigned.statusCode, assigned.body).toBe(201);
  const up = await evidenceUpload(
    unitA,
    `/api/evidence/${fw}/2026/${std!.key}/files`,
    'a.pdf',
    PDF,
  );
  expect(up.statusCode, up.body).toBe(201);
  cases.push({
    kind: 'evidence file',
    fileId: up.json<TDossier>().files[0]!.fileId,
    allowed: ['office', 'leader', 'admin', 'unitA'],
    denied: ['unitB', 'survA', 'gridA', 'insp', 'vol'],
  });

  // 3. A photo of an inspection visit to a point of unit A in region A (an open, mock round).
  const [point] = await execRows<{ id: number }>(
    db,
    sql`insert into points (name, type_id, region_id, unit_id, lat, lng)
        select '甲农贸市场', id, ${rA.id}, ${uA.id}, 30.27, 120.15
        from point_types where code = 'P03' returning id`,
  );
  const round = await office.post('/api/rounds', {
    name: '文件权限测评',
    kind: 'mock',
    plan: [{ type: 'P03', mode: 'all' }],
    inspectorIds: [insp.id],
  });
  expect(round.statusCode, round.body).toBe(201);
  const roundId = round.json().id as number;
  await office.post(`/api/rounds/${roundId}/commit`);
  expect((await office.post(`/api/rounds/${roundId}/draw`)).statusCode).toBe(200);
  const visitPhoto = await photo(who.insp!, '#0a0a0a');
  const visit = await who.insp!.post('/api/visits', {
    clientId: randomUUID(),
    roundId,
    pointId: Number(point!.id),
    items: [...'ppppppp'].map((_, index) => ({
      index,
      result: 'pass',
      ...(index === 0 ? { photoIds: [visitPhoto] } : {}),
    })),
    visitedAt: new Date().toISOString(),
  });
  expect(visit.statusCode, visit.body).toBe(201);
  cases.push({
    kind: 'inspection visit photo',
    fileId: visitPhoto,
    allowed: ['insp', 'unitA', 'gridA', 'office', 'leader'],
    denied: ['unitB', 'gridB', 'survA', 'vol'],
  });

  // 4. A volunteer activity's photo: whoever reads the registry or serves.
  const activityPhoto = await photo(office, '#aa00aa');
  const [activity] = await db
    .insert(volunteerActivities)
    .values({
      title: '清洁家园',
      startsAt: new Date(Date.now() - 7_200_000),
      endsAt: new Date(Date.now() - 3_600_000),
      capacity: 10,
    })
    .returning();
  await db.insert(activityPhotos).values({ activityId: activity!.id, fileId: activityPhoto });
  cases.push({
    kind: 'volunteer activity photo',
    fileId: activityPhoto,
    allowed: ['vol', 'unitA', 'office', 'leader'],
    denied: ['survA', 'gridA', 'insp'],
  });

  // 5. Unit A's signed pledge (目标责任书).
  const scan = await photo(unitA, '#123456');
  const [campaign] = await execRows<{ campaign_id: number }>(
    db,
    sql`select campaign_id from frameworks where id = ${fw}`,
  );
  await db.insert(pledges).values({
    campaignId: Number(campaign!.campaign_id),
    unitId: uA.id,
    status: 'signed',
    signedFileId: scan,
  });
  cases.push({
    kind: 'pledge scan',
    fileId: scan,
    allowed: ['unitA', 'office', 'leader'],
    denied: ['unitB', 'survA', 'gridA', 'vol'],
  });

  // 6. A frontage duty holder's agreement (门前三包): whoever reads units.
  const frontage = await photo(office, '#654321');
  await db.insert(frontageDuties).values({
    code: 'MQ-FA-1',
    holderName: '甲商户',
    holderType: 'shop',
    zone: { type: 'Point', coordinates: [120.15, 30.27] },
    minLat: 30.27,
    minLng: 120.15,
    maxLat: 30.27,
    maxLng: 120.15,
    agreementFileId: frontage,
  });
  cases.push({
    kind: 'frontage agreement',
    fileId: frontage,
    allowed: ['unitB', 'survA', 'gridA', 'office'],
    denied: ['vol'],
  });

  // 7. An indicator value's attachment: unit A is responsible for the indicator.
  const indicatorFile = await photo(unitA, '#0000aa');
  const [ind] = await db
    .insert(indicators)
    .values({
      frameworkId: fw,
      standardKey: std!.key,
      name: '路灯亮灯率',
      measure: '%',
      target: 95,
      direction: 'gte',
      period: 'month',
      startPeriod: '2026-01',
      responsibleUnitId: uA.id,
    })
    .returning();
  await db.insert(indicatorValues).values({
    indicatorId: ind!.id,
    period: '2026-01',
    value: 97,
    fileIds: [indicatorFile],
    clientId: randomUUID(),
  });
  cases.push({
    kind: 'indicator value attachment',
    fileId: indicatorFile,
    allowed: ['unitA', 'office', 'leader'],
    denied: ['unitB', 'survA', 'gridA', 'vol'],
  });

  // 8. An assignment report's attachment (任务进展): unit A reported on its assignment.
  const reportFile = await photo(unitA, '#00aaaa');
  await db.insert(assignmentReports).values({
    frameworkId: fw,
    standardKey: std!.key,
    unitId: uA.id,
    status: 'in_progress',
    text: '进展顺利',
    fileIds: [reportFile],
  });
  cases.push({
    kind: 'assignment report attachment',
    fileId: reportFile,
    allowed: ['unitA', 'office', 'leader'],
    denied: ['unitB', 'survA', 'gridA', 'vol'],
  });

  // 9. An upload that belongs to nothing yet: its uploader and an administrator only.
  cases.push({
    kind: 'unattached upload',
    fileId: await photo(unitA, '#aaaa00'),
    allowed: ['unitA', 'admin'],
    denied: ['office', 'leader', 'unitB', 'gridA'],
  });
}, 120_000);
afterAll(() => t?.close());

describe('file access follows the owner record', () => {
  it('grants the photo and its thumbnail exactly to those who may read an owner', async () => {
    const wrong: string[] = [];
    for (const c of cases) {
      for (const [list, expected] of [
        [c.allowed, 200],
        [c.denied, 404],
      ] as const) {
        for (const name of list) {
          for (const tail of ['', '/thumb']) {
            const res = await who[name]!.get(`/api/files/${c.fileId}${tail}`);
            if (res.statusCode !== expected)
              wrong.push(
                `${c.kind}: ${name} ${tail || 'full'} → ${res.statusCode}, not ${expected}`,
              );
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers a file nobody owns like one that does not exist, and asks who is asking', async () => {
    const res = await who.office!.get(`/api/files/${randomUUID()}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.messageZh).toContain('文件');
    const anon = await t.app.inject({ method: 'GET', url: `/api/files/${cases[0]!.fileId}` });
    expect(anon.statusCode).toBe(401);
  });
});
