import { sql } from 'drizzle-orm';
import type { TStandardRollupRow } from '../../../core/contracts/inspections.js';
import {
  standardPassRates,
  type ChecklistItem,
  type ItemAnswer,
  type StandardPassRate,
} from '../../../core/inspection/score.js';
import { execRows, type DbOrTx } from '../../db/client.js';

/** The latest version of each visit chain of a round, with its point type's checklist. */
async function latestVisits(db: DbOrTx, roundId: number) {
  return execRows<{ items: ItemAnswer[]; checklist: ChecklistItem[] }>(
    db,
    sql`select v.items, t.checklist
        from inspection_visits v
        join points p on p.id = v.point_id
        join point_types t on t.id = p.type_id
        where v.round_id = ${roundId}
          and not exists (select 1 from inspection_visits c where c.previous_id = v.id)`,
  );
}

/** Pass rates per linked framework standard over a round's latest visits. */
export async function roundStandardRates(db: DbOrTx, roundId: number): Promise<StandardPassRate[]> {
  const rows = await latestVisits(db, roundId);
  return standardPassRates(rows.map((r) => ({ checklist: r.checklist, answers: r.items })));
}

/**
 * The by-standard roll-up of a round: each linked standard's share (core standardPassRates),
 * text and max score from the framework version in force (a published version first, else the
 * newest holding the code), points = max × share, and the previous round's share.
 */
export async function standardRollup(
  db: DbOrTx,
  roundId: number,
  previousRoundId: number | null,
): Promise<TStandardRollupRow[]> {
  const rates = await roundStandardRates(db, roundId);
  const before = previousRoundId === null ? [] : await roundStandardRates(db, previousRoundId);
  if (!rates.length) return [];
  const meta = new Map(
    (
      await execRows<{ code: string; text: string; max_score: string | number | null }>(
        db,
        sql`select distinct on (n.code) n.code, n.text, n.max_score
            from framework_nodes n
            join framework_versions fv on fv.id = n.version_id
            where n.kind = 'standard' and n.code in (${sql.join(
              rates.map((r) => sql`${r.code}`),
              sql`, `,
            )})
            order by n.code, (fv.status = 'published') desc, fv.id desc`,
      )
    ).map((m) => [m.code, m]),
  );
  const prev = new Map(before.map((r) => [r.code, r.share]));
  return rates.map((r) => {
    const m = meta.get(r.code);
    const maxScore = m && m.max_score !== null ? Number(m.max_score) : null;
    return {
      code: r.code,
      text: m?.text ?? null,
      maxScore,
      visits: r.visits,
      passed: r.passed,
      failed: r.failed,
      share: r.share,
      points: maxScore !== null && r.share !== null ? maxScore * r.share : null,
      previousShare: prev.get(r.code) ?? null,
    };
  });
}
