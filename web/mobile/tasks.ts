import type { TSessionUser } from '../../core/contracts/auth.js';
import type { TMyRound } from '../../core/contracts/inspections.js';
import { Permission, type TRole } from '../../core/permissions.js';
import { PROBLEM_STATES } from '../../core/problems/lifecycle.js';
import type { ApiArgs } from '../shared/api.js';

/** The sections of 我的任务, each the work of one kind of field user. */
export type TaskSection =
  | 'patrol'
  | 'inspect'
  | 'survey'
  | 'rectify'
  | 'visits'
  | 'volunteer'
  | 'serviceOrders'
  | 'carriers'
  | 'serviceRequest'
  | 'credits';

const SECTIONS: { key: TaskSection; perm: Permission; role: TRole }[] = [
  { key: 'patrol', perm: Permission.PatrolWalk, role: 'grid_worker' },
  // Rounds are walked by those who check on site (problem.verify as well as problem.report): the
  // grid workers and units who may report a problem have no rounds to ask for.
  { key: 'inspect', perm: Permission.ProblemVerify, role: 'inspector' },
  { key: 'rectify', perm: Permission.ProblemRectify, role: 'unit' },
  // 入户走访 counts for the unit's 包联 pairings: shown to a unit's people who have some.
  { key: 'visits', perm: Permission.ProblemReport, role: 'unit' },
  { key: 'survey', perm: Permission.SurveyCollect, role: 'surveyor' },
  { key: 'volunteer', perm: Permission.VolunteerServe, role: 'volunteer' },
  // 点单派单: orders dispatched to the volunteer's team to take, and those they took.
  { key: 'serviceOrders', perm: Permission.ServiceOrderTake, role: 'volunteer' },
  // 公益广告阵地: registered and updated in the field by grid workers (and inspectors, below).
  { key: 'carriers', perm: Permission.AdCarrierWrite, role: 'grid_worker' },
  // 代居民点单: a grid worker orders a station's service for a resident.
  { key: 'serviceRequest', perm: Permission.ServiceOrderRequest, role: 'grid_worker' },
  // 积分核销: a shop's staff confirm residents' redemption codes.
  { key: 'credits', perm: Permission.CreditRedeem, role: 'shop' },
];

/**
 * The sections a user's permissions allow, in order. A section is shown as "nothing to do" only
 * to the role it is for: a grid worker may report problems too, but the inspector's empty round
 * list means nothing to them (`core` says whether it is theirs even when empty).
 */
export function sectionsFor(
  user: Pick<TSessionUser, 'roles' | 'permissions'>,
): { key: TaskSection; core: boolean }[] {
  return SECTIONS.filter((s) => user.permissions.includes(s.perm)).map((s) => ({
    key: s.key,
    core: user.roles.includes(s.role) || user.roles.includes('admin'),
  }));
}

/** A problem still open (not closed, rejected, merged): a grid's to-do. */
export const OPEN_STATES = PROBLEM_STATES.filter(
  (s) => s !== 'closed' && s !== 'rejected' && s !== 'merged',
);

/**
 * The problems dispatched to a unit that it still works on (整改中) or waits on (待核查), soonest
 * deadline first: the home card and the rectification flow read (and keep) the same answer.
 */
export const rectifyList = (unitId: number): ApiArgs<'GET /api/problems'> => ({
  query: { state: 'dispatched,submitted', unitId, sort: 'deadline', order: 'asc', limit: 50 },
});

/** Today in Shanghai as 2026-11-23. */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The inspector's rounds under way today (within their dates; drawn by day: with a day today),
 * each with its points and how many are visited.
 */
export function todaysRounds(rounds: TMyRound[], today: string) {
  return rounds
    .filter(
      (r) =>
        (!r.startsOn || r.startsOn <= today) &&
        (!r.endsOn || r.endsOn >= today) &&
        (r.days.length === 0 || r.days.some((d) => d.date === today)),
    )
    .map((r) => {
      const todays = r.days.find((d) => d.date === today);
      const points = todays ? r.points.filter((p) => p.dayId === todays.id) : r.points;
      return {
        id: r.id,
        name: r.name,
        total: points.length,
        visited: points.filter((p) => p.visitId !== null).length,
        next: points.filter((p) => p.visitId === null).slice(0, 5),
      };
    });
}
