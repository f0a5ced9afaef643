import type { TNegativeHit, TNegativeHitInput } from '../../../core/contracts/scoring.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import * as repo from './scoring.repo.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';

// 负面清单 hits: the office records an event of a negative-list item in a cycle year; the
// projection applies the item's effect. Leaders read them with the score.

const invalid = (zh: string, en: string, path: string) =>
  new AppError('invalid', 400, { zh, en }, { fields: [{ path, message: `${zh} / ${en}` }] });

export function presentHits(
  rows: repo.HitRow[],
  items: Map<string, repo.NegativeItemRow>,
): TNegativeHit[] {
  return rows.map((h) => {
    const i = items.get(h.itemKey);
    return {
      id: h.id,
      frameworkId: h.frameworkId,
      itemKey: h.itemKey,
      code: i?.code ?? null,
      text: i?.text ?? null,
      effect: i?.effect ?? null,
      points: i?.points ?? null,
      year: h.year,
      occurredOn: h.occurredOn,
      note: h.note,
      recordedBy: h.recordedBy,
      recordedAt: h.recordedAt.toISOString(),
      version: h.version,
    };
  });
}

/** The framework, its campaign's years and the negative items of the version in force. */
async function frameworkContext(database: Database, frameworkId: number) {
  const db = database.db;
  const fw = await repo.findFramework(db, frameworkId);
  if (!fw) {
    throw new AppError('not_found', 404, {
      zh: `测评体系不存在（${frameworkId}）`,
      en: `framework not found (${frameworkId})`,
    });
  }
  const campaign = (await repo.campaign(db, fw.campaignId))!;
  const version = (await repo.frameworksOf(db, fw.campaignId)).find((f) => f.id === fw.id)!;
  const items = version.versionId ? await repo.negativeItems(db, version.versionId) : [];
  return { fw, campaign, items: new Map(items.map((i) => [i.key, i])) };
}

export async function listHits(
  database: Database,
  actor: Actor,
  q: { frameworkId: number; year?: number | undefined },
): Promise<TNegativeHit[]> {
  requirePermission(actor, Permission.ScoreRead);
  const { items } = await frameworkContext(database, q.frameworkId);
  return presentHits(await repo.hits(database.db, q), items);
}

/** What a hit may name: the negative items in force and the campaign's cycle years. */
export async function hitOptions(database: Database, actor: Actor, frameworkId: number) {
  requirePermission(actor, Permission.ScoreRead);
  const { campaign, items } = await frameworkContext(database, frameworkId);
  return {
    items: [...items.values()],
    years: Array.from({ length: campaign.cycleYears }, (_, i) => campaign.cycleStartYear + i),
  };
}

export async function createHit(
  database: Database,
  actor: Actor,
  input: TNegativeHitInput,
): Promise<TNegativeHit> {
  requirePermission(actor, Permission.FrameworkWrite);
  const { campaign, items } = await frameworkContext(database, input.frameworkId);
  if (!items.has(input.itemKey)) {
    throw invalid(
      '该负面清单条目不在现行测评体系中',
      'no such negative-list item in the framework in force',
      'itemKey',
    );
  }
  const first = campaign.cycleStartYear;
  const last = first + campaign.cycleYears - 1;
  if (input.year < first || input.year > last) {
    throw invalid(
      `年份应在创建周期内（${first}–${last}）`,
      `the year must be in the cycle (${first}–${last})`,
      'year',
    );
  }
  const today = shanghaiDate(new Date());
  if (input.occurredOn > today) {
    throw invalid('发生日期不能晚于今天', 'the date cannot be in the future', 'occurredOn');
  }
  const id = await withTx(database, async (tx) => {
    const hitId = await repo.insertHit(tx, { ...input, recordedBy: actor.id });
    await writeAudit(tx, actor, {
      action: 'negative_hit.create',
      entityType: 'negative_hit',
      entityId: hitId,
      after: input,
    });
    return hitId;
  });
  return presentHits(await repo.hits(database.db, { id }), items)[0]!;
}

export async function deleteHit(
  database: Database,
  actor: Actor,
  id: number,
  version: number,
): Promise<void> {
  requirePermission(actor, Permission.FrameworkWrite);
  const [row] = await repo.hits(database.db, { id });
  if (!row) {
    throw new AppError('not_found', 404, {
      zh: `负面清单记录不存在（${id}）`,
      en: `negative-list hit not found (${id})`,
    });
  }
  await withTx(database, async (tx) => {
    if (!(await repo.deleteHitAt(tx, id, version))) {
      throw new AppError('stale_version', 409, {
        zh: '该记录已被他人修改，请刷新后重试',
        en: 'this record was changed by someone else; reload and try again',
      });
    }
    await writeAudit(tx, actor, {
      action: 'negative_hit.delete',
      entityType: 'negative_hit',
      entityId: id,
      before: row,
    });
  });
}
