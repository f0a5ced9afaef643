import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { execRows, type Tx } from '../../db/client.js';
import { files, problemCategories, problemPhotos, units } from '../../db/schema/index.js';

/** The problem categories with these codes. */
export async function categoriesByCode(
  tx: Tx,
  codes: string[],
): Promise<{ id: number; code: string }[]> {
  return tx
    .select({ id: problemCategories.id, code: problemCategories.code })
    .from(problemCategories)
    .where(inArray(problemCategories.code, codes));
}

/** Of these files, those the uploader (when known) uploaded and no problem uses yet. */
export async function unusedPhotoIds(
  tx: Tx,
  ids: string[],
  uploadedBy: number | null,
): Promise<string[]> {
  return (
    await tx
      .select({ id: files.id })
      .from(files)
      .leftJoin(problemPhotos, eq(problemPhotos.fileId, files.id))
      .where(
        and(
          inArray(files.id, ids),
          uploadedBy === null ? undefined : eq(files.uploadedBy, uploadedBy),
          isNull(problemPhotos.id),
        ),
      )
  ).map((r) => r.id);
}

export async function findUnit(
  tx: Tx,
  id: number,
): Promise<{ id: number; name: string; active: boolean } | undefined> {
  const [unit] = await tx
    .select({ id: units.id, name: units.name, active: units.active })
    .from(units)
    .where(eq(units.id, id));
  return unit;
}

/** The district (区县) holding a region — the region itself when it is one; none above a district. */
export async function districtHolding(
  tx: Tx,
  regionId: number,
): Promise<{ id: number; name: string } | undefined> {
  const [row] = await execRows<{ id: number; name: string }>(
    tx,
    sql`select d.id, d.name from regions d, regions r
         where r.id = ${regionId} and d.level = 'district' and r.path like d.path || '%'
         limit 1`,
  );
  return row;
}
