import type { L } from '../i18n.js';

/** Volunteers and their activities (GLOSSARY.md, "Grids, surveys, volunteers, results"). */
export const volunteers = {
  activity: { zh: '志愿活动', en: 'Volunteer activity' },
  serviceHours: { zh: '服务时长', en: 'Service hours' },
  team: { zh: '服务队', en: 'Team' },
  seats: { zh: '名额', en: 'Seats' },
  signUp: { zh: '报名', en: 'Sign up' },
  signedUp: { zh: '已报名', en: 'Signed up' },
  cancelSignUp: { zh: '取消报名', en: 'Cancel sign-up' },
  checkIn: { zh: '签到', en: 'Check in' },
  checkOut: { zh: '签退', en: 'Check out' },
  checkedIn: { zh: '已签到', en: 'Checked in' },
  registeredVolunteers: { zh: '注册志愿者', en: 'Registered volunteers' },
  volunteerService: { zh: '志愿服务', en: 'Volunteer service' },
  hoursServed: { zh: '服务时长(小时)', en: 'Hours served' },
  noCheckOut: { zh: '未签退', en: 'No check-out' },
  idleStations: { zh: '本月无活动的阵地', en: 'Stations idle this month' },
  idNumber: { zh: '身份证号', en: 'ID number' },
  realName: { zh: '实名', en: 'Real-name' },
  notRealName: { zh: '未实名', en: 'No ID on file' },
  nationalSystem: { zh: '全国系统', en: 'National system' },
} as const satisfies Record<string, L>;
