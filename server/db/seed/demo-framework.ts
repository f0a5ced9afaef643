import { DEFAULT_SURVEY_CURVE } from '../../../core/scoring/rules.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { AssignmentData } from '../../../core/frameworks/data.js';
import { parseFrameworkDoc } from '../../../core/frameworks/json-doc.js';
import { PACKAGE_ROOT } from '../../config.js';
import * as arepo from '../../modules/frameworks/assignments.repo.js';
import { writeContent } from '../../modules/frameworks/framework-files.js';
import * as repo from '../../modules/frameworks/frameworks.repo.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import type { Database } from '../client.js';
import { campaigns, regions } from '../schema/index.js';
import { DEMO_CITY } from './demo-city.data.js';

export const DEMO_FRAMEWORK_FILE = path.join(
  PACKAGE_ROOT,
  'server',
  'db',
  'seed',
  'demo-framework.json',
);
export const DEMO_CAMPAIGN = {
  name: '示范市创建全国文明城市（2026—2028年）',
  cycleStartYear: 2026,
  cycleYears: 3,
};

export interface FrameworkSeedResult {
  seeded: boolean;
  standards: number;
  assignments: number;
}

/**
 * The demo campaign with the demo framework (demo-framework.json) in force as v1, and a 任务分解
 * drawn from the unit types the file names for each standard: the first that names a unit of the
 * demo city leads, the other such units share the work; generic names (各街道, 物业公司…) stay hints.
 * Idempotent: nothing happens once any campaign exists, or where the demo city was not seeded.
 */
export async function seedDemoFramework(database: Database): Promise<FrameworkSeedResult> {
  const parsed = parseFrameworkDoc(JSON.parse(readFileSync(DEMO_FRAMEWORK_FILE, 'utf8')));
  if (!parsed.ok) throw new Error(`demo framework is invalid: ${JSON.stringify(parsed.errors)}`);
  const doc = parsed.doc;
  return withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727004)`);
    const [c] = await tx.select({ n: sql<number>`count(*)::int` }).from(campaigns);
    // Only into the demo city, and only once.
    const [city] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(regions)
      .where(eq(regions.code, DEMO_CITY.code));
    if (c!.n > 0 || city!.n === 0) return { seeded: false, standards: 0, assignments: 0 };
    const campaignId = await repo.insertCampaign(tx, {
      ...DEMO_CAMPAIGN,
      cycleWeights: doc.scoring.cycleWeights ?? [15, 25, 60],
      methodWeights: doc.scoring.methodWeights ?? { material: 40, field: 40, survey: 20 },
      surveyFloor: doc.scoring.surveyFloor ?? {
        enabled: true,
        minRate: 80,
        effect: 'veto',
        points: 0,
      },
      surveyCurve: doc.scoring.surveyCurve ?? DEFAULT_SURVEY_CURVE,
      cyclePreset: 'prefecture',
    });
    const frameworkId = await repo.insertFramework(tx, {
      campaignId,
      name: '全国文明城市测评体系（演示）',
      level: doc.level ?? 'prefecture',
      edition: doc.edition,
      position: 0,
    });
    const version = await repo.insertVersion(tx, {
      frameworkId,
      number: 1,
      status: 'published',
      basedOnId: null,
      source: doc.data.source,
      publishedAt: new Date(),
    });
    const match = await arepo.directoryMatcher(tx);
    const tasks: AssignmentData[] = [];
    let standards = 0;
    for (const item of doc.data.items) {
      for (const content of item.contents) {
        for (const s of content.standards) {
          standards++;
          const ids: number[] = [];
          for (const hint of s.unitHints) {
            const m = match(hint);
            if (m.ok && !ids.includes(m.unit.id)) ids.push(m.unit.id);
          }
          if (ids.length === 0) continue;
          tasks.push({
            row: tasks.length + 1,
            standardCode: s.code,
            leadUnitId: ids[0]!,
            responsibleUnitIds: ids.slice(1),
            leaderName: null,
            dueDate: null,
            dueText: '长期坚持',
            notes: null,
          });
        }
      }
    }
    const assignments = await writeContent(tx, version.id, doc.data, tasks);
    const out = { seeded: true, standards, assignments };
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_framework',
      entityType: 'campaign',
      entityId: campaignId,
      after: out,
    });
    return out;
  });
}
