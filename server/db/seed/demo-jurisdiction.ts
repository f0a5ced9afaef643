import { sql } from 'drizzle-orm';
import type { TJurisdiction } from '../../../core/contracts/citizen.js';
import type { Database } from '../client.js';

/** 示范市's outline (invented, around the demo problems): citizen reports must fall inside it. */
export const DEMO_JURISDICTION: TJurisdiction = {
  name: '示范市',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [120.05, 30.18],
        [120.3, 30.17],
        [120.33, 30.3],
        [120.22, 30.38],
        [120.08, 30.36],
        [120.03, 30.26],
        [120.05, 30.18],
      ],
    ],
  },
};

/** Sets the demo jurisdiction unless one is set (idempotent; the office may have changed it). */
export async function seedDemoJurisdiction(database: Database): Promise<void> {
  await database.db.execute(
    sql`insert into settings (key, value) values ('jurisdiction', ${JSON.stringify(DEMO_JURISDICTION)}::jsonb)
        on conflict (key) do nothing`,
  );
  await database.afterCommit();
}
