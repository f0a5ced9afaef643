import { DownloadOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { PLACE_KIND_LABELS, PLACE_KINDS, type TPlace } from '../../../core/contracts/volunteers.js';
import { administeredRegionOf } from '../../../core/org/grants.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { Permission } from '../../../core/permissions.js';
import { ApiError } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { RegionPicker } from '../../shared/pickers.js';
import { useAuth } from '../auth.js';

const KIND_COLORS = { center: 'red', institute: 'volcano', station: 'orange', lei_feng: 'blue' };

/** 新时代文明实践中心/所/站 and 学雷锋志愿服务站, each with its monthly activity record. */
export function PracticePlacesTab() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState<TPlace | null>(null);
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const { can } = useAuth();
  const writable = can(Permission.VolunteerWrite);
  /** The place being edited, `'new'` for a new one, null when the form is closed. */
  const [editing, setEditing] = useState<TPlace | 'new' | null>(null);
  const placesQ = useApi('GET /api/practice-places', {});
  const places = placesQ.data ?? [];
  const monthly = useApi(
    'GET /api/practice-places/:id/monthly',
    open && { params: { id: open.id }, query: { month: month.format('YYYY-MM') } },
  );
  const record = monthly.data ?? null;
  const failed = placesQ.error ?? monthly.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed]);
  /** Reads the stations again (someone else saved first). */
  const reload = () => void placesQ.refetch();

  return (
    <>
      {writable && (
        <Space style={{ marginBottom: 12 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="place-add"
          >
            {t({ zh: '新建阵地', en: 'Add a station' })}
          </Button>
        </Space>
      )}
      <Table<TPlace>
        rowKey="id"
        size="small"
        dataSource={places}
        pagination={false}
        scroll={{ x: 900 }}
        onRow={(p) => ({ onClick: () => setOpen(p), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t(L.common.type),
            dataIndex: 'kind',
            width: 170,
            render: (k: TPlace['kind']) => (
              <Tag color={KIND_COLORS[k]}>{t(PLACE_KIND_LABELS[k])}</Tag>
            ),
          },
          { title: t(L.common.name), dataIndex: 'name' },
          { title: t(L.org.regionShort), dataIndex: 'regionName', width: 110 },
          { title: t(L.common.address), dataIndex: 'address' },
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
        extra={
          writable &&
          open && (
            <Button
              icon={<EditOutlined />}
              onClick={() => setEditing(open)}
              data-testid="place-edit"
            >
              {t(L.common.edit)}
            </Button>
          )
        }
      >
        {open && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {t(PLACE_KIND_LABELS[open.kind])} · {open.address ?? '—'} · {open.openingHours ?? ''}
              {open.staff.length > 0 ? ` · ${open.staff.join('、')}` : ''}
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
                  title: t(L.common.time),
                  dataIndex: 'startsAt',
                  render: (v: string) => formatTime(v),
                },
                {
                  title: t(L.volunteers.signUp),
                  dataIndex: 'signedUp',
                  align: 'right',
                },
                { title: t(L.volunteers.checkIn), dataIndex: 'attended', align: 'right' },
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
      <PlaceFormModal
        place={editing}
        onClose={() => setEditing(null)}
        onSaved={(p) => {
          setEditing(null);
          if (open?.id === p.id) setOpen(p);
        }}
        onStale={() => {
          setEditing(null);
          setOpen(null);
          reload();
        }}
      />
    </>
  );
}

interface PlaceForm {
  kind: TPlace['kind'];
  name: string;
  regionId?: number | null;
  address?: string;
  lat?: number | null;
  lng?: number | null;
  openingHours?: string;
  staff?: string;
}

/** Creates or edits a practice station; a stale version closes the form and reloads the list. */
function PlaceFormModal(props: {
  place: TPlace | 'new' | null;
  onClose: () => void;
  onSaved: (p: TPlace) => void;
  onStale: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { user: me } = useAuth();
  // 分级管理: a district or street office places its stations within its own subtree.
  const within = me ? administeredRegionOf(me) : null;
  const [form] = Form.useForm<PlaceForm>();
  const [saving, setSaving] = useState(false);
  const p = props.place;
  // Both read the stations again (every read under /api/practice-places).
  const create = useApiMutation('POST /api/practice-places');
  const update = useApiMutation('PATCH /api/practice-places/:id');

  useEffect(() => {
    if (p === null) return;
    form.resetFields();
    if (p !== 'new')
      form.setFieldsValue({
        kind: p.kind,
        name: p.name,
        regionId: p.regionId,
        address: p.address ?? '',
        lat: p.lat,
        lng: p.lng,
        openingHours: p.openingHours ?? '',
        staff: p.staff.join('、'),
      });
  }, [p === null || p === 'new' ? p : p.id]);

  async function save(v: PlaceForm) {
    if (p === null) return;
    const body = {
      kind: v.kind,
      name: v.name,
      regionId: v.regionId ?? null,
      address: v.address?.trim() || null,
      lat: v.lat ?? null,
      lng: v.lng ?? null,
      openingHours: v.openingHours?.trim() || null,
      staff: (v.staff ?? '')
        .split(/[、,，;；\n]+/)
        .map((x) => x.trim())
        .filter(Boolean),
    };
    setSaving(true);
    try {
      const saved =
        p === 'new'
          ? await create.mutateAsync({ body })
          : await update.mutateAsync({
              params: { id: p.id },
              body: { ...body, version: p.version },
            });
      message.success(t(L.common.saved));
      props.onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        message.warning(errorText(err, lang));
        props.onStale();
      } else if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={p !== null}
      title={
        p === 'new'
          ? t({ zh: '新建文明实践阵地', en: 'New practice station' })
          : t({ zh: '编辑文明实践阵地', en: 'Edit practice station' })
      }
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t(L.common.save)}
      okButtonProps={{ loading: saving, id: 'place-save' }}
      destroyOnHidden
    >
      <Form<PlaceForm>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'station' }}
        onFinish={(v) => void save(v)}
      >
        <Form.Item name="kind" label={t(L.common.type)} rules={[{ required: true }]}>
          <Select
            options={PLACE_KINDS.map((k) => ({ value: k, label: t(PLACE_KIND_LABELS[k]) }))}
            data-testid="place-kind"
          />
        </Form.Item>
        <Form.Item name="name" label={t(L.common.name)} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="place-name" />
        </Form.Item>
        <Form.Item name="regionId" label={t(L.org.regionShort)}>
          <RegionPicker within={within} />
        </Form.Item>
        <Form.Item name="address" label={t(L.common.address)} rules={[{ max: 200 }]}>
          <Input data-testid="place-address" />
        </Form.Item>
        <Space>
          <Form.Item name="lat" label={t(L.common.latitude)}>
            <InputNumber min={3} max={54} step={0.0001} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="lng" label={t(L.common.longitude)}>
            <InputNumber min={73} max={136} step={0.0001} style={{ width: 150 }} />
          </Form.Item>
        </Space>
        <Form.Item
          name="openingHours"
          label={t({ zh: '开放时间', en: 'Opening hours' })}
          rules={[{ max: 200 }]}
        >
          <Input
            placeholder={t({ zh: '例：周二至周日 9:00-17:00', en: 'e.g. Tue–Sun 9:00-17:00' })}
            data-testid="place-hours"
          />
        </Form.Item>
        <Form.Item
          name="staff"
          label={t({ zh: '工作人员（顿号分隔）', en: 'Staff (comma separated)' })}
        >
          <Input data-testid="place-staff" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
