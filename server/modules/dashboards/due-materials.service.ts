import type {
  TDueMaterial,
  TUnitDueMaterials,
  TUnitDueMaterialsQuery,
} from '../../../core/contracts/dashboards.js';
import { Permission, type TScope } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';
import { unitInScope } from '../org/unit-scope.repo.js';
import { unitOfRequest } from './dashboards.service.js';
import * as repo from './due-materials.repo.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';

const DAY_MS = 86_400_000;
const ITEMS = 50;

/** A YYYY-MM-DD date in Asia/Shanghai, `plusDays` after `now`. */
function shanghaiDayAfter(now: Date, plusDays = 0): string {
  return shanghaiDate(new Date(now.getTime() + plusDays * DAY_MS));
}

/**
 * The unit asked about: as {@link unitOfRequest}, and for an office or leader below the city one of
 * its subtree's units (or the unit it heads, the default) — another is a 403, as for a unit.
 */
async function dueUnitOf(database: Database, scope: TScope, asked: number | undefined) {
  if (scope.kind !== 'region') return unitOfRequest(scope, asked);
  const unitId = asked ?? scope.unitId;
  if (unitId === undefined) {
    throw errors.invalid({ zh: '请指定单位', en: 'give a unitId' }, [
      { path: 'querystring.unitId', message: '必填 / required' },
    ]);
  }
  if (!(await unitInScope(database.db, scope, unitId))) throw errors.forbidden();
  return unitId;
}

/**
 * 待办档案资料 on a unit's dashboard: what it leads whose materials are missing, returned or under
 * review, with the 时限 past or within `days` days. A unit user sees its own; the office and
 * leaders name the unit (below the city, one of their subtree's).
 */
export async function unitDueMaterials(
  database: Database,
  actor: Actor,
  q: TUnitDueMaterialsQuery,
  now = new Date(),
): Promise<TUnitDueMaterials> {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  const unitId = await dueUnitOf(database, scope, q.unitId);
  const name = await repo.unitName(database.db, unitId);
  if (name === undefined) throw errors.notFound('unit', unitId);
  const today = shanghaiDayAfter(now);
  const horizon = shanghaiDayAfter(now, q.days);
  const rows = await repo.dueMaterials(database.db, unitId, horizon);
  const items: TDueMaterial[] = rows.map((r) => ({
    frameworkId: r.framework_id,
    frameworkName: r.framework_name,
    year: r.year,
    standardKey: r.standard_key,
    code: r.code,
    text: r.text,
    dueDate: r.due_date,
    daysLeft: Math.round((Date.parse(r.due_date) - Date.parse(today)) / DAY_MS),
    // As on the evidence page: a draft nobody has put a file in yet is nothing uploaded.
    state: r.state === null || (r.state === 'draft' && r.files === 0) ? 'none' : r.state,
    returnCount: r.return_count ?? 0,
    reviewComment: r.review_comment,
  }));
  const count = (f: (i: TDueMaterial) => boolean) => items.filter(f).length;
  return {
    unit: { id: unitId, name },
    today,
    horizon,
    counts: {
      total: items.length,
      overdue: count((i) => i.daysLeft < 0),
      dueSoon: count((i) => i.daysLeft >= 0),
      missing: count((i) => i.state === 'none' || i.state === 'draft'),
      returned: count((i) => i.state === 'returned'),
      submitted: count((i) => i.state === 'submitted'),
    },
    items: items.slice(0, ITEMS),
  };
}
