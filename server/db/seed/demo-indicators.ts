import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
  periodFromOrdinal,
  periodOf,
  periodOrdinal,
  type TIndicatorPeriod,
} from '../../../core/frameworks/indicators.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import { execRows, type Database } from '../client.js';
import { indicators, indicatorValues } from '../schema/index.js';

/**
 * Demo 硬性指标 on the demo framework, each with values for the periods before now (relative to the
 * day of seeding, so the demo always has a trend, a missing period and one failing indicator).
 * `values[k]` is the value of the k-th period from the start; null leaves that period missing.
 */
const DEMO_INDICATORS: {
  code: string;
  name: string;
  measure: string;
  target: number;
  direction: 'gte' | 'lte';
  period: TIndicatorPeriod;
  unit: string;
  values: (number | null)[];
}[] = [
  {
    code: 'I4.3.1',
    name: '路灯亮灯率',
    measure: '%',
    target: 95,
    direction: 'gte',
    period: 'month',
    unit: 'SZF-CGJ',
    values: [93.5, 94.2, 95.1, 96, 95.6, null],
  },
  {
    code: 'I4.2.1',
    name: '电动自行车头盔佩戴率',
    measure: '%',
    target: 70,
    direction: 'gte',
    period: 'month',
    unit: 'SZF-JJZD',
    values: [62, 65, 68, 71, 69, 66],
  },
  {
    code: 'I2.2.1',
    name: '注册志愿者占常住人口比例',
    measure: '%',
    target: 13,
    direction: 'gte',
    period: 'quarter',
    unit: 'SW-WMB',
    values: [11.8, 12.6, 13.2],
  },
  {
    code: 'I6.2.1',
    name: '空气质量优良天数比例',
    measure: '%',
    target: 85,
    direction: 'gte',
    period: 'month',
    unit: 'SZF-STHJ',
    values: [82, 88, 91, 86, 84, 87],
  },
];

/** Seeds the demo indicators once, into the demo framework in force; a no-op otherwise. */
export async function seedDemoIndicators(database: Database, now = new Date()): Promise<number> {
  return withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727005)`);
    const [any] = await execRows<{ n: number }>(tx, sql`select count(*)::int as n from indicators`);
    if (any!.n > 0) return 0;
    let n = 0;
    for (const d of DEMO_INDICATORS) {
      const [hit] = await execRows<{ framework_id: number; key: string; unit_id: number | null }>(
        tx,
        sql`select v.framework_id, s.key, (select id from units where code = ${d.unit}) as unit_id
            from framework_nodes s join framework_versions v on v.id = s.version_id
            where v.status = 'published' and s.kind = 'standard' and s.code = ${d.code}
            order by v.id limit 1`,
      );
      if (!hit || hit.unit_id === null) continue;
      const current = periodOrdinal(periodOf(now, d.period), d.period)!;
      const start = current - d.values.length;
      const [row] = await tx
        .insert(indicators)
        .values({
          frameworkId: Number(hit.framework_id),
          standardKey: hit.key,
          name: d.name,
          measure: d.measure,
          target: d.target,
          direction: d.direction,
          period: d.period,
          startPeriod: periodFromOrdinal(start, d.period),
          responsibleUnitId: Number(hit.unit_id),
          notes: null,
        })
        .returning();
      const values = d.values.flatMap((value, k) =>
        value === null
          ? []
          : [
              {
                indicatorId: row!.id,
                period: periodFromOrdinal(start + k, d.period),
                value,
                note: '演示数据',
                clientId: randomUUID(),
              },
            ],
      );
      if (values.length) await tx.insert(indicatorValues).values(values);
      n++;
    }
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_indicators',
      entityType: 'indicator',
      entityId: 0,
      after: { indicators: n },
    });
    return n;
  });
}
