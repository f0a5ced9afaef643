import { describe, expect, it } from 'vitest';
import {
  nationalRecordKey,
  parseServiceDate,
  parseServiceMinutes,
  titleKey,
} from './national-hours.js';
import {
  DEFAULT_NATIONAL_LAYOUT,
  layoutProblems,
  nationalCell,
  type TNationalLayout,
} from './national-layout.js';

describe('hours recorded in the national system', () => {
  it('reads the dates their sheets write', () => {
    for (const t of [
      '2026-03-01',
      '2026/3/1',
      '2026年3月1日',
      '2026.03.01',
      '20260301',
      '2026-03-01 09:00-11:00',
      '2026-03-01T00:00:00.000Z',
      '２０２６－０３－０１',
    ]) {
      expect(parseServiceDate(t), t).toBe('2026-03-01');
    }
    for (const t of ['2026-02-30', '3/1/2026', '', '昨天', '2026-13-01']) {
      expect(parseServiceDate(t), t).toBeNull();
    }
  });

  it('reads hours written as hours, hours and minutes, or minutes', () => {
    expect(parseServiceMinutes('2')).toBe(120);
    expect(parseServiceMinutes('2.5')).toBe(150);
    expect(parseServiceMinutes('2.5 小时')).toBe(150);
    expect(parseServiceMinutes('1.5h')).toBe(90);
    expect(parseServiceMinutes('1小时30分')).toBe(90);
    expect(parseServiceMinutes('90分钟')).toBe(90);
    expect(parseServiceMinutes('45 min')).toBe(45);
    expect(parseServiceMinutes('0.33')).toBe(20);
    for (const t of ['0', '-1', '25', 'abc', '', '2天'])
      expect(parseServiceMinutes(t), t).toBeNull();
  });

  it('keys a record by its national id, else by volunteer, activity, day and minutes', () => {
    expect(
      nationalRecordKey({
        recordId: ' R-001 ',
        volunteerId: 1,
        activity: 'x',
        date: '2026-03-01',
        minutes: 60,
      }),
    ).toBe('rec:R-001');
    const a = nationalRecordKey({
      recordId: null,
      volunteerId: 7,
      activity: '“文明交通” 劝导',
      date: '2026-03-01',
      minutes: 120,
    });
    expect(a).toBe(
      nationalRecordKey({
        recordId: '',
        volunteerId: 7,
        activity: '文明交通劝导',
        date: '2026-03-01',
        minutes: 120,
      }),
    );
    expect(titleKey(' 文明 交通 ')).toBe('文明交通');
  });
});

describe('the national layout', () => {
  it('the default layout is valid', () => {
    expect(layoutProblems(DEFAULT_NATIONAL_LAYOUT)).toEqual([]);
  });

  it('names unknown fields, formats a field does not take, fixed columns without value, repeated headers', () => {
    const bad: TNationalLayout = {
      volunteers: [
        { header: '姓名', field: 'name' },
        { header: '姓名', field: 'nope' },
      ],
      activities: [{ header: '开始', field: 'startsAt', format: 'hours1' }],
      hours: [{ header: '类型', field: 'const' }],
    };
    expect(layoutProblems(bad).map((p) => p.path.join('.'))).toEqual([
      'volunteers.1.field',
      'volunteers.1.header',
      'activities.0.format',
      'hours.0.value',
    ]);
    // Object.prototype's names are no fields.
    expect(
      layoutProblems({ ...bad, volunteers: [{ header: 'x', field: 'constructor' }] })[0]!.path,
    ).toEqual(['volunteers', 0, 'field']);
  });

  it('formats cells in Shanghai time and the column’s format', () => {
    const at = new Date('2026-03-01T01:05:09Z'); // 09:05:09 in Shanghai
    expect(nationalCell('hours', { header: 'd', field: 'date' }, at)).toBe('2026-03-01');
    expect(nationalCell('hours', { header: 'd', field: 'date', format: 'date8' }, at)).toBe(
      '20260301',
    );
    expect(nationalCell('hours', { header: 's', field: 'startsAt' }, at)).toBe('2026-03-01 09:05');
    expect(
      nationalCell('hours', { header: 's', field: 'startsAt', format: 'datetimeSec' }, at),
    ).toBe('2026-03-01 09:05:09');
    expect(nationalCell('hours', { header: 'h', field: 'hours' }, 95)).toBe(1.6);
    expect(nationalCell('hours', { header: 'h', field: 'hours', format: 'hours2' }, 95)).toBe(1.58);
    expect(nationalCell('hours', { header: 'h', field: 'hours', format: 'minutes' }, 95)).toBe(95);
    expect(nationalCell('hours', { header: 't', field: 'const', value: '居民身份证' }, null)).toBe(
      '居民身份证',
    );
    expect(nationalCell('volunteers', { header: 'n', field: 'organisation' }, null)).toBeNull();
  });
});
