import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Drawer, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import {
  PLACE_KIND_LABELS,
  type TMonthlyRecord,
  type TPlace,
} from '../../../core/contracts/volunteers.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { get } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, useI18n } from '../../shared/i18n.js';

const KIND_COLORS = { center: 'red', institute: 'volcano', station: 'orange', lei_feng: 'blue' };

/** 新时代文明实践中心/所/站 and 学雷锋志愿服务站, each with its monthly activity record. */
export function PracticePlacesTab() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [places, setPlaces] = useState<TPlace[]>([]);
  const [open, setOpen] = useState<TPlace | null>(null);
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const [record, setRecord] = useState<TMonthlyRecord | null>(null);

  useEffect(() => {
    get<TPlace[]>('/api/practice-places')
      .then(setPlaces)
      .catch((err: unknown) => message.error(errorText(err, lang)));
  }, []);
  useEffect(() => {
    setRecord(null);
    if (!open) return;
    get<TMonthlyRecord>(`/api/practice-places/${open.id}/monthly?month=${month.format('YYYY-MM')}`)
      .then(setRecord)
      .catch((err: unknown) => message.error(errorText(err, lang)));
  }, [open?.id, month]);

  return (
    <>
      <Table<TPlace>
        rowKey="id"
        size="small"
        dataSource={places}
        pagination={false}
        scroll={{ x: 900 }}
        onRow={(p) => ({ onClick: () => setOpen(p), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t({ zh: '类型', en: 'Kind' }),
            dataIndex: 'kind',
            width: 170,
            render: (k: TPlace['kind']) => (
              <Tag color={KIND_COLORS[k]}>{t(PLACE_KIND_LABELS[k])}</Tag>
            ),
          },
          { title: t({ zh: '名称', en: 'Name' }), dataIndex: 'name' },
          { title: t({ zh: '区划', en: 'Region' }), dataIndex: 'regionName', width: 110 },
          { title: t({ zh: '地址', en: 'Address' }), dataIndex: 'address' },
          { title: t({ zh: '开放时间', en: 'Opening hours' }), dataIndex: 'openingHours' },
          {
            title: t({ zh: '工作人员', en: 'Staff' }),
            dataIndex: 'staff',
            render: (s: string[]) => s.join('、'),
          },
          {
            title: t({ zh: '本月活动', en: 'This month' }),
            dataIndex: 'activitiesThisMonth',
            width: 100,
            align: 'right',
            render: (n: number) =>
              n === 0 ? <Tag color="red">{t({ zh: '无活动', en: 'none' })}</Tag> : n,
          },
        ]}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open?.name}
        size={Math.min(720, window.innerWidth)}
      >
        {open && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {t(PLACE_KIND_LABELS[open.kind])} · {open.address ?? '—'} · {open.openingHours ?? ''}
            </Typography.Text>
            <Space>
              <Typography.Text strong>
                {t({ zh: '月度活动记录', en: 'Monthly activity record' })}
              </Typography.Text>
              <DatePicker
                picker="month"
                value={month}
                onChange={(d) => d && setMonth(d)}
                allowClear={false}
              />
              <Button
                icon={<DownloadOutlined />}
                href={`/api/practice-places/${open.id}/monthly.xlsx?month=${month.format('YYYY-MM')}`}
              >
                {t({ zh: '导出佐证', en: 'Export as evidence' })}
              </Button>
            </Space>
            <Table
              size="small"
              rowKey="id"
              loading={record === null}
              dataSource={record?.activities ?? []}
              pagination={false}
              columns={[
                { title: t({ zh: '活动', en: 'Activity' }), dataIndex: 'title' },
                {
                  title: t({ zh: '时间', en: 'Time' }),
                  dataIndex: 'startsAt',
                  render: (v: string) => formatTime(v),
                },
                {
                  title: t({ zh: '报名', en: 'Signed up' }),
                  dataIndex: 'signedUp',
                  align: 'right',
                },
                { title: t({ zh: '签到', en: 'Attended' }), dataIndex: 'attended', align: 'right' },
                {
                  title: t({ zh: '时长(小时)', en: 'Hours' }),
                  dataIndex: 'minutes',
                  align: 'right',
                  render: (m: number) => minutesToHours(m),
                },
              ]}
              summary={() =>
                record ? (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      {t({
                        zh: `合计 ${record.totals.activities} 场`,
                        en: `${record.totals.activities} activities`,
                      })}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} />
                    <Table.Summary.Cell index={2} />
                    <Table.Summary.Cell index={3} align="right">
                      {record.totals.attended}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={4} align="right">
                      {minutesToHours(record.totals.minutes)}
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                ) : null
              }
            />
          </Space>
        )}
      </Drawer>
    </>
  );
}
