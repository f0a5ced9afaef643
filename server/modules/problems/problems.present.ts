import type {
  TCategory,
  TProblem,
  TProblemChannel,
  TProblemEvent,
  TSeverity,
} from '../../../core/contracts/problems.js';
import type { CalendarTable } from '../../../core/calendar/working-days.js';
import { escalationLevel } from '../../../core/problems/escalation.js';
import type { TProblemState } from '../../../core/problems/lifecycle.js';
import type { CategoryRow, EventRow, ProblemRow } from './problems.repo.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A problem as the API shows it; the escalation colour is derived here, at `now`. */
export function presentProblem(p: ProblemRow, now: Date, calendar: CalendarTable): TProblem {
  const state = p.state as TProblemState;
  return {
    id: p.id,
    code: p.code,
    title: p.title,
    description: p.description,
    categoryId: p.categoryId,
    categoryName: p.categoryName,
    severity: p.severity as TSeverity,
    channel: p.channel as TProblemChannel,
    state,
    escalation: escalationLevel(
      { state, deadline: p.deadline, reworkCount: p.reworkCount },
      now,
      calendar,
    ),
    lat: p.lat,
    lng: p.lng,
    address: p.address,
    regionId: p.regionId,
    regionName: p.regionName,
    reporterName: p.reporterName,
    externalRef: p.externalRef,
    unitId: p.unitId,
    unitName: p.unitName,
    deadline: iso(p.deadline),
    reworkCount: p.reworkCount,
    recurrenceOfId: p.recurrenceOfId,
    mergedIntoId: p.mergedIntoId,
    extensionPending: p.extensionPending,
    extensionRequestedDeadline: iso(p.extensionRequestedDeadline),
    registeredAt: iso(p.registeredAt),
    dispatchedAt: iso(p.dispatchedAt),
    submittedAt: iso(p.submittedAt),
    closedAt: iso(p.closedAt),
    handedTo:
      p.handedToRegionId !== null
        ? {
            regionId: p.handedToRegionId,
            name: p.handedToName ?? '',
            at: iso(p.handedAt)!,
            dueAt: iso(p.handDueAt),
            overdue: state === 'registered' && p.handDueAt !== null && p.handDueAt < now,
          }
        : null,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function presentEvent(e: EventRow): TProblemEvent {
  return {
    id: e.id,
    action: e.action,
    fromState: e.fromState,
    toState: e.toState,
    actorName: e.actorName,
    at: e.at.toISOString(),
    note: e.note,
    data: eventData(e.data),
  };
}

/** An event's data without the phone's client id (the idempotency key is no one's business). */
function eventData(data: unknown): Record<string, unknown> | null {
  if (data === null || typeof data !== 'object') return null;
  const { clientId: _clientId, ...rest } = data as Record<string, unknown>;
  return rest;
}

export function presentCategory(c: CategoryRow): TCategory {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    parentId: c.parentId,
    deadlineDays: c.deadlineDays ?? null,
    active: c.active,
  };
}
