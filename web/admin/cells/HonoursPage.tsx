import {
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Timeline,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import {
  CELL_TYPE_LABELS,
  CELL_TYPES,
  defaultHonourTitle,
  HONOUR_LEVEL_LABELS,
  HONOUR_LEVELS,
  HONOUR_STATUS_LABELS,
  HONOUR_STATUSES,
  type TCellType,
  type THonour,
  type THonourHistoryEntry,
  type THonourLevel,
  type THonourStatus,
} from '../../../core/contracts/honours.js';
import { administeredRegionOf } from '../../../core/org/grants.js';
import { Permission } from '../../../core/permissions.js';
import { qs, type ApiBody } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { HonourStatusTag } from '../../shared/honour-status.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import {
  EnumPicker,
  RegionPicker,
  regionSubtreeOf,
  UnitPicker,
  useRegions,
} from '../../shared/pickers.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';
import { useAuth } from '../auth.js';
import { HolderRecord } from './HolderRecord.js';
import { ExportButton, ImportButton } from '../ImportButton.js';
import { Pager } from '../Pager.js';

type Filters = PageFilters<'GET /api/honours'>;

/** The form's fields: a holder as the create route reads it, and the reason of a status change. */
type HonourForm = {
  cellType: TCellType;
  holderName: string;
  unitId?: number | null;
  regionId?: number | null;
  title?: string;
  level: THonourLevel;
  yearConferred: number;
  termYears: number;
  status: THonourStatus;
  lat?: number | null;
  lng?: number | null;
  remarks?: string | null;
  reason?: string;
};

/** The fields an edit compares with the holder (the patch names only those that changed). */
const EDITABLE = [
  'cellType',
  'holderName',
  'unitId',
  'regionId',
  'title',
  'level',
  'yearConferred',
  'termYears',
  'status',
  'lat',
  'lng',
  'remarks',
] as const;

/** The types whose holder is usually one of the campaign's units. */
const UNIT_TYPES: readonly TCellType[] = ['unit', 'campus'];

const thisYear = () => new Date().getFullYear();

/**
 * 文明细胞: the registry of civilized-title holders — filtered and paged, registered and edited
 * (a change of status with its reason), XLSX in and out, and each holder's record and history.
 */
