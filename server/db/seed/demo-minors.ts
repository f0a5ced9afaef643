import { eq, sql } from 'drizzle-orm';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import type { FrameworkData, ItemData } from '../../../core/frameworks/data.js';
import { writeContent } from '../../modules/frameworks/framework-files.js';
import * as repo from '../../modules/frameworks/frameworks.repo.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import { execRows, type Database } from '../client.js';
import { campaigns, evidenceDossiers, frameworks, users } from '../schema/index.js';
import { DEMO_CAMPAIGN } from './demo-framework.js';

export const DEMO_MINORS_NAME = '未成年人思想道德建设工作测评体系（演示）';

// The 未成年人思想道德建设测评 beside the city's framework: scored on 100 separately, it counts
// 20 % of the total and a city under 85 cannot apply (BRIEF §1.1). Five projects as the version in
// force c. 2020 has (BRIEF §1.1: 5 项目); the wording and the ten standards are our own, judged
// from material here for brevity (the real test also inspects schools and 网吧 and asks pupils).
const std = (code: string, text: string): ItemData['contents'][number]['standards'][number] => ({
  code,
  text,
  guidance: null,
  method: 'material',
  maxScore: 10,
  evidence: ['工作方案', '活动记录和图片'],
  unitHints: [],
});
const ITEMS: ItemData[] = [
  [
    'W1',
    '思想道德教育',
    '理想信念教育',
    ['开展“扣好人生第一粒扣子”主题教育', '社会主义核心价值观融入课堂教学'],
  ],
  [
    'W2',
    '活动阵地建设',
    '校外活动场所',
    ['青少年宫、乡村学校少年宫常态化开放', '新时代文明实践站（所）开展未成年人活动'],
  ],
  [
    'W3',
    '成长环境优化',
    '校园及周边',
    ['校园周边200米内无网吧、歌舞娱乐场所', '网吧落实禁止未成年人进入制度'],
  ],
  [
    'W4',
    '家庭教育',
    '家校社协同',
    ['家长学校覆盖城乡中小学和幼儿园', '关爱农村留守儿童和困境儿童'],
  ],
  [
    'W5',
    '组织领导',
    '工作机制',
    ['纳入文明城市创建总体规划，定期研究部署', '经费保障和考核评价机制健全'],
  ],
].map(([code, item, content, texts]) => ({
  code: code as string,
  text: item as string,
  contents: [
    {
      code: `${code as string}.1`,
      text: content as string,
      standards: (texts as string[]).map((t, i) => std(`${code as string}.1.${i + 1}`, t)),
    },
  ],
}));
/** The demo's grades this year: eight A and two B → 96 of 100, over the gate of 85. */
const GRADE: Record<string, 'A' | 'B'> = { 'W2.1.2': 'B', 'W4.1.1': 'B' };

/**
 * The demo campaign's second framework, the minors' test (share 20 %, gate 85), with this year's
 * dossiers approved; the city framework takes the other 80 %. So the projection shows the
 * combined score and the gate. Idempotent; nothing happens without the demo campaign.
 */
export async function seedDemoMinors(
  database: Database,
  now = new Date(),
): Promise<{ seeded: boolean; standards: number; dossiers: number }> {
  return withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727019)`);
    const [campaign] = await tx
      .select()
      .from(campaigns)
      .where(eq(campaigns.name, DEMO_CAMPAIGN.name));
    if (!campaign) return { seeded: false, standards: 0, dossiers: 0 };
    const fws = await repo.listFrameworks(tx, [campaign.id]);
    if (fws.some((f) => f.name === DEMO_MINORS_NAME) || fws.length === 0) {
      return { seeded: false, standards: 0, dossiers: 0 };
    }
    const city = fws[0]!;
    await tx
      .update(frameworks)
      .set({ rules: { ...city.rules, share: 80 } })
      .where(eq(frameworks.id, city.id));
    const frameworkId = await repo.insertFramework(tx, {
      campaignId: campaign.id,
      name: DEMO_MINORS_NAME,
      level: 'prefecture',
      edition: 'demo-0.1',
      rules: { share: 20, gate: 85 },
      position: 1,
    });
    const version = await repo.insertVersion(tx, {
      frameworkId,
      number: 1,
      status: 'published',
      basedOnId: null,
      source: { meta: {}, scoring: null, sections: {}, levelInFile: false },
      publishedAt: now,
    });
    const data: FrameworkData = {
      items: ITEMS,
      negativeItems: [],
      source: { meta: {}, scoring: null, sections: {}, levelInFile: false },
    };
    await writeContent(tx, version.id, data, []);
    const [office] = await tx.select().from(users).where(eq(users.username, 'office'));
    const year = Math.min(
      campaign.cycleStartYear + campaign.cycleYears - 1,
      Math.max(campaign.cycleStartYear, Number(shanghaiDate(now).slice(0, 4))),
    );
    const keys = await execRows<{ key: string; code: string }>(
      tx,
      sql`select key, code from framework_nodes where version_id = ${version.id} and kind = 'standard'`,
    );
    const rows = keys.map((k) => ({
      frameworkId,
      standardKey: k.key,
      year,
      state: 'approved' as const,
      statement: '演示数据：材料已由市文明办线下审核。',
      grade: GRADE[k.code] ?? ('A' as const),
      reviewComment: '演示',
      submittedAt: now,
      reviewedAt: now,
      reviewedBy: office?.id ?? null,
    }));
    await tx.insert(evidenceDossiers).values(rows);
    const out = { seeded: true, standards: rows.length, dossiers: rows.length };
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_minors',
      entityType: 'framework',
      entityId: frameworkId,
      after: out,
    });
    return out;
  });
}
