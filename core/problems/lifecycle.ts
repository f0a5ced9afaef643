/**
 * The problem lifecycle (交办 → 整改 → 核查 → 销号) as a pure state machine. Every transition names
 * the party that may take it; anything else is refused with a reason the service turns into a 409.
 */

export const PROBLEM_STATES = [
  'reported', // 上报, waiting to be accepted
  'registered', // 立案, waiting to be dispatched
  'rejected', // 不予立案
  'dispatched', // 已派遣 to a unit, being rectified
  'returned', // 退回: the unit says it is not theirs; the office re-dispatches
  'submitted', // 整改已提交, waiting for verification (回头看)
  'closed', // 销号
  'deferred', // 缓办
  'merged', // 已合并: a duplicate folded into another problem (terminal)
] as const;
export type TProblemState = (typeof PROBLEM_STATES)[number];

export const PROBLEM_STATE_LABELS: Record<TProblemState, { zh: string; en: string }> = {
  reported: { zh: '待立案', en: 'Reported' },
  registered: { zh: '待派遣', en: 'Registered' },
  rejected: { zh: '不予立案', en: 'Rejected' },
  dispatched: { zh: '整改中', en: 'Dispatched' },
  returned: { zh: '已退回', en: 'Returned' },
  submitted: { zh: '待核查', en: 'Awaiting verification' },
  closed: { zh: '已销号', en: 'Closed' },
  deferred: { zh: '缓办', en: 'Deferred' },
  merged: { zh: '已合并', en: 'Merged' },
};

export const PROBLEM_ACTIONS = [
  'register',
  'reject',
  'dispatch',
  'return',
  'submit',
  'approve',
  'rework',
  'request_extension',
  'approve_extension',
  'refuse_extension',
  'defer',
  'resume',
  'reopen',
  'merge',
] as const;
export type TProblemAction = (typeof PROBLEM_ACTIONS)[number];

