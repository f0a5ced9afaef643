import type { TStandardRollupRow } from '../../../core/contracts/inspections.js';
import { standardPassRates, type StandardPassRate } from '../../../core/inspection/score.js';
import type { DbOrTx } from '../../db/client.js';
import { latestVisits, standardsMeta } from './round-report.repo.js';

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
      await standardsMeta(
        db,
        rates.map((r) => r.code),
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
