import type { TSessionUser } from '../../core/contracts/auth.js';
import type { TRole } from '../../core/permissions.js';

/** The roles whose work is on the street, on a phone: their home is the phone app. */
export const FIELD_ROLES: readonly TRole[] = [
  'inspector',
  'grid_worker',
  'surveyor',
  'volunteer',
  // 商户店员: confirm residents' redemption codes on the phone (/m/credits/redeem).
  'shop',
];

/** Where the phone app lives (web/mobile, served by the server at /m/). */
export const PHONE_APP_URL = '/m/';

/**
 * A user who holds field roles only (测评员, 网格员, 调查员, 志愿者): signing in takes them to the
 * phone app. Anyone with an office, leader, admin or unit role keeps the desktop app as home.
 */
export function isFieldUser(user: Pick<TSessionUser, 'roles'> | null): boolean {
  return !!user && user.roles.length > 0 && user.roles.every((r) => FIELD_ROLES.includes(r));
}
