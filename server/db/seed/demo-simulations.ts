import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { shanghaiDate, startOfShanghaiDay } from '../../../core/calendar/working-days.js';
import type { TAnswerQuality } from '../../../core/inspection/simulation.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import { execRows, type Database } from '../client.js';
import { simulationChecks, simulationTargets } from '../schema/index.js';

/**
 * Demo 实景模拟验证 (invented): a target for each simulation standard of the demo framework — 12348
 * (I3.2.1, 司法局) and 12315 (I5.3.2, 市场监管局) — and a handful of calls the demo inspector made
 * over the last weeks, with mixed results. The demo city has no inspection round, so the calls are
 * dated, not in a round; they are relative to the day of seeding, so the projection of this year
 * always shows them (12348: pass, late, partly, pass → 62.5 %; 12315: pass, not answered, pass,
 * and one awaiting its call-back → 66.7 %).
 */
const DEMO_TARGETS: {
  code: string;
  unit: string;
  name: string;
  contact: string;
  maxRings: number;
  callbackDays: number | null;
  script: string;
  calls: {
    daysAgo: number;
    answered: boolean;
    rings?: number;
    waitSeconds?: number;
    answer?: TAnswerQuality;
    callbackPromised?: boolean;
    callbackOnTime?: boolean | null;
    notes: string;
  }[];
}[] = [
  {
    code: 'I3.2.1',
    unit: 'SZF-SFJ',
    name: '12348 公共法律服务热线',
    contact: '12348',
    maxRings: 5,
    callbackDays: null,
    script: '咨询：公司拖欠工资三个月，如何申请法律援助？需要带哪些材料？',
    calls: [
      {
        daysAgo: 20,
        answered: true,
        rings: 2,
        answer: 'yes',
        notes: '告知可到市法律援助中心申请，所需材料讲解完整',
      },
      {
        daysAgo: 13,
        answered: true,
        rings: 7,
        answer: 'yes',
        notes: '响铃约 35 秒才接通，答复准确',
      },
      {
        daysAgo: 6,
        answered: true,
        rings: 3,
        answer: 'partly',
        notes: '申请条件讲对，未提及经济困难证明',
      },
      { daysAgo: 2, answered: true, rings: 1, answer: 'yes', notes: '接听及时，答复规范' },
    ],
  },
  {
    code: 'I5.3.2',
    unit: 'SZF-SCJ',
    name: '12315 消费维权热线',
    contact: '12315',
    maxRings: 5,
    // 《市场监督管理投诉举报处理暂行办法》: acceptance decided and told within 7 working days (a
    // regulation we know of, not in BRIEF; the office checks it against its own rules).
    callbackDays: 7,
    script: '投诉：在本市超市购买的预包装食品已过保质期，商家拒绝退换，请求处理并回复',
    calls: [
      {
        daysAgo: 18,
        answered: true,
        waitSeconds: 12,
        answer: 'yes',
        callbackPromised: true,
        callbackOnTime: true,
        notes: '次日接到回复电话，投诉已受理',
      },
      {
        daysAgo: 15,
        answered: true,
        rings: 4,
        answer: 'yes',
        notes: '当场告知投诉渠道和所需凭证',
      },
      { daysAgo: 9, answered: false, notes: '工作日上午连拨两次无人接听' },
      {
        daysAgo: 1,
        answered: true,
        rings: 2,
        answer: 'yes',
        callbackPromised: true,
        callbackOnTime: null,
        notes: '登记投诉，承诺 7 个工作日内回复',
      },
    ],
  },
];

/** Seeds the demo targets and calls once, into the demo framework in force; a no-op otherwise. */
export async function seedDemoSimulations(database: Database, now = new Date()): Promise<number> {
  return withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727006)`);
    const [any] = await execRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from simulation_targets`,
    );
    if (any!.n > 0) return 0;
    const [inspector] = await execRows<{ id: number; name: string }>(
      tx,
      sql`select id, name from users where username = 'inspector'`,
    );
    // Calls of this year only (seeded in early January, the first days of the year stand in).
    const yearStart = startOfShanghaiDay(`${shanghaiDate(now).slice(0, 4)}-01-01`).getTime();
    let n = 0;
    let checks = 0;
    for (const d of DEMO_TARGETS) {
      const [hit] = await execRows<{ framework_id: number; key: string; unit_id: number | null }>(
        tx,
        sql`select v.framework_id, s.key, (select id from units where code = ${d.unit}) as unit_id
            from framework_nodes s join framework_versions v on v.id = s.version_id
            where v.status = 'published' and s.kind = 'standard' and s.code = ${d.code}
              and s.method = 'simulation'
            order by v.id limit 1`,
      );
      if (!hit || hit.unit_id === null) continue;
      const [target] = await tx
        .insert(simulationTargets)
        .values({
          frameworkId: Number(hit.framework_id),
          standardKey: hit.key,
          name: d.name,
          contact: d.contact,
          unitId: Number(hit.unit_id),
          maxRings: d.maxRings,
          requireCorrect: true,
          callbackDays: d.callbackDays,
          script: d.script,
        })
        .returning();
      const rows = d.calls.map((c, i) => {
        // 10:00 Shanghai on the day, never before the year began nor after now.
        const day = startOfShanghaiDay(
          shanghaiDate(new Date(now.getTime() - c.daysAgo * 86_400_000)),
        );
        const at = Math.min(
          Math.max(day.getTime() + 10 * 3_600_000, yearStart + (i + 1) * 60_000),
          now.getTime() - (d.calls.length - i) * 60_000,
        );
        return {
          clientId: randomUUID(),
          targetId: target!.id,
          calledAt: new Date(at),
          callerName: inspector?.name ?? '测评员',
          answered: c.answered,
          rings: c.rings ?? null,
          waitSeconds: c.waitSeconds ?? null,
          answer: c.answer ?? null,
          callbackPromised: c.callbackPromised ?? null,
          callbackOnTime: c.callbackOnTime ?? null,
          notes: c.notes,
          recordedBy: inspector ? Number(inspector.id) : null,
        };
      });
      await tx.insert(simulationChecks).values(rows);
      checks += rows.length;
      n++;
    }
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_simulations',
      entityType: 'simulation_target',
      entityId: 0,
      after: { targets: n, checks },
    });
    return n;
  });
}