export function HonoursPage() {
  const { t, lang } = useI18n();
  const { can, user } = useAuth();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const list = useApiPages('GET /api/honours', filters);
  const [openId, setOpenId] = useState<number | null>(null);
  const [editing, setEditing] = useState<THonour | 'new' | null>(null);
  const writable = can(Permission.UnitWrite);
  // 辖区: a district or street office registers in its subtree and manages the titles its
  // offices manage; the city's titles in its subtree it reads.
  const within = user ? administeredRegionOf(user) : null;
  const regions = useRegions();
  const ownOffices = useMemo(
    () => (within === null ? null : new Set(regionSubtreeOf(regions, within).map((r) => r.id))),
    [regions, within],
  );
  const canEdit = (h: THonour) =>
    writable &&
    (ownOffices === null || (h.officeRegionId !== null && ownOffices.has(h.officeRegionId)));

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const years = Array.from({ length: 16 }, (_, i) => thisYear() - i);

  return (
    <Card
      title={t(L.cells.honoursRegistry)}
      extra={
        <Space wrap>
          {writable && (
            <Button type="primary" onClick={() => setEditing('new')} data-testid="honour-new">
              {t(L.cells.newHonour)}
            </Button>
          )}
          {writable && <ImportButton endpoint="POST /api/honours/import" testId="honour-import" />}
          <ExportButton href={`/api/honours/export.xlsx${qs(filters)}`} />
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t({ zh: '名称、称号或备注', en: 'Name, title or remarks' })}
          onSearch={(q) => set({ q: q || undefined })}
          style={{ width: 220 }}
          data-testid="honour-search"
        />
        <EnumPicker
          id="honour-filter-type"
          values={CELL_TYPES}
          labels={CELL_TYPE_LABELS}
          placeholder={t(L.cells.cellType)}
          width={150}
          onChange={(cellType) => set({ cellType })}
        />
        <EnumPicker
          id="honour-filter-level"
          values={HONOUR_LEVELS}
          labels={HONOUR_LEVEL_LABELS}
          placeholder={t(L.cells.honourLevel)}
          width={120}
          onChange={(level) => set({ level })}
        />
        <EnumPicker
          id="honour-filter-status"
          values={HONOUR_STATUSES}
          labels={HONOUR_STATUS_LABELS}
          placeholder={t(L.common.status)}
          width={110}
          onChange={(status) => set({ status })}
        />
        <Select<number>
          allowClear
          id="honour-filter-year"
          placeholder={t(L.cells.yearConferred)}
          style={{ width: 120 }}
          options={years.map((y) => ({ value: y, label: String(y) }))}
          onChange={(year) => set({ year })}
        />
        <RegionPicker
          id="honour-filter-region"
          within={within}
          placeholder={t(L.org.regionArea)}
          style={{ width: 180 }}
          onChange={(regionId) => set({ regionId: regionId ?? undefined })}
        />
      </Space>
      {list.error && <Typography.Text type="danger">{errorText(list.error, lang)}</Typography.Text>}
      <Table<THonour>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 960 }}
        data-testid="honours"
        onRow={(h) => ({
          onClick: () => setOpenId(h.id),
          style: { cursor: 'pointer' },
          'data-testid': `honour-row-${h.id}`,
        })}
        columns={[
          { title: t(L.cells.holderName), dataIndex: 'holderName' },
          {
            title: t(L.cells.cellType),
            dataIndex: 'cellType',
            width: 120,
            render: (v: TCellType) => t(CELL_TYPE_LABELS[v]),
          },
          { title: t(L.cells.honourTitle), dataIndex: 'title', width: 150 },
          {
            title: t(L.cells.honourLevel),
            dataIndex: 'level',
            width: 90,
            render: (v: THonourLevel) => t(HONOUR_LEVEL_LABELS[v]),
          },
          { title: t(L.cells.yearConferred), dataIndex: 'yearConferred', width: 100 },
          { title: t(L.cells.termEnds), dataIndex: 'termEndsYear', width: 100 },
          {
            title: t(L.common.status),
            dataIndex: 'status',
            width: 90,
            render: (s: THonourStatus) => <HonourStatusTag status={s} />,
          },
          {
            title: t(L.org.regionArea),
            dataIndex: 'regionName',
            width: 120,
            render: (v: string | null) => v ?? '—',
          },
        ]}
      />
      <Pager {...list} />
      <HonourDrawer
        id={openId}
        onClose={() => setOpenId(null)}
        onEdit={(h) => setEditing(h)}
        canEdit={canEdit}
        showRecord={(user?.roles ?? []).some((r) => ['admin', 'office', 'leader'].includes(r))}
      />
      <HonourFormModal
        editing={editing}
        within={within}
        onClose={() => setEditing(null)}
        onSaved={(h) => {
          setEditing(null);
          message.success(t(L.common.saved));
          setOpenId(h.id);
        }}
      />
    </Card>
  );
}

/** A holder's record and its history (status changes with their reasons, edits, imports). */
function HonourDrawer(props: {
  id: number | null;
  onClose: () => void;
  onEdit: (h: THonour) => void;
  canEdit: (h: THonour) => boolean;
  /** The holder's checks, negative-list hits, problems nearby and reviews (campaign-wide roles). */
  showRecord: boolean;
}) {
  const { t, lang } = useI18n();
  const args = props.id === null ? null : { params: { id: props.id } };
  const holder = useApi('GET /api/honours/:id', args);
  const history = useApi('GET /api/honours/:id/history', args);
  const h = holder.data?.id === props.id ? holder.data : undefined;
  return (
    <Drawer
      open={props.id !== null}
      onClose={props.onClose}
      title={h?.holderName}
      width={Math.min(720, window.innerWidth)}
      extra={
        h &&
        props.canEdit(h) && (
          <Button onClick={() => props.onEdit(h)} data-testid="honour-edit">
            {t(L.common.edit)}
          </Button>
        )
      }
    >
      {holder.error && (
        <Typography.Text type="danger">{errorText(holder.error, lang)}</Typography.Text>
      )}
      {h && (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="honour-detail">
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { label: t(L.cells.honourTitle), children: h.title },
              { label: t(L.cells.cellType), children: t(CELL_TYPE_LABELS[h.cellType]) },
              { label: t(L.cells.honourLevel), children: t(HONOUR_LEVEL_LABELS[h.level]) },
              {
                label: t(L.cells.yearConferred),
                children: t({
                  zh: `${h.yearConferred} 年，有效期 ${h.termYears} 年（至 ${h.termEndsYear} 年）`,
                  en: `${h.yearConferred}, for ${h.termYears} years (to ${h.termEndsYear})`,
                }),
              },
              { label: t(L.common.status), children: <HonourStatusTag status={h.status} /> },
              { label: t(L.org.unit), children: h.unitName ?? '—' },
              { label: t(L.org.regionArea), children: h.regionName ?? '—' },
              {
                label: t(L.cells.managingOffice),
                children: h.officeRegionName ?? t({ zh: '市文明办', en: "The city's office" }),
              },
              {
                label: t({ zh: '位置', en: 'Position' }),
                children:
                  h.lat !== null && h.lng !== null ? `${h.lat}, ${h.lng}` : t(L.common.none),
              },
              { label: t(L.common.notes), children: h.remarks ?? '—' },
            ]}
          />
          <Typography.Title level={5}>{t(L.cells.honourHistory)}</Typography.Title>
          <Timeline
            data-testid="honour-history"
            items={(history.data?.items ?? []).map((e) => ({
              key: e.id,
              color: e.kind === 'status' ? 'orange' : e.kind === 'create' ? 'green' : 'blue',
              children: <HistoryEntry e={e} />,
            }))}
          />
          {history.data?.items.length === 0 && (
            <Typography.Text type="secondary">{t(L.common.none)}</Typography.Text>
          )}
          {props.showRecord && h.status !== 'revoked' && h.status !== 'relinquished' && (
            <>
              <Typography.Title level={5}>{t(L.cells.dynamicManagement)}</Typography.Title>
              <HolderRecord honourId={h.id} />
            </>
          )}
        </Space>
      )}
    </Drawer>
  );
}

