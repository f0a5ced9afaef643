import type { TGrid, TPatrol } from '../../core/contracts/grids.js';
import type { TAssignedPoint, TMyRound, TVisit } from '../../core/contracts/inspections.js';
import type { TOutreachPairing } from '../../core/contracts/outreach.js';
import type { TGuideAssignment } from '../../core/contracts/surveys.js';
import type { TServiceOrder } from '../../core/contracts/service-orders.js';
import type { TActivity } from '../../core/contracts/volunteers.js';

// Records for the phone app's component tests, shaped by core/contracts (web/test/fixtures.ts has
// the admin's).

const AT = '2026-11-23T02:00:00.000Z';

export function grid(over: Partial<TGrid> = {}): TGrid {
  return {
    id: 5,
    code: '990102001001001',
    name: '湖滨一网格',
    regionId: 3,
    regionName: '湖滨社区',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [120.155, 30.262],
          [120.165, 30.262],
          [120.165, 30.277],
          [120.155, 30.277],
          [120.155, 30.262],
        ],
      ],
    },
    population: null,
    households: null,
    active: true,
    leaderName: null,
    version: 1,
    ...over,
  };
}

export function patrol(over: Partial<TPatrol> = {}): TPatrol {
  return {
    id: 1,
    clientId: '00000000-0000-4000-8000-000000000001',
    gridId: 5,
    gridName: '湖滨一网格',
    workerId: 1,
    workerName: '孙网格',
    state: 'ended',
    startedAt: AT,
    endedAt: AT,
    distanceM: 820,
    coverage: 0.4,
    pointCount: 30,
    problemCount: 2,
    ...over,
  };
}

export function assignedPoint(over: Partial<TAssignedPoint> = {}): TAssignedPoint {
  return {
    id: 11,
    name: '湖滨路',
    type: 'P01',
    typeName: '主次干道',
    route: null,
    address: '湖滨路 1 号',
    lat: null,
    lng: null,
    unitName: null,
    added: false,
    districtName: '湖滨区',
    dayId: null,
    checklist: [],
    visitId: null,
    visitResult: null,
    visitScore: null,
    ...over,
  };
}

export function myRound(over: Partial<TMyRound> = {}): TMyRound {
  return {
    id: 7,
    name: '12月模拟测评',
    kind: 'mock',
    startsOn: null,
    endsOn: null,
    points: [],
    addableTypes: [],
    days: [],
    ...over,
  };
}

/** A stored visit as the server answers POST /api/visits and GET /api/visits/:id. */
export function visit(over: Partial<TVisit> = {}): TVisit {
  return {
    id: 501,
    clientId: '00000000-0000-4000-8000-000000000501',
    rootId: 501,
    previousId: null,
    version: 1,
    latest: true,
    reason: null,
    roundId: 7,
    roundName: '12月模拟测评',
    pointId: 11,
    pointName: '湖滨路',
    pointType: 'P01',
    pointTypeName: '主次干道',
    added: false,
    unitId: null,
    unitName: null,
    inspectorId: 1,
    inspectorName: '王测评',
    items: [],
    ratings: null,
    note: null,
    lat: null,
    lng: null,
    accuracyM: null,
    distanceM: null,
    far: false,
    visitedAt: AT,
    createdAt: AT,
    passed: 0,
    failed: 0,
    notApplicable: 0,
    seriousFailed: 0,
    score: null,
    result: 'pass',
    problemId: null,
    problemCode: null,
    ...over,
  };
}

export function quota(over: Partial<TGuideAssignment> = {}): TGuideAssignment {
  return {
    quotaId: 3,
    roundId: 2,
    roundName: '第四季度',
    surveyName: '群众满意度调查',
    regionName: '湖滨区',
    group: '18-35岁',
    mode: 'household',
    target: 40,
    done: 10,
    mine: 4,
    // The guide's form is not the task list's business.
    questionnaire: {} as TGuideAssignment['questionnaire'],
    ...over,
  };
}

export function activity(over: Partial<TActivity> = {}): TActivity {
  return {
    id: 21,
    title: '湖滨公园清洁行动',
    description: null,
    startsAt: '2026-11-28T01:00:00.000Z',
    endsAt: '2026-11-28T03:00:00.000Z',
    placeId: null,
    placeName: '湖滨公园',
    address: null,
    lat: null,
    lng: null,
    regionId: 3,
    capacity: 20,
    signedUp: 5,
    checkedIn: 0,
    organiserUnitId: null,
    organiserUnitName: null,
    organiserTeamId: null,
    organiserTeamName: null,
    status: 'published',
    version: 1,
    mine: { signedUp: true, checkInAt: null, checkOutAt: null },
    photoIds: [],
    ...over,
  };
}

export function pairing(over: Partial<TOutreachPairing> = {}): TOutreachPairing {
  return {
    id: 1,
    unitId: 7,
    unitName: '市城市管理综合执法局',
    regionId: 3,
    regionName: '湖滨社区',
    building: '',
    leaderId: null,
    targetHouseholds: 24,
    visitedHouseholds: 0,
    coverage: 0,
    active: true,
    version: 1,
    ...over,
  };
}

/** A service order (点单派单) as the volunteer's phone reads it: dispatched to their team. */
export function serviceOrder(over: Partial<TServiceOrder> = {}): TServiceOrder {
  return {
    id: 31,
    trackingCode: 'FW23456789AB',
    channel: 'public',
    state: 'dispatched',
    placeId: 5,
    placeName: '湖滨社区新时代文明实践站',
    itemId: 9,
    itemName: '助老陪诊',
    category: 'elderly',
    need: '老人腿脚不便，需要陪同复诊',
    preferredTime: null,
    address: '湖滨路 12 号',
    lat: 30.2631,
    lng: 120.1502,
    contactName: '张**',
    contactPhone: '139****5678',
    orderedByName: null,
    teamId: 3,
    teamName: '湖滨助老服务队',
    deadline: '2026-11-25T10:00:00.000Z',
    volunteersNeeded: 1,
    takers: [],
    orderedAt: AT,
    dispatchedAt: AT,
    takenAt: null,
    onSiteAt: null,
    doneAt: null,
    confirmedAt: null,
    declinedAt: null,
    declineReason: null,
    doneNote: null,
    photos: [],
    satisfied: null,
    comment: null,
    confirmedBy: null,
    confirmReason: null,
    overdue: false,
    actions: ['take'],
    version: 2,
    ...over,
  };
}
