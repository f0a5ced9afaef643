import {
  App,
  Button,
  Card,
  DatePicker,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Permission } from '../../../core/permissions.js';
import type { ApiResponse } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** A day of the table (an exception to Monday–Friday). */
type Day = ApiResponse<'GET /api/calendar/:year'>['days'][number];

/** The holiday table that deadlines count on: public holidays and adjusted working days (调休). */
export function CalendarPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [year, setYear] = useState(new Date().getFullYear());
  // The year's table as read, and the user's changes to it until they are saved.
  const table = useApi('GET /api/calendar/:year', { params: { year } });
  const [edited, setEdited] = useState<{ year: number; days: Day[] } | null>(null);
  const dirty = edited?.year === year;
  const days = dirty ? edited.days : (table.data?.days ?? []);
  const setDays = (next: (d: Day[]) => Day[]) => setEdited({ year, days: next(days) });
  const writable = can(Permission.CalendarWrite);
  // Refetches the year's table (every read under /api/calendar).
  const put = useApiMutation('PUT /api/calendar/:year');

  const save = async () => {
    try {
      await put.mutateAsync({ params: { year }, body: { days } });
      setEdited(null);
      message.success(
        t({ zh: '已保存，新的整改期限将按此计算', en: 'Saved; new deadlines count on it' }),
      );
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
  const update = (i: number, patch: Partial<Day>) => {
    setDays((d) => d.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  };

  return (
    <Card
      title={t({ zh: '节假日与调休', en: 'Holidays and adjusted workdays' })}
      extra={
        <Space>
          <InputNumber value={year} min={2000} max={2100} onChange={(v) => v && setYear(v)} />
          {writable && (
            <Button type="primary" disabled={!dirty} onClick={() => void save()}>
              {t(L.common.save)}
            </Button>
          )}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {t({
          zh: '周一至周五为工作日、周六周日休息；此表只记例外：放假的工作日和调休上班的周末。',
          en: 'Monday–Friday are working days; this table holds the exceptions: holidays on weekdays and working weekends.',
        })}
      </Typography.Paragraph>
      {writable && (
        <Space style={{ marginBottom: 12 }}>
          <DatePicker
            placeholder={t({ zh: '添加日期', en: 'Add a day' })}
            disabledDate={(d) =>
              d.year() !== year || days.some((x) => x.day === d.format('YYYY-MM-DD'))
            }
            onChange={(d) => {
              if (!d) return;
              const day = d.format('YYYY-MM-DD');
              const weekend = [0, 6].includes(d.day());
              setDays((list) =>
                [
                  ...list,
                  { day, kind: weekend ? ('workday' as const) : ('holiday' as const), name: '' },
                ].sort((a, b) => a.day.localeCompare(b.day)),
              );
            }}
          />
        </Space>
      )}
      <Table<Day>
        rowKey="day"
        size="small"
        dataSource={days}
        pagination={false}
        columns={[
          {
            title: t(L.common.date),
            dataIndex: 'day',
            width: 160,
            render: (d: string) => {
              const dow = dayjs(d).day();
              const name = t({ zh: `周${'日一二三四五六'[dow]}`, en: WEEKDAYS_EN[dow]! });
              return `${d}（${name}）`;
            },
          },
          {
            title: t(L.common.type),
            dataIndex: 'kind',
            width: 160,
            render: (k: Day['kind'], _r, i) => (
              <Select
                value={k}
                disabled={!writable}
                style={{ width: 140 }}
                onChange={(v: Day['kind']) => update(i, { kind: v })}
                options={[
                  { value: 'holiday', label: t({ zh: '放假', en: 'Holiday' }) },
                  { value: 'workday', label: t({ zh: '调休上班', en: 'Working day' }) },
                ]}
              />
            ),
          },
          {
            title: t(L.common.name),
            dataIndex: 'name',
            render: (n: string, _r, i) => (
              <Input
                value={n}
                disabled={!writable}
                maxLength={50}
                onChange={(e) => update(i, { name: e.target.value })}
              />
            ),
          },
          ...(writable
            ? [
                {
                  title: '',
                  key: 'x',
                  width: 80,
                  render: (_: unknown, r: Day) => (
                    <a
                      onClick={() => {
                        setDays((d) => d.filter((x) => x.day !== r.day));
                      }}
                    >
                      {t(L.common.delete)}
                    </a>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
