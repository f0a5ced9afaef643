import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { defaultScheduleRows, scheduleRowProblems, toSchedule } from './round-schedule.js';

const DISTRICTS = [
  { id: 2, name: '东湖区' },
  { id: 5, name: '西城区' },
  { id: 8, name: '南山区' },
];

describe('the round editor’s schedule', () => {
  it('starts with one day per district, dates left blank', () => {
    expect(defaultScheduleRows(DISTRICTS)).toEqual([
      { date: null, regionIds: [2] },
      { date: null, regionIds: [5] },
      { date: null, regionIds: [8] },
    ]);
  });

  it('posts each row as a date and its districts, in the table’s order', () => {
    expect(
      toSchedule([
        { date: dayjs('2026-12-09'), regionIds: [5, 8] },
        { date: dayjs('2026-12-08'), regionIds: [2] },
      ]),
    ).toEqual([
      { date: '2026-12-09', regionIds: [5, 8], overrides: [] },
      { date: '2026-12-08', regionIds: [2], overrides: [] },
    ]);
  });

  it('reports a date twice or a district on two days once every row is filled in', () => {
    const zh = (rows: Parameters<typeof scheduleRowProblems>[0]) =>
      scheduleRowProblems(rows, [], DISTRICTS).map((p) => p.zh);
    expect(zh([])).toEqual(['请至少安排一天']);
    // A row still being filled in answers for itself (its required fields).
    expect(
      zh([
        { date: null, regionIds: [2] },
        { date: dayjs('2026-12-08'), regionIds: [2] },
      ]),
    ).toEqual([]);
    expect(
      zh([
        { date: dayjs('2026-12-08'), regionIds: [2] },
        { date: dayjs('2026-12-09'), regionIds: [5, 2] },
        { date: dayjs('2026-12-09'), regionIds: [8] },
      ]),
    ).toEqual([
      '东湖区 同时安排在 2026-12-08 和 2026-12-09，每个城区只能安排一天',
      '日期 2026-12-09 重复',
    ]);
    expect(
      zh([
        { date: dayjs('2026-12-08'), regionIds: [2, 5] },
        { date: dayjs('2026-12-09'), regionIds: [8] },
      ]),
    ).toEqual([]);
  });
});
