/**
 * Reading the hours recorded in the 全国志愿服务信息系统, as their sheets write them: dates with or
 * without a time (and as Excel date cells), hours as "2", "2.5小时", "1小时30分" or "90分钟", and
 * the key that makes a re-import of the same record add nothing. Pure.
 */

/** The most one record may credit: a day. */
export const MAX_RECORD_MINUTES = 24 * 60;

/**
 * The day of a service, YYYY-MM-DD, from "2026-03-01", "2026/3/1", "2026年3月1日", "2026.03.01",
 * "20260301", "2026-03-01 09:00-11:00" or an Excel date cell (read as an ISO instant at UTC
 * wall-clock); null when it is none of these or not a real date.
 */
export function parseServiceDate(text: string): string | null {
  const t = text.normalize('NFKC').trim();
  const m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?(?:$|[\sT])/.exec(t) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return null;
  }
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Whole minutes of service from a cell: a number is hours ("2", "2.5", "2.5h", "2.5小时", "2.5时"),
 * or hours and minutes ("1小时30分", "1h30m"), or minutes alone ("90分钟", "90分", "90min").
 * Null for anything else, zero or less, or more than a day.
 */
export function parseServiceMinutes(text: string): number | null {
  const t = text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  if (!t) return null;
  let minutes: number | null = null;
  let m: RegExpExecArray | null;
  if ((m = /^(\d+(?:\.\d+)?)(?:h|hr|hrs|hours?|小时|个小时|时)?$/.exec(t))) {
    minutes = Number(m[1]) * 60;
  } else if ((m = /^(\d+)(?:h|小时|个小时|时)(\d+)(?:m|min|分钟|分)?$/.exec(t))) {
    minutes = Number(m[1]) * 60 + Number(m[2]);
  } else if ((m = /^(\d+(?:\.\d+)?)(?:m|min|mins|minutes?|分钟|分)$/.exec(t))) {
    minutes = Number(m[1]);
  }
  if (minutes === null || !Number.isFinite(minutes)) return null;
  const whole = Math.round(minutes);
  return whole > 0 && whole <= MAX_RECORD_MINUTES ? whole : null;
}

/** An activity title as compared: full-width folded, without spaces or quotes, lower-case. */
export function titleKey(title: string): string {
  return title
    .normalize('NFKC')
    .replace(/[\s"'“”‘’「」《》]/g, '')
    .toLowerCase();
}

/**
 * A 点单派单 menu item as a project (项目) of the national record: its name, marked as ordered
 * service. Hours served on its orders are exported under it (project number `S<item id>`).
 */
export function serviceItemProjectTitle(itemName: string): string {
  return `${itemName}（点单服务）`;
}

/** The project number of a menu item in the export (activities are numbered by their id). */
export const serviceItemProjectId = (itemId: number) => `S${itemId}`;

/** The record ids this platform writes into its hours export (`CC-A<attendance id>`). */
export const PLATFORM_RECORD_ID = /^CC-A\d+$/i;

/**
 * What makes an imported record the same record again: the national system's record id when the
 * sheet has one, else the volunteer, the activity, the day and the minutes together.
 */
export function nationalRecordKey(r: {
  recordId: string | null;
  volunteerId: number;
  activity: string;
  date: string;
  minutes: number;
}): string {
  const id = r.recordId?.normalize('NFKC').trim();
  if (id) return `rec:${id}`;
  return `row:${r.volunteerId}|${titleKey(r.activity)}|${r.date}|${r.minutes}`;
}