function HistoryEntry({ e }: { e: THonourHistoryEntry }) {
  const { t } = useI18n();
  const status = (s: THonourStatus | null) => (s ? t(HONOUR_STATUS_LABELS[s]) : '—');
  const what =
    e.kind === 'create'
      ? t({ zh: '登记', en: 'Registered' })
      : e.kind === 'update'
        ? t({ zh: `修改：${e.changed.join('、')}`, en: `Edited: ${e.changed.join(', ')}` })
        : e.kind === 'import'
          ? t({
              zh: `导入 ${e.file ?? ''}：${status(e.statusFrom)} → ${status(e.statusTo)}`,
              en: `Imported ${e.file ?? ''}: ${status(e.statusFrom)} → ${status(e.statusTo)}`,
            })
          : e.kind === 'status'
            ? `${status(e.statusFrom)} → ${status(e.statusTo)}`
            : e.action;
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text>{what}</Typography.Text>
      {e.reason && (
        <Typography.Text type="secondary">
          {t(L.cells.statusReason)}：{e.reason}
        </Typography.Text>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatTime(e.at)} · {e.actorName ?? '—'}
      </Typography.Text>
    </Space>
  );
}

/** The values of a holder as the form shows them. */
function formValues(h: THonour): HonourForm {
  return {
    cellType: h.cellType,
    holderName: h.holderName,
    unitId: h.unitId,
    regionId: h.regionId,
    title: h.title,
    level: h.level,
    yearConferred: h.yearConferred,
    termYears: h.termYears,
    status: h.status,
    lat: h.lat,
    lng: h.lng,
    remarks: h.remarks,
  };
}

/** A form value as the API takes it: blank is null (the title: the usual one). */
function norm(key: (typeof EDITABLE)[number], v: unknown): unknown {
  if (v === undefined || v === '') return key === 'title' ? '' : null;
  return v;
}

