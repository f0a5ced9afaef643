import type { TServiceOrderState } from './labels.js';

export * from './labels.js';

/**
 * 点单派单 as a pure state machine: ordered → dispatched → taken → on_site → done → confirmed (or
 * declined). Each action names who may take it and from which states; the service turns a refusal
 * into a 4xx with a message in both languages. The rules (docs/decisions.md):
 *
 * - The station (an office over the station's place) dispatches an order to one team with a
 *   deadline, again to another team while nobody has taken it, or declines it with a reason.
 * - A volunteer of that team takes a seat; an order needs `needed` volunteers (1 by default, set by
 *   the menu item and at dispatch). The first take makes it `taken`; takes stop when the seats are
 *   full. A taker who has not checked in may release their seat (the last one out: `dispatched`).
 * - A taker checks in near the address (GPS): the first check-in makes it `on_site`.
 * - A taker who checked in marks it done with a note.
 * - The requester confirms (satisfied or not); after `CONFIRM_TIMEOUT_MS` without an answer the
 *   station may confirm on the requester's behalf, with a recorded reason.
 * - The requester may withdraw the order (撤销) until a volunteer is on site, with a reason if they
 *   like; the volunteers who took it see it gone from their list.
 */

export const SERVICE_ORDER_ACTIONS = [
  'dispatch',
  'decline',
  'take',
  'release',
  'check_in',
  'finish',
  'confirm',
  'confirm_for',
  'cancel',
] as const;
export type TServiceOrderAction = (typeof SERVICE_ORDER_ACTIONS)[number];

export const SERVICE_ORDER_ACTION_LABELS: Record<TServiceOrderAction, { zh: string; en: string }> =
  {
    dispatch: { zh: '派单', en: 'Dispatch' },
    decline: { zh: '不予受理', en: 'Decline' },
    take: { zh: '接单', en: 'Take' },
    release: { zh: '退出接单', en: 'Release' },
    check_in: { zh: '到场签到', en: 'Check in on site' },
    finish: { zh: '服务完成', en: 'Mark done' },
    confirm: { zh: '评价确认', en: 'Confirm' },
    confirm_for: { zh: '代为确认', en: 'Confirm on behalf' },
    cancel: { zh: '撤销点单', en: 'Cancel' },
  };

/** What an order's timeline records: its placing, then each action taken on it. */
export const SERVICE_EVENT_KINDS = ['order', ...SERVICE_ORDER_ACTIONS] as const;
export type TServiceEventKind = (typeof SERVICE_EVENT_KINDS)[number];
export const SERVICE_EVENT_LABELS: Record<TServiceEventKind, { zh: string; en: string }> = {
  order: { zh: '点单', en: 'Ordered' },
  ...SERVICE_ORDER_ACTION_LABELS,
};

/** How long a done order waits for the requester before the station may confirm it for them. */
export const CONFIRM_TIMEOUT_MS = 72 * 3_600_000;

/**
 * Who acts, relative to one order: `station` manages the order's station; `team` is an active
 * volunteer of the team it is dispatched to; `taker` holds one of its seats; `present` is a taker
 * who checked in; `requester` holds its tracking code.
 */
export type TServiceParty = 'station' | 'team' | 'taker' | 'present' | 'requester';

export interface ServiceOrderMachine {
  state: TServiceOrderState;
  /** Volunteers the order needs (seats). */
  needed: number;
  /** Seats taken. */
  takers: number;
  /** When it was marked done (epoch ms), for the requester's timeout. */
  doneAt: number | null;
}

export interface ServiceTransitionInput {
  /** A reason (decline, confirm_for) or the service note (finish). */
  note?: string | null;
  /** dispatch: the team and the deadline (epoch ms). */
  teamId?: number | null;
  deadline?: number | null;
  /** dispatch: seats, when the station changes them (1–10). */
  needed?: number | null;
  now: number;
}

