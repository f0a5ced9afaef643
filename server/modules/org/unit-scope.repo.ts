import { sql, type SQL } from 'drizzle-orm';
import type { TScope } from '../../../core/permissions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { regionSubtree } from './regions.repo.js';

// Whose 任务分解 work a scope reaches, by unit (issue #20): the assignments, progress reports,
// indicators, dossiers and pledges of the units a scope covers. Offices and leaders at the city
// (`all`) reach every unit; a unit user its own; an office or leader held at a district or street
// (`region`) the units placed in its subtree, and the unit it heads when it also answers for one;
// anyone else none.

/** The scope's units as a condition on a unit id column (`unitId` is that column's SQL). */
export function unitInScopeSql(scope: TScope, unitId: SQL): SQL {
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'unit':
      return sql`(${unitId} = ${scope.unitId})`;
    case 'region': {
      const headed = scope.unitId === undefined ? sql`` : sql` or ${unitId} = ${scope.unitId}`;
      return sql`(${unitId} in (select scope_u.id from units scope_u
        where scope_u.region_id in ${regionSubtree(scope.regionId)})${headed})`;
    }
    case 'self':
      return sql`false`;
  }
}

/** Of these units, those the scope reaches. */
export async function unitsInScope(
  db: DbOrTx,
  scope: TScope,
  unitIds: readonly number[],
): Promise<Set<number>> {
  if (scope.kind === 'all') return new Set(unitIds);
  const ids = [...new Set(unitIds.map(Number))];
  if (!ids.length) return new Set();
  const rows = await execRows<{ id: number }>(
    db,
    sql`select u.id from units u where u.id in ${ids} and ${unitInScopeSql(scope, sql`u.id`)}`,
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/** True when the scope reaches the unit. */
export async function unitInScope(db: DbOrTx, scope: TScope, unitId: number): Promise<boolean> {
  return (await unitsInScope(db, scope, [unitId])).has(unitId);
}
