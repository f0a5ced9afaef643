import type { TSessionUser } from '../../core/contracts/auth.js';
import type { ApiArgs, GetKey } from '../shared/api.js';
import { OPEN_STATES, rectifyList, sectionsFor } from './tasks.js';

/** One read of the task list: an endpoint and its arguments. */
export interface HomeRead {
  key: GetKey;
  args: ApiArgs<GetKey> | undefined;
}

/** A grid's open problems, newest first: the patrol card's list. */
export const gridProblems: ApiArgs<'GET /api/problems'> = {
  query: { state: OPEN_STATES.join(','), limit: 10, sort: 'createdAt' },
};

/** The last three patrols. */
export const recentPatrols: ApiArgs<'GET /api/patrols'> = { query: { limit: 3 } };

/**
 * The volunteer's activities from yesterday to a month ahead, counted from the start of the hour:
 * the same arguments (so the same URL) for the page's early request (web/early-phone.js) and the
 * task list opened a moment later.
 */
export function volunteerRange(now = Date.now()): ApiArgs<'GET /api/volunteer-activities'> {
  const hour = Math.floor(now / 3_600_000) * 3_600_000;
  return {
    query: {
      from: new Date(hour - 86_400_000).toISOString(),
      to: new Date(hour + 30 * 86_400_000).toISOString(),
    },
  };
}

/**
 * What 我的任务 reads for this user, section by section (HomePage asks exactly these). The page
 * asks for the same before the app's scripts arrive (web/early-phone.js, which repeats this in
 * plain JS; `home-reads.test.ts` holds the two together).
 */
export function homeReads(
  user: Pick<TSessionUser, 'roles' | 'permissions' | 'unitId'>,
  now = Date.now(),
): HomeRead[] {
  const reads: HomeRead[] = [];
  const add = <K extends GetKey>(key: K, args?: ApiArgs<K>) =>
    reads.push({ key, args: args as ApiArgs<GetKey> | undefined });
  for (const { key } of sectionsFor(user)) {
    switch (key) {
      case 'patrol':
        add('GET /api/grids', {});
        add('GET /api/problems', gridProblems);
        add('GET /api/patrols', recentPatrols);
        break;
      case 'inspect':
        add('GET /api/inspections/mine', {});
        break;
      case 'rectify':
        if (user.unitId) add('GET /api/problems', rectifyList(user.unitId));
        break;
      case 'visits':
        if (user.unitId) add('GET /api/outreach/pairings', {});
        break;
      case 'survey':
        add('GET /api/survey-app/assignments', {});
        break;
      case 'volunteer':
        add('GET /api/volunteer-activities', volunteerRange(now));
        break;
      case 'serviceOrders':
        add('GET /api/service-orders/tasks', {});
        break;
      case 'carriers':
      case 'serviceRequest':
      case 'credits':
        // The card only links to the flow: nothing to read ahead.
        break;
    }
  }
  return reads;
}