/** Why a rule of the moment says no (409): what the screen tells the person. */
export type TServiceGuard =
  /** The volunteer holds a seat already. */
  | 'already_taker'
  /** Every seat the order needs is taken. */
  | 'seats_full'
  /** The volunteer has checked in (they can no longer leave or check in again). */
  | 'checked_in'
  /** The requester's time to confirm has not run out. */
  | 'confirm_pending';

/** What an action needs and was not given, or was given wrong (400), by the field. */
export type TServiceMissing = 'note' | 'teamId' | 'deadline' | 'volunteersNeeded';

export type ServiceTransitionResult =
  | { ok: true; next: ServiceOrderMachine }
  /** `not_allowed`: the party may not take this action at all (403); `wrong_state`: 409. */
  | { ok: false; reason: 'not_allowed' | 'wrong_state'; detail: string }
  | { ok: false; reason: 'guard'; detail: TServiceGuard }
  | { ok: false; reason: 'needs_input'; detail: TServiceMissing };

interface Rule {
  from: readonly TServiceOrderState[];
  by: readonly TServiceParty[];
  needsNote: boolean;
  guard?: (
    s: ServiceOrderMachine,
    parties: readonly TServiceParty[],
    now: number,
  ) => TServiceGuard | null;
  to: (s: ServiceOrderMachine, input: ServiceTransitionInput) => ServiceOrderMachine;
}

export const SERVICE_TRANSITIONS: Record<TServiceOrderAction, Rule> = {
  dispatch: {
    from: ['ordered', 'dispatched'],
    by: ['station'],
    needsNote: false,
    to: (s, i) => ({ ...s, state: 'dispatched', needed: i.needed ?? s.needed }),
  },
  decline: {
    from: ['ordered', 'dispatched'],
    by: ['station'],
    needsNote: true,
    to: (s) => ({ ...s, state: 'declined' }),
  },
  take: {
    from: ['dispatched', 'taken'],
    by: ['team'],
    needsNote: false,
    guard: (s, parties) =>
      parties.includes('taker') ? 'already_taker' : s.takers >= s.needed ? 'seats_full' : null,
    to: (s) => ({ ...s, state: 'taken', takers: s.takers + 1 }),
  },
  release: {
    from: ['taken', 'on_site'],
    by: ['taker'],
    needsNote: false,
    guard: (_s, parties) => (parties.includes('present') ? 'checked_in' : null),
    to: (s) => ({
      ...s,
      takers: s.takers - 1,
      state: s.state === 'taken' && s.takers === 1 ? 'dispatched' : s.state,
    }),
  },
  check_in: {
    from: ['taken', 'on_site'],
    by: ['taker'],
    needsNote: false,
    guard: (_s, parties) => (parties.includes('present') ? 'checked_in' : null),
    to: (s) => ({ ...s, state: 'on_site' }),
  },
  finish: {
    from: ['on_site'],
    by: ['present'],
    needsNote: true,
    to: (s, i) => ({ ...s, state: 'done', doneAt: i.now }),
  },
  confirm: {
    from: ['done'],
    by: ['requester'],
    needsNote: false,
    to: (s) => ({ ...s, state: 'confirmed' }),
  },
  confirm_for: {
    from: ['done'],
    by: ['station'],
    needsNote: true,
    guard: (s, _p, now) =>
      s.doneAt !== null && now - s.doneAt < CONFIRM_TIMEOUT_MS ? 'confirm_pending' : null,
    to: (s) => ({ ...s, state: 'confirmed' }),
  },
  cancel: {
    from: ['ordered', 'dispatched', 'taken'],
    by: ['requester'],
    needsNote: false,
    to: (s) => ({ ...s, state: 'cancelled' }),
  },
};

