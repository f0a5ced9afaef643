import type {
  TAdCampaignDetail,
  TAdCampaignDone,
  TAdCampaignInput,
} from '../../../core/contracts/ad-carriers.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { regionWithin } from '../org/regions.repo.js';
import { presentCampaign } from './ad-carriers.present.js';
import * as repo from './ad-carriers.repo.js';

// 换版 (issue #23): a content campaign over chosen carriers — a theme and a deadline, each carrier
// marked done with its before and after photos, progress counted per campaign. Run by an office
// (inspection.manage; a district office over its subtree's carriers), marked done in the field
// (adcarrier.write).

async function campaignFor(db: DbOrTx, actor: Actor, id: number) {
  const c = await repo.findCampaign(db, id);
  const own = officeRegionOf(actor);
  if (
    !c ||
    (own !== null && (c.ownerRegionId === null || !(await regionWithin(db, c.ownerRegionId, own))))
  ) {
    throw errors.notFound('adCampaign', id);
  }
  return c;
}

export async function listCampaigns(database: Database, actor: Actor) {
  requirePermission(actor, Permission.AdCarrierRead);
  const rows = await repo.listCampaigns(database.db, officeRegionOf(actor));
  return { items: rows.map((r) => presentCampaign(r)) };
}

export async function getCampaign(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TAdCampaignDetail> {
  requirePermission(actor, Permission.AdCarrierRead);
  const c = await campaignFor(database.db, actor, id);
  const items = await repo.campaignItems(database.db, id);
  return {
    campaign: presentCampaign(c),
    items: items.map((i) => ({ ...i, doneAt: i.doneAt?.toISOString() ?? null })),
  };
}

export async function createCampaign(database: Database, actor: Actor, input: TAdCampaignInput) {
  requirePermission(actor, Permission.InspectionManage);
  const own = officeRegionOf(actor);
  const wanted = [...new Set(input.carrierIds)];
  const id = await withTx(database, async (tx) => {
    const found = await repo.carrierIdsWithin(tx, wanted, own);
    if (found.length !== wanted.length) {
      const missing = wanted.filter((w) => !found.includes(w));
      throw errors.invalid(
        {
          zh: `阵地不存在或不在辖区内：${missing.join('、')}`,
          en: `carriers not found or outside the jurisdiction: ${missing.join(', ')}`,
        },
        [{ path: 'carrierIds', message: '阵地不存在 / no such carrier' }],
      );
    }
    const campaignId = await repo.insertCampaign(
      tx,
      {
        name: input.name,
        theme: input.theme,
        designTitle: input.designTitle || null,
        deadline: input.deadline,
        ownerRegionId: own,
        createdBy: actor.id,
      },
      wanted,
    );
    await writeAudit(tx, actor, {
      action: 'adcampaign.create',
      entityType: 'adCampaign',
      entityId: campaignId,
      after: { ...input, carrierIds: wanted },
    });
    return campaignId;
  });
  return getCampaign(database, actor, id);
}

/**
 * Marks a carrier's 换版 done with its before and after photos (two different uploads); the
 * carrier then shows the campaign's theme and design. Done again replaces the photos.
 */
export async function markDone(
  database: Database,
  actor: Actor,
  id: number,
  carrierId: number,
  input: TAdCampaignDone,
) {
  requirePermission(actor, Permission.AdCarrierWrite);
  if (input.beforePhotoId === input.afterPhotoId) {
    throw errors.invalid(
      { zh: '换版前后须为两张不同的照片', en: 'the before and after photos must differ' },
      [{ path: 'afterPhotoId', message: '换版前后须为两张不同的照片 / two different photos' }],
    );
  }
  await withTx(database, async (tx) => {
    const c = await campaignFor(tx, actor, id);
    for (const [path, photoId] of [
      ['beforePhotoId', input.beforePhotoId],
      ['afterPhotoId', input.afterPhotoId],
    ] as const) {
      if (!(await repo.findFile(tx, photoId))) {
        throw errors.invalid(
          { zh: '照片不存在，请重新上传', en: 'no such photo: upload it again' },
          [{ path, message: '照片不存在 / no such photo' }],
        );
      }
    }
    const carrier = await repo.findCarrier(tx, carrierId);
    const own = officeRegionOf(actor);
    if (
      !carrier ||
      (own !== null &&
        (carrier.regionId === null || !(await regionWithin(tx, carrier.regionId, own))))
    ) {
      throw errors.notFound('adCarrier', carrierId);
    }
    const now = new Date();
    const ok = await repo.markCampaignItem(tx, id, carrierId, {
      doneAt: now,
      doneBy: actor.id,
      beforePhotoId: input.beforePhotoId,
      afterPhotoId: input.afterPhotoId,
      note: input.note || null,
    });
    if (!ok) throw errors.notFound('adCarrier', carrierId);
    const file = await repo.findFile(tx, input.afterPhotoId);
    await repo.updateCarrier(tx, carrierId, null, {
      theme: c.theme,
      designTitle: c.designTitle ?? carrier.designTitle,
      photoId: input.afterPhotoId,
      photoTakenAt: file!.exifTakenAt ?? file!.createdAt,
    });
    await writeAudit(tx, actor, {
      action: 'adcampaign.done',
      entityType: 'adCampaign',
      entityId: id,
      after: { carrierId, ...input },
    });
  });
  return getCampaign(database, actor, id);
}
