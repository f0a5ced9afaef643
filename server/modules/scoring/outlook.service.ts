import type { TOutlook } from '../../../core/contracts/scoring.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { Permission } from '../../../core/permissions.js';
import { outlookOf } from '../../../core/scoring/outlook.js';
import type { Database } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { projection } from './projection.service.js';
import * as repo from './scoring.repo.js';
import { actorPermissions } from '../../platform/actor.js';

/**
 * The running campaign's projected standing (core/scoring/outlook.ts), for pages that print it
 * beside their own figures: the monthly 通报 and the mock evaluation. Null for those who may not
 * read scores, and where there is no campaign with a framework or its projection cannot be made
 * (a framework without a version, say) — the page then simply has no outlook.
 */
export async function currentOutlook(
  database: Database,
  actor: Actor,
  now = new Date(),
): Promise<TOutlook | null> {
  if (!actorPermissions(actor).has(Permission.ScoreRead)) return null;
  const campaignId = await repo.currentCampaignId(
    database.db,
    Number(shanghaiDate(now).slice(0, 4)),
  );
  if (campaignId === null) return null;
  try {
    return outlookOf(await projection(database, actor, { campaignId }, now));
  } catch (err) {
    if (err instanceof AppError && err.status < 500) return null;
    throw err;
  }
}