/** Applies one action by the given parties; never throws, never mutates its input. */
export function serviceTransition(
  current: ServiceOrderMachine,
  action: TServiceOrderAction,
  parties: readonly TServiceParty[],
  input: ServiceTransitionInput,
): ServiceTransitionResult {
  const rule = SERVICE_TRANSITIONS[action];
  if (!rule.by.some((p) => parties.includes(p))) {
    return {
      ok: false,
      reason: 'not_allowed',
      detail: `${action} may be done by ${rule.by.join(' or ')}`,
    };
  }
  if (!rule.from.includes(current.state)) {
    return {
      ok: false,
      reason: 'wrong_state',
      detail: `${action} is not possible in state ${current.state}`,
    };
  }
  const blocked = rule.guard?.(current, parties, input.now);
  if (blocked) return { ok: false, reason: 'guard', detail: blocked };
  if (rule.needsNote && !input.note?.trim()) {
    return { ok: false, reason: 'needs_input', detail: 'note' };
  }
  if (action === 'dispatch') {
    if (!input.teamId) return { ok: false, reason: 'needs_input', detail: 'teamId' };
    if (!input.deadline || input.deadline <= input.now) {
      return { ok: false, reason: 'needs_input', detail: 'deadline' };
    }
    if (input.needed != null && (input.needed < 1 || input.needed > 10)) {
      return { ok: false, reason: 'needs_input', detail: 'volunteersNeeded' };
    }
  }
  return { ok: true, next: rule.to(current, input) };
}

/** The actions these parties could take now (for the buttons a screen shows). */
export function availableServiceActions(
  current: ServiceOrderMachine,
  parties: readonly TServiceParty[],
  now: number,
): TServiceOrderAction[] {
  return SERVICE_ORDER_ACTIONS.filter((a) => {
    const rule = SERVICE_TRANSITIONS[a];
    return (
      rule.from.includes(current.state) &&
      rule.by.some((p) => parties.includes(p)) &&
      !(rule.guard?.(current, parties, now) ?? null)
    );
  });
}

/** States in which nobody works on the order any more. */
export const FINAL_SERVICE_STATES: readonly TServiceOrderState[] = [
  'confirmed',
  'declined',
  'cancelled',
];

/** States in which the order is in the team's hands (its deadline runs). */
export const SERVING_STATES: readonly TServiceOrderState[] = ['dispatched', 'taken', 'on_site'];

/**
 * Overdue: dispatched with a deadline, and not done by it — done late, or still being served
 * after it. A declined or cancelled order is never overdue.
 */
export function isOverdue(
  o: { state: TServiceOrderState; deadline: number | null; doneAt: number | null },
  now: number,
): boolean {
  if (o.deadline === null || ['declined', 'cancelled', 'ordered'].includes(o.state)) return false;
  return (o.doneAt ?? now) > o.deadline;
}

/** The moments an order reached each step (epoch ms; null: not reached). */
export interface ServiceStamps {
  orderedAt: number;
  dispatchedAt: number | null;
  takenAt: number | null;
  onSiteAt: number | null;
  doneAt: number | null;
  confirmedAt: number | null;
}

export const SERVICE_STEPS = ['dispatch', 'take', 'arrive', 'serve', 'confirm'] as const;
export type TServiceStep = (typeof SERVICE_STEPS)[number];
export const SERVICE_STEP_LABELS: Record<TServiceStep, { zh: string; en: string }> = {
  dispatch: { zh: '点单→派单', en: 'Ordered → dispatched' },
  take: { zh: '派单→接单', en: 'Dispatched → taken' },
  arrive: { zh: '接单→到场', en: 'Taken → on site' },
  serve: { zh: '到场→完成', en: 'On site → done' },
  confirm: { zh: '完成→确认', en: 'Done → confirmed' },
};

/**
 * How long each step took (ms), null for a step not (yet) taken. A re-dispatch moves the dispatch
 * time, so the steps always add up to the time from the order to the last step reached.
 */
export function stepDurations(s: ServiceStamps): Record<TServiceStep, number | null> {
  const span = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  return {
    dispatch: span(s.orderedAt, s.dispatchedAt),
    take: span(s.dispatchedAt, s.takenAt),
    arrive: span(s.takenAt, s.onSiteAt),
    serve: span(s.onSiteAt, s.doneAt),
    confirm: span(s.doneAt, s.confirmedAt),
  };
}
