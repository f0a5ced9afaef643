import { sql, type SQL } from 'drizzle-orm';
import type { BBox } from '../../core/geo/polygon.js';

// The box prefilters that grid and region routing share: a row's stored box (min_lat … max_lng,
// as grids and regions keep them) against boxes, and a row's position (lat, lng) in boxes.

/** SQL: the row's stored box meets any of the boxes (`boxes` not empty). */
export function storedBoxMeetsAny(boxes: readonly BBox[]): SQL {
  return sql.join(
    boxes.map(
      (b) =>
        sql`(min_lat <= ${b.maxLat} and max_lat >= ${b.minLat} and min_lng <= ${b.maxLng} and max_lng >= ${b.minLng})`,
    ),
    sql` or `,
  );
}

/** SQL: the position of the row aliased `alias` lies in one of the boxes, one term a box. */
export function positionInBoxes(alias: string, boxes: readonly BBox[]): SQL[] {
  const t = sql.identifier(alias);
  return boxes.map(
    (b) =>
      sql`(${t}.lat between ${b.minLat} and ${b.maxLat} and ${t}.lng between ${b.minLng} and ${b.maxLng})`,
  );
}
