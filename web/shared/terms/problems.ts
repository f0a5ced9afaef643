import type { L } from '../i18n.js';

/** Problems and their closed loop (GLOSSARY.md, "Problems"). */
export const problems = {
  problem: { zh: '问题', en: 'Problem' },
  problemCategory: { zh: '问题类别', en: 'Category' },
  description: { zh: '问题描述', en: 'Description' },
  /** A problem's 来源 (inspection, patrol, citizen…); elsewhere 来源 is common.source. */
  channel: { zh: '来源', en: 'Channel' },
  reported: { zh: '上报', en: 'Reported' },
  register: { zh: '立案', en: 'Registered' },
  dispatch: { zh: '交办', en: 'Dispatch' },
  /** The action: hand the problem to a lower office. */
  handDown: { zh: '交办下级', en: 'Hand down' },
  /** The event or filter: it was handed down. */
  handedDown: { zh: '交办下级', en: 'Handed down' },
  handDownsOverdue: { zh: '交办逾期', en: 'Hand-downs overdue' },
  /** The action: put a problem in its region on the map. */
  place: { zh: '确定区域', en: 'Place it' },
  /** The event in a problem's timeline. */
  placed: { zh: '确定区域', en: 'Placed' },
  /** The event: the citizen who reported it said it is not fixed (随手拍, once, in a window). */
  reporterReopen: { zh: '群众申请重新办理', en: 'Reopened at the reporter’s request' },
  /** The event and the field: 满意 / 基本满意 / 不满意 of the citizen who reported it. */
  reporterRating: { zh: '群众评价', en: 'Reporter’s rating' },
  /** (满意 + 基本满意) ÷ ratings given, of rated problems only. */
  reporterSatisfaction: { zh: '群众满意率', en: 'Reporter satisfaction' },
  /** The order number in the hotline's (12345) own system. */
  externalNo: { zh: '外部工单号', en: 'External order no.' },
  rectifyDeadline: { zh: '整改期限', en: 'Deadline' },
  whatWasDone: { zh: '整改情况', en: 'What was done' },
  after: { zh: '整改后', en: 'After' },
  afterPhotos: { zh: '整改后照片', en: 'Photos after the fix' },
  verifyPhotos: { zh: '核查照片', en: 'Photos of the check' },
  before: { zh: '问题照片', en: 'Before' },
  requestExtension: { zh: '申请延期', en: 'Ask for more time' },
  extendTo: { zh: '申请延期至', en: 'New deadline' },
  rework: { zh: '返工', en: 'Rework' },
  /** A step sent back (rework): the state label of a returned item. */
  returned: { zh: '退回', en: 'Returned' },
  close: { zh: '销号', en: 'Closed' },
  open: { zh: '未办结', en: 'Open' },
  escalation: { zh: '督办', en: 'Escalation' },
  escalationLevel: { zh: '督办等级', en: 'Escalation level' },
  recurrence: { zh: '反弹', en: 'Recurrence' },
  ledger: { zh: '问题台账', en: 'Problem ledger' },
  closeRate: { zh: '结案率', en: 'Close rate' },
  onTimeCloseRate: { zh: '按期结案率', en: 'On-time close rate' },
  reworkRate: { zh: '返工率', en: 'Rework rate' },
  exposureBoard: { zh: '曝光台', en: 'Exposure board' },
  citizenReport: { zh: '随手拍', en: 'Citizen report' },
} as const satisfies Record<string, L>;