export const PROBLEM_ACTION_LABELS: Record<TProblemAction, { zh: string; en: string }> = {
  register: { zh: '立案', en: 'Register' },
  reject: { zh: '不予立案', en: 'Reject' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  return: { zh: '退回', en: 'Return (not ours)' },
  submit: { zh: '提交整改', en: 'Submit rectification' },
  approve: { zh: '核查通过销号', en: 'Verify and close' },
  rework: { zh: '返工', en: 'Send back for rework' },
  request_extension: { zh: '申请延期', en: 'Request extension' },
  approve_extension: { zh: '同意延期', en: 'Approve extension' },
  refuse_extension: { zh: '驳回延期', en: 'Refuse extension' },
  defer: { zh: '缓办', en: 'Defer' },
  resume: { zh: '恢复办理', en: 'Resume' },
  reopen: { zh: '重新打开', en: 'Reopen' },
  merge: { zh: '合并', en: 'Merge' },
};

/**
 * Who takes part: the office (创建办, also admins), the unit the problem is dispatched to, and a
 * verifier (the office or an inspector doing the 回头看).
 */
export type TParty = 'office' | 'unit' | 'verifier';

export interface ProblemMachineState {
  state: TProblemState;
  /** The unit the problem is (or was last) dispatched to. */
  unitId: number | null;
  reworkCount: number;
  extensionPending: boolean;
}

export interface TransitionRule {
  from: readonly TProblemState[];
  by: readonly TParty[];
  /** The state after; `stay` keeps it (extension requests). */
  to: TProblemState | 'stay' | ((s: ProblemMachineState) => TProblemState);
  /** A reason or note must be given. */
  needsNote: boolean;
  guard?: (s: ProblemMachineState) => string | null;
}

const noPendingExtension = (s: ProblemMachineState) =>
  s.extensionPending ? 'an extension request is already waiting' : null;
const pendingExtension = (s: ProblemMachineState) =>
  s.extensionPending ? null : 'there is no extension request to decide';

/** States in which a problem is still being worked on (or waits to be): merge candidates. */
export const OPEN_STATES: readonly TProblemState[] = [
  'reported',
  'registered',
  'dispatched',
  'returned',
  'submitted',
  'deferred',
];

export const TRANSITIONS: Record<TProblemAction, TransitionRule> = {
  register: { from: ['reported'], by: ['office'], to: 'registered', needsNote: false },
  reject: { from: ['reported'], by: ['office'], to: 'rejected', needsNote: true },
  dispatch: {
    from: ['registered', 'returned'],
    by: ['office'],
    to: 'dispatched',
    needsNote: false,
  },
  return: {
    from: ['dispatched'],
    by: ['unit'],
    to: 'returned',
    needsNote: true,
    guard: noPendingExtension,
  },
  submit: { from: ['dispatched'], by: ['unit'], to: 'submitted', needsNote: true },
  approve: { from: ['submitted'], by: ['verifier'], to: 'closed', needsNote: false },
  rework: { from: ['submitted'], by: ['verifier'], to: 'dispatched', needsNote: true },
  request_extension: {
    from: ['dispatched'],
    by: ['unit'],
    to: 'stay',
    needsNote: true,
    guard: noPendingExtension,
  },
  approve_extension: {
    from: ['dispatched'],
    by: ['office'],
    to: 'stay',
    needsNote: false,
    guard: pendingExtension,
  },
  refuse_extension: {
    from: ['dispatched'],
    by: ['office'],
    to: 'stay',
    needsNote: true,
    guard: pendingExtension,
  },
  defer: {
    from: ['registered', 'dispatched', 'returned'],
    by: ['office'],
    to: 'deferred',
    needsNote: true,
  },
  resume: {
    from: ['deferred'],
    by: ['office'],
    to: (s) => (s.unitId !== null ? 'dispatched' : 'registered'),
    needsNote: false,
  },
  reopen: { from: ['closed', 'rejected'], by: ['office'], to: 'registered', needsNote: true },
  // A duplicate folds into another open problem for good (no reopening: the primary carries on).
  // The target's side of the rule is mergeTargetRefusal below.
  merge: { from: OPEN_STATES, by: ['office'], to: 'merged', needsNote: false },
};

/**
 * 群众申请重新办理: the reporter of a closed problem says it is not fixed. It goes back to the unit
 * that closed it (整改中, with a new deadline), as a failed 回头看 would; a closed problem without a
 * unit (none today) goes back to the office to dispatch. Null: not a closed problem. The reporter
 * is no party of the machine: who they are and how often they may ask is the citizen module's rule
 * (core/citizen/replies.ts).
 */
export function reporterReopenTo(
  s: Pick<ProblemMachineState, 'state' | 'unitId'>,
): TProblemState | null {
  if (s.state !== 'closed') return null;
  return s.unitId !== null ? 'dispatched' : 'registered';
}

export type TransitionResult =
  | { ok: true; next: ProblemMachineState }
  | { ok: false; reason: 'wrong_state' | 'not_allowed' | 'needs_note' | 'guard'; detail: string };

/** Applies one action by one party; never throws, never mutates its input. */
export function transition(
  current: ProblemMachineState,
  action: TProblemAction,
  parties: readonly TParty[],
  input: { note?: string | null; unitId?: number | null } = {},
): TransitionResult {
  const rule = TRANSITIONS[action];
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
  const blocked = rule.guard?.(current);
  if (blocked) return { ok: false, reason: 'guard', detail: blocked };
  if (rule.needsNote && !input.note?.trim()) {
    return { ok: false, reason: 'needs_note', detail: `${action} needs a reason` };
  }
  if (action === 'dispatch' && !input.unitId) {
    return { ok: false, reason: 'needs_note', detail: 'dispatch needs a unit' };
  }
  const to =
    rule.to === 'stay' ? current.state : typeof rule.to === 'function' ? rule.to(current) : rule.to;
  const next: ProblemMachineState = {
    state: to,
    unitId: action === 'dispatch' ? input.unitId! : current.unitId,
    reworkCount: current.reworkCount + (action === 'rework' ? 1 : 0),
    extensionPending:
      action === 'request_extension'
        ? true
        : action === 'approve_extension' || action === 'refuse_extension' || to !== 'dispatched'
          ? false
          : current.extensionPending,
  };
  return { ok: true, next };
}

/** The actions a set of parties could take now (for buttons in the UI). */
export function availableActions(
  current: ProblemMachineState,
  parties: readonly TParty[],
): TProblemAction[] {
  return PROBLEM_ACTIONS.filter((a) => {
    const rule = TRANSITIONS[a];
    return (
      rule.from.includes(current.state) &&
      rule.by.some((p) => parties.includes(p)) &&
      !(rule.guard?.(current) ?? null)
    );
  });
}

/** States in which the problem waits for nobody: finished (closed and rejected can be reopened). */
export const FINAL_STATES: readonly TProblemState[] = ['closed', 'rejected', 'merged'];

/** One side of a merge as the rules see it. */
export interface MergeSide {
  id: number;
  state: TProblemState;
  /** Set only on a merged problem: the problem it was folded into. */
  mergedIntoId: number | null;
}

export type TMergeRefusal =
  /** A problem cannot be merged into itself. */
  | { reason: 'self' }
  /** The target was merged itself; `finalId` is where it went (never itself merged: no chains). */
  | { reason: 'into_merged'; finalId: number | null }
  /** The target is finished (closed or rejected): nothing would carry the duplicate on. */
  | { reason: 'into_final'; state: TProblemState };

/**
 * Why `primary` cannot absorb `duplicate` (null: it can). The duplicate's own state is the
 * machine's rule (`merge` from open states); merging never builds a chain, because a merged problem
 * takes no duplicates, and what the duplicate had absorbed moves on to the primary with it.
 */
export function mergeTargetRefusal(
  duplicate: Pick<MergeSide, 'id'>,
  primary: MergeSide,
): TMergeRefusal | null {
  if (duplicate.id === primary.id) return { reason: 'self' };
  if (primary.state === 'merged') return { reason: 'into_merged', finalId: primary.mergedIntoId };
  if (!OPEN_STATES.includes(primary.state)) return { reason: 'into_final', state: primary.state };
  return null;
}
