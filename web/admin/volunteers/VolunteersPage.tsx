import {
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import {
  VOLUNTEER_STATUS_LABELS,
  VOLUNTEER_STATUSES,
  type TLedger,
  type TTeam,
  type TVolunteer,
} from '../../../core/contracts/volunteers.js';
import { administeredRegionOf } from '../../../core/org/grants.js';
import { Permission } from '../../../core/permissions.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { ApiError, qs } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { RegionPicker } from '../../shared/pickers.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';
import { useAuth } from '../auth.js';
import { ExportButton, ImportButton } from '../ImportButton.js';
import { Pager } from '../Pager.js';
import { PracticePlacesTab } from './VolunteerPlacesTab.js';
import { IdNumberCell, useIdNumberRule } from './IdNumber.js';
import { NationalRecordModal } from './NationalRecordModal.js';

type Filters = PageFilters<'GET /api/volunteers'>;

/** 志愿者: the registry (filter, import/export, a volunteer's hour ledger), teams and stations. */
export function VolunteersPage() {
  const { t } = useI18n();
  return (
    <Card title={t(L.volunteers.volunteerService)}>
      <Tabs
        items={[
          {
            key: 'registry',
            label: t({ zh: '志愿者登记', en: 'Registry' }),
            children: <RegistryTab />,
          },
          { key: 'teams', label: t({ zh: '志愿服务队', en: 'Teams' }), children: <TeamsTab /> },
          {
            key: 'places',
            label: t({ zh: '文明实践阵地', en: 'Practice stations' }),
            children: <PracticePlacesTab />,
          },
        ]}
      />
    </Card>
  );
}

/** The volunteer teams (none when they cannot be read); a new team refetches them. */
export function useTeams(): TTeam[] {
  return useApi('GET /api/volunteer-teams', {}).data ?? [];
}

interface NewVolunteerForm {
  name: string;
  phone: string;
  idNumber?: string;
  teamId?: number;
  organisation?: string;
  regionId?: number;
  skills?: string;
}

function RegistryTab() {
  const { t, lang } = useI18n();
  const { can, user: me } = useAuth();
  // 分级管理: a district or street office registers its volunteers within its own subtree.
  const within = me ? administeredRegionOf(me) : null;
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const list = useApiPages('GET /api/volunteers', filters);
  // Refetches the registry (and every other read under /api/volunteers).
  const create = useApiMutation('POST /api/volunteers');
  const teams = useTeams();
  const [open, setOpen] = useState<TVolunteer | null>(null);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<TVolunteer | null>(null);
  const [form] = Form.useForm();
  const writable = can(Permission.VolunteerWrite);
  const realname = can(Permission.VolunteerRealname);
  const [national, setNational] = useState(false);
  const idRule = useIdNumberRule();

  async function add(values: NewVolunteerForm) {
    const { idNumber, ...rest } = values;
    try {
      await create.mutateAsync({
        body: {
          ...rest,
          ...(idNumber?.trim() ? { idNumber } : {}),
          skills: (values.skills ?? '').split(/[、,，\s]+/).filter(Boolean),
        },
      });
      setAdding(false);
      form.resetFields();
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  }

  return (
    <>
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t({ zh: '姓名、手机号或单位', en: 'Name, phone or organisation' })}
            onSearch={(q) => setFilters({ ...filters, q: q || undefined })}
            style={{ width: 220 }}
            data-testid="volunteer-search"
          />
          <Select
            allowClear
            placeholder={t(L.volunteers.team)}
            style={{ width: 180 }}
            options={teams.map((x) => ({ value: x.id, label: x.name }))}
            onChange={(v?: number) => setFilters({ ...filters, teamId: v })}
          />
          <RegionPicker
            placeholder={t(L.org.regionShort)}
            style={{ width: 180 }}
            onChange={(v) => setFilters({ ...filters, regionId: v ?? undefined })}
          />
          <Select
            allowClear
            placeholder={t(L.common.status)}
            style={{ width: 110 }}
            options={VOLUNTEER_STATUSES.map((s) => ({
              value: s,
              label: t(VOLUNTEER_STATUS_LABELS[s]),
            }))}
            onChange={(v?: TVolunteer['status']) => setFilters({ ...filters, status: v })}
          />
          <Select
            allowClear
            placeholder={t({ zh: '实名状态', en: 'ID on file' })}
            style={{ width: 120 }}
            options={[
              { value: 'yes', label: t(L.volunteers.realName) },
              { value: 'no', label: t(L.volunteers.notRealName) },
            ]}
            onChange={(v?: 'yes' | 'no') => setFilters({ ...filters, realName: v })}
            data-testid="volunteer-realname-filter"
          />
        </Space>
        <Space>
          {writable && (
            <Button type="primary" onClick={() => setAdding(true)} data-testid="volunteer-add">
              {t({ zh: '登记志愿者', en: 'Register' })}
            </Button>
          )}
          {writable && (
            <ImportButton endpoint="POST /api/volunteers/import" testId="volunteer-import" />
          )}
          <ExportButton href={`/api/volunteers/export.xlsx${qs(filters)}`} />
          {realname && (
            <Button onClick={() => setNational(true)} data-testid="volunteer-national">
              {t(L.volunteers.nationalSystem)}
            </Button>
          )}
        </Space>
      </Space>
      {filters.realName === 'no' && !list.loading && (
        <Typography.Paragraph type="warning" data-testid="not-real-name-count">
          {t({
            zh: `未实名志愿者 ${list.total} 人：补录身份证号后才能导出到全国志愿服务信息系统`,
            en: `${list.total} volunteer(s) without an ID number: add it before they can go to the national system`,
          })}
        </Typography.Paragraph>
      )}
      <Table<TVolunteer>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1060 }}
        onRow={(v) => ({ onClick: () => setOpen(v), style: { cursor: 'pointer' } })}
        columns={[
          { title: t(L.common.personName), dataIndex: 'name', width: 110 },
          { title: t(L.common.phone), dataIndex: 'phone', width: 130 },
          {
            title: t(L.volunteers.realName),
            dataIndex: 'idNumberMasked',
            width: 170,
            render: (masked: string | null) =>
              masked ? (
                <Typography.Text code>{masked}</Typography.Text>
              ) : (
                <Tag color="orange">{t(L.volunteers.notRealName)}</Tag>
              ),
          },
          { title: t(L.volunteers.team), dataIndex: 'teamName' },
          { title: t({ zh: '所在单位', en: 'Organisation' }), dataIndex: 'organisation' },
          { title: t(L.org.community), dataIndex: 'regionName', width: 110 },
          {
            title: t({ zh: '特长', en: 'Skills' }),
            dataIndex: 'skills',
            render: (s: string[]) => s.map((x) => <Tag key={x}>{x}</Tag>),
          },
          {
            title: t(L.volunteers.hoursServed),
            dataIndex: 'totalMinutes',
            width: 120,
            align: 'right',
            render: (m: number) => minutesToHours(m),
          },
          {
            title: t(L.common.status),
            dataIndex: 'status',
            width: 80,
            render: (s: TVolunteer['status']) => (
              <Tag color={s === 'active' ? 'green' : 'default'}>
                {t(VOLUNTEER_STATUS_LABELS[s])}
              </Tag>
            ),
          },
        ]}
      />
      <Pager
        total={list.total}
        pageNumber={list.pageNumber}
        hasPrev={list.hasPrev}
        hasNext={list.hasNext}
        prev={list.prev}
        next={list.next}
      />
      {realname && (
        <NationalRecordModal open={national} onClose={() => setNational(false)} filters={filters} />
      )}
      <LedgerDrawer
        volunteer={open}
        onClose={() => {
          setOpen(null);
          void list.reload();
        }}
        onEdit={writable && open ? () => setEditing(open) : undefined}
      />
      <EditVolunteerModal
        volunteer={editing}
        teams={teams}
        onClose={() => setEditing(null)}
        onSaved={(v) => {
          setEditing(null);
          setOpen(v);
        }}
        onStale={() => {
          setEditing(null);
          setOpen(null);
          void list.reload();
        }}
      />
      <Modal
        open={adding}
        title={t({ zh: '登记志愿者', en: 'Register a volunteer' })}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        okText={t(L.common.save)}
      >
        <Form form={form} layout="vertical" onFinish={(v: NewVolunteerForm) => void add(v)}>
          <Form.Item name="name" label={t(L.common.personName)} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="phone" label={t(L.common.phone)} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="idNumber"
            label={t(L.volunteers.idNumber)}
            rules={[idRule]}
            extra={t({
              zh: '实名登记用，加密保存，列表中只显示前 6 位和后 4 位',
              en: 'For real-name registration: stored encrypted, shown as its first 6 and last 4',
            })}
          >
            <Input autoComplete="off" data-testid="volunteer-id-number" />
          </Form.Item>
          <Form.Item name="teamId" label={t(L.volunteers.team)}>
            <Select allowClear options={teams.map((x) => ({ value: x.id, label: x.name }))} />
          </Form.Item>
          <Form.Item name="organisation" label={t({ zh: '所在单位', en: 'Organisation' })}>
            <Input />
          </Form.Item>
          <Form.Item name="regionId" label={t(L.org.ofCommunity)}>
            <RegionPicker within={within} />
          </Form.Item>
          <Form.Item
            name="skills"
            label={t({ zh: '特长（顿号分隔）', en: 'Skills (comma separated)' })}
          >
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

interface EditVolunteerForm {
  name: string;
  phone?: string;
  /** A new ID number; empty leaves the one on file. */
  idNumber?: string;
  clearIdNumber?: boolean;
  teamId?: number | null;
  organisation?: string;
  regionId?: number | null;
  skills?: string;
  status: TVolunteer['status'];
}

/** The office edits a volunteer; the phone is sent only when changed (others see it masked). */
function EditVolunteerModal(props: {
  volunteer: TVolunteer | null;
  teams: TTeam[];
  onClose: () => void;
  onSaved: (v: TVolunteer) => void;
  onStale: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { user: me } = useAuth();
  const within = me ? administeredRegionOf(me) : null;
  const [form] = Form.useForm<EditVolunteerForm>();
  const [saving, setSaving] = useState(false);
  const v = props.volunteer;
  // Refetches the registry.
  const update = useApiMutation('PATCH /api/volunteers/:id');
  const idRule = useIdNumberRule();

  useEffect(() => {
    if (!v) return;
    form.resetFields();
    form.setFieldsValue({
      name: v.name,
      phone: v.phone,
      teamId: v.teamId,
      organisation: v.organisation ?? '',
      regionId: v.regionId,
      skills: v.skills.join('、'),
      status: v.status,
      idNumber: '',
      clearIdNumber: false,
    });
  }, [v?.id, v?.version]);

  async function save(x: EditVolunteerForm) {
    if (!v) return;
    setSaving(true);
    try {
      const saved = await update.mutateAsync({
        params: { id: v.id },
        body: {
          version: v.version,
          name: x.name,
          ...(x.phone && x.phone !== v.phone ? { phone: x.phone } : {}),
          // The ID number is never sent back masked: only a new one, or its removal.
          ...(x.idNumber?.trim()
            ? { idNumber: x.idNumber }
            : x.clearIdNumber
              ? { idNumber: null }
              : {}),
          teamId: x.teamId ?? null,
          organisation: x.organisation?.trim() || null,
          regionId: x.regionId ?? null,
          skills: (x.skills ?? '').split(/[、,，\s]+/).filter(Boolean),
          status: x.status,
        },
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
      open={v !== null}
      title={t({ zh: '编辑志愿者', en: 'Edit volunteer' })}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t(L.common.save)}
      okButtonProps={{ loading: saving, id: 'volunteer-save' }}
      destroyOnHidden
    >
      <Form<EditVolunteerForm> form={form} layout="vertical" onFinish={(x) => void save(x)}>
        <Form.Item name="name" label={t(L.common.personName)} rules={[{ required: true }]}>
          <Input data-testid="volunteer-edit-name" />
        </Form.Item>
        <Form.Item name="phone" label={t(L.common.phone)}>
          <Input />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t(L.volunteers.idNumber)}
          rules={[idRule]}
          extra={
            v?.realName
              ? t({
                  zh: `已登记 ${v.idNumberMasked}；留空则不变，填写则替换`,
                  en: `On file: ${v.idNumberMasked}; leave empty to keep it, type one to replace it`,
                })
              : t({ zh: '未实名：填写后即为实名', en: 'No ID on file yet' })
          }
        >
          <Input
            autoComplete="off"
            placeholder={v?.idNumberMasked ?? undefined}
            data-testid="volunteer-edit-id-number"
          />
        </Form.Item>
        {v?.realName && (
          <Form.Item name="clearIdNumber" valuePropName="checked">
            <Checkbox data-testid="volunteer-clear-id-number">
              {t({ zh: '移除身份证号（改为未实名）', en: 'Remove the ID number' })}
            </Checkbox>
          </Form.Item>
        )}
        <Form.Item name="teamId" label={t(L.volunteers.team)}>
          <Select allowClear options={props.teams.map((x) => ({ value: x.id, label: x.name }))} />
        </Form.Item>
        <Form.Item name="organisation" label={t({ zh: '所在单位', en: 'Organisation' })}>
          <Input />
        </Form.Item>
        <Form.Item name="regionId" label={t(L.org.ofCommunity)}>
          <RegionPicker within={within} />
        </Form.Item>
        <Form.Item
          name="skills"
          label={t({ zh: '特长（顿号分隔）', en: 'Skills (comma separated)' })}
        >
          <Input />
        </Form.Item>
        <Form.Item name="status" label={t(L.common.status)}>
          <Select
            options={VOLUNTEER_STATUSES.map((s) => ({
              value: s,
              label: t(VOLUNTEER_STATUS_LABELS[s]),
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A volunteer's service-hour ledger, with the office's correction form. */
function LedgerDrawer(props: {
  volunteer: TVolunteer | null;
  onClose: () => void;
  onEdit?: () => void;
}) {
  const { t, lang } = useI18n();
  const { can, cityLevel } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const v = props.volunteer;
  const ledgerQ = useApi('GET /api/volunteers/:id/ledger', v && { params: { id: v.id } });
  const ledger: TLedger | null = ledgerQ.data ?? null;
  useEffect(() => {
    if (ledgerQ.error) message.error(errorText(ledgerQ.error, lang));
  }, [ledgerQ.error]);
  // Refetches the ledger, and the registry's hours.
  const correct = useApiMutation('POST /api/volunteers/:id/adjustments');

  // The activities the volunteer attended: a correction may name one (below the city it must —
  // an office there corrects hours of its own activities; the server refuses the city's).
  const attended = [
    ...new Map(
      (ledger?.entries ?? [])
        .filter((e) => e.kind === 'attendance' && e.activityId !== null)
        .map((e) => [e.activityId!, e.activityTitle ?? String(e.activityId)]),
    ),
  ].map(([value, label]) => ({ value, label }));

  async function adjust(values: { hours: number; reason: string; activityId?: number }) {
    if (!v) return;
    try {
      await correct.mutateAsync({
        params: { id: v.id },
        body: {
          minutes: Math.round(values.hours * 60),
          reason: values.reason,
          activityId: values.activityId ?? null,
        },
      });
      form.resetFields();
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  }

  return (
    <Drawer
      open={v !== null}
      onClose={props.onClose}
      title={v?.name}
      size={Math.min(760, window.innerWidth)}
      extra={
        props.onEdit && (
          <Button onClick={props.onEdit} data-testid="volunteer-edit">
            {t(L.common.edit)}
          </Button>
        )
      }
    >
      {v && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
            <Descriptions.Item label={t(L.common.phone)}>{v.phone}</Descriptions.Item>
            <Descriptions.Item label={t(L.volunteers.idNumber)}>
              <IdNumberCell volunteer={v} />
            </Descriptions.Item>
            <Descriptions.Item label={t(L.volunteers.team)}>{v.teamName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t(L.org.ofCommunity)}>
              {v.regionName ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t({ zh: '累计时长', en: 'Total hours' })}>
              <Typography.Text strong data-testid="ledger-total">
                {ledger ? minutesToHours(ledger.totalMinutes) : '…'}
              </Typography.Text>{' '}
              {t(L.common.hoursUnit)}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>
            {t({ zh: '服务时长台账', en: 'Hour ledger' })}
          </Typography.Title>
          <Table
            size="small"
            rowKey={(e) => `${e.kind}-${e.at}-${e.activityId}`}
            loading={ledger === null}
            dataSource={ledger?.entries ?? []}
            pagination={false}
            scroll={{ x: 560 }}
            data-testid="ledger"
            columns={[
              {
                title: t({ zh: '活动/事由', en: 'Activity / reason' }),
                render: (_, e) =>
                  e.kind === 'attendance' ? (
                    e.activityTitle
                  ) : e.kind === 'national' ? (
                    <span>
                      <Tag color="geekblue">{t(L.volunteers.nationalSystem)}</Tag>
                      {e.activityTitle}
                      {e.reason ? ` · ${e.reason}` : ''}
                    </span>
                  ) : (
                    <span>
                      <Tag color="purple">{t(L.common.correction)}</Tag>
                      {e.reason}
                      {e.by ? ` · ${e.by}` : ''}
                    </span>
                  ),
              },
              {
                title: t({ zh: '签到 — 签退', en: 'In — out' }),
                render: (_, e) =>
                  e.kind === 'attendance'
                    ? `${formatTime(e.checkInAt)} — ${
                        e.checkOutAt
                          ? formatTime(e.checkOutAt).slice(11)
                          : t(L.volunteers.noCheckOut)
                      }`
                    : e.kind === 'national'
                      ? formatTime(e.at).slice(0, 10)
                      : formatTime(e.at),
              },
              {
                title: t(L.common.hours),
                align: 'right',
                render: (_, e) => (
                  <span>
                    {minutesToHours(e.minutes)}
                    {e.estimated && (
                      <Tag color="orange" style={{ marginLeft: 4 }}>
                        {t({ zh: '按计划结束', en: 'to scheduled end' })}
                      </Tag>
                    )}
                  </span>
                ),
              },
            ]}
          />
          {can(Permission.VolunteerWrite) && (
            <Form
              form={form}
              layout="inline"
              onFinish={(x: { hours: number; reason: string; activityId?: number }) =>
                void adjust(x)
              }
              style={{ rowGap: 8 }}
            >
              <Form.Item name="activityId" rules={[{ required: !cityLevel }]}>
                <Select
                  allowClear
                  options={attended}
                  placeholder={t({ zh: '所更正的活动', en: 'Activity corrected' })}
                  style={{ width: 200 }}
                  data-testid="adjust-activity"
                />
              </Form.Item>
              <Form.Item name="hours" rules={[{ required: true }]}>
                <InputNumber
                  step={0.5}
                  min={-24}
                  max={24}
                  placeholder={t({ zh: '±小时', en: '± hours' })}
                  data-testid="adjust-hours"
                />
              </Form.Item>
              <Form.Item name="reason" rules={[{ required: true, min: 2 }]}>
                <Input
                  placeholder={t(L.common.correctionReasonRequired)}
                  style={{ width: 220 }}
                  data-testid="adjust-reason"
                />
              </Form.Item>
              <Button htmlType="submit" data-testid="adjust-submit">
                {t({ zh: '更正时长', en: 'Correct hours' })}
              </Button>
            </Form>
          )}
        </Space>
      )}
    </Drawer>
  );
}

function TeamsTab() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const teams = useTeams();
  const createTeam = useApiMutation('POST /api/volunteer-teams');
  const [name, setName] = useState('');
  return (
    <>
      {can(Permission.VolunteerWrite) && (
        <Space style={{ marginBottom: 12 }}>
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={t({ zh: '新服务队名称', en: 'New team name' })}
          />
          <Button
            disabled={!name.trim()}
            onClick={() =>
              void createTeam
                .mutateAsync({ body: { name: name.trim() } })
                .then(() => setName(''))
                .catch((err: unknown) => message.error(errorText(err, lang)))
            }
          >
            {t(L.common.create)}
          </Button>
        </Space>
      )}
      <Table<TTeam>
        rowKey="id"
        size="small"
        dataSource={teams}
        pagination={false}
        columns={[
          { title: t(L.volunteers.team), dataIndex: 'name' },
          { title: t({ zh: '组织单位', en: 'Organiser' }), dataIndex: 'unitName' },
          { title: t(L.org.regionShort), dataIndex: 'regionName' },
          { title: t({ zh: '人数', en: 'Members' }), dataIndex: 'members', align: 'right' },
        ]}
      />
    </>
  );
}