/** Registers a holder, or edits one at its version (a change of status needs its reason). */
function HonourFormModal(props: {
  editing: THonour | 'new' | null;
  within: number | null;
  onClose: () => void;
  onSaved: (h: THonour) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<HonourForm>();
  const create = useApiMutation('POST /api/honours');
  const update = useApiMutation('PATCH /api/honours/:id');
  const { editing } = props;
  const before = editing && editing !== 'new' ? editing : null;
  const status = Form.useWatch('status', form);
  const cellType = Form.useWatch('cellType', form);
  const level = Form.useWatch('level', form);
  const statusChanged = before !== null && status !== undefined && status !== before.status;

  const reasonMissing = t({
    zh: '变更称号状态须说明原因',
    en: 'a change of status needs a reason',
  });

  const save = async () => {
    const v = await form.validateFields();
    // The server refuses a change of status without its reason: so does the form, even when the
    // reason field has not shown yet.
    const changesStatus = before !== null && v.status !== before.status;
    if (changesStatus && !v.reason?.trim()) {
      form.setFields([{ name: 'reason', errors: [reasonMissing] }]);
      return;
    }
    try {
      let saved: THonour;
      if (before) {
        const changed: Record<string, unknown> = {};
        for (const k of EDITABLE) {
          const next = norm(k, v[k]);
          if (JSON.stringify(next) !== JSON.stringify(norm(k, before[k]))) changed[k] = next;
        }
        const body = {
          ...changed,
          version: before.version,
          ...(changesStatus ? { reason: v.reason } : {}),
        } as ApiBody<'PATCH /api/honours/:id'>;
        saved = await update.mutateAsync({ params: { id: before.id }, body });
      } else {
        const { reason: _reason, ...rest } = v;
        saved = await create.mutateAsync({
          body: {
            ...rest,
            title: rest.title || undefined,
            unitId: rest.unitId ?? null,
            regionId: rest.regionId ?? null,
            lat: rest.lat ?? null,
            lng: rest.lng ?? null,
            remarks: rest.remarks || null,
          },
        });
      }
      props.onSaved(saved);
    } catch (err) {
      if (!applyFieldErrors(form, err, lang)) message.error(errorText(err, lang));
    }
  };

  return (
    <Modal
      open={editing !== null}
      title={before ? t({ zh: '编辑称号', en: 'Edit the title' }) : t(L.cells.newHonour)}
      onOk={() => void save()}
      confirmLoading={create.isPending || update.isPending}
      onCancel={props.onClose}
      destroyOnHidden
      width={640}
    >
      <Form<HonourForm>
        form={form}
        name="honour"
        layout="vertical"
        preserve={false}
        initialValues={
          before
            ? formValues(before)
            : {
                cellType: 'unit',
                level: 'city',
                yearConferred: thisYear(),
                termYears: 3,
                status: 'listed',
                regionId: props.within,
              }
        }
      >
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item
            name="cellType"
            label={t(L.cells.cellType)}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <Select
              options={CELL_TYPES.map((c) => ({ value: c, label: t(CELL_TYPE_LABELS[c]) }))}
            />
          </Form.Item>
          <Form.Item
            name="level"
            label={t(L.cells.honourLevel)}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <Select
              options={HONOUR_LEVELS.map((l) => ({ value: l, label: t(HONOUR_LEVEL_LABELS[l]) }))}
            />
          </Form.Item>
        </Space.Compact>
        <Form.Item
          name="holderName"
          label={t(L.cells.holderName)}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t({ zh: '请填写称号持有者名称', en: 'the holder name is required' }),
            },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        {UNIT_TYPES.includes(cellType ?? 'unit') && (
          <Form.Item
            name="unitId"
            label={t({ zh: '对应单位', en: 'Campaign unit' })}
            extra={t({
              zh: '持有者是创建单位之一时选择；未填所在区划时取该单位的区划',
              en: "When the holder is one of the campaign's units; its place is the unit's unless given",
            })}
          >
            <UnitPicker initialLabel={before?.unitName ?? null} />
          </Form.Item>
        )}
        <Form.Item name="regionId" label={t(L.org.regionArea)}>
          <RegionPicker within={props.within} />
        </Form.Item>
        <Form.Item name="title" label={t(L.cells.honourTitle)}>
          <Input
            maxLength={60}
            placeholder={cellType && level ? defaultHonourTitle(cellType, level) : undefined}
          />
        </Form.Item>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item
            name="yearConferred"
            label={t(L.cells.yearConferred)}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <InputNumber min={1980} max={2100} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="termYears"
            label={t(L.cells.termYears)}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <InputNumber min={1} max={10} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="status"
            label={t(L.common.status)}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <Select
              options={HONOUR_STATUSES.map((s) => ({
                value: s,
                label: t(HONOUR_STATUS_LABELS[s]),
              }))}
            />
          </Form.Item>
        </Space.Compact>
        {statusChanged && (
          <Form.Item
            name="reason"
            label={t(L.cells.statusReason)}
            rules={[{ required: true, whitespace: true, message: reasonMissing }]}
          >
            <Input.TextArea
              rows={2}
              maxLength={500}
              placeholder={t({
                zh: '如：整改通知、复审结论、撤销决定文号',
                en: 'e.g. the rectification notice, the review, the revocation decision',
              })}
            />
          </Form.Item>
        )}
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="lat" label={t(L.common.latitude)} style={{ flex: 1 }}>
            <InputNumber min={3} max={54} step={0.0001} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="lng" label={t(L.common.longitude)} style={{ flex: 1 }}>
            <InputNumber min={73} max={136} step={0.0001} style={{ width: '100%' }} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="remarks" label={t(L.common.notes)}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
