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
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import {
  CARRIER_KIND_LABELS,
  CARRIER_KINDS,
  CARRIER_PROBLEM_STATES,
  CARRIER_STATE_LABELS,
  CARRIER_STATES,
  CARRIER_THEME_LABELS,
  CARRIER_THEMES,
  type TCarrier,
  type TCarrierKind,
  type TCarrierState,
  type TCarrierTheme,
} from '../../../core/contracts/ad-carriers.js';
import { administeredRegionOf } from '../../../core/org/grants.js';
import { Permission } from '../../../core/permissions.js';
import type { TProblemState } from '../../../core/problems/lifecycle.js';
import { qs, type ApiBody } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { CARRIER_STATE_COLOURS, HeatMap } from '../../shared/heat-map.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';
import { PhotoInput } from '../../shared/photos.js';
import { StateTag } from '../../shared/problem-tags.js';
import { EnumPicker, RegionPicker, UnitPicker } from '../../shared/pickers.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';
import { useAuth } from '../auth.js';
import { ExportButton, ImportButton } from '../ImportButton.js';
import { Pager } from '../Pager.js';
import { CarrierCampaigns } from './CarrierCampaigns.js';
import { CarrierCoverage } from './CarrierCoverage.js';

type Filters = PageFilters<'GET /api/ad-carriers'>;

export function CarrierStateTag({ state }: { state: TCarrierState }) {
  const { t } = useI18n();
  return <Tag color={CARRIER_STATE_COLOURS[state]}>{t(CARRIER_STATE_LABELS[state])}</Tag>;
}

/**
 * 公益广告阵地: the registry (filtered, paged, registered and edited, XLSX in and out, a broken
 * one turned into a problem), the coverage per point and street against the rules, and 换版.
 */
export function CarriersPage() {
  const { t } = useI18n();
  return (
    <Card title={t(L.carriers.carriers)}>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'registry', label: t({ zh: '阵地台账', en: 'Registry' }), children: <Registry /> },
          { key: 'map', label: t({ zh: '地图', en: 'Map' }), children: <CarriersMap /> },
          { key: 'coverage', label: t(L.carriers.coverage), children: <CarrierCoverage /> },
          { key: 'campaigns', label: t(L.carriers.campaigns), children: <CarrierCampaigns /> },
        ]}
      />
    </Card>
  );
}

/** The carriers on the map by state. */
function CarriersMap() {
  const { t } = useI18n();
  const { user } = useAuth();
  const within = user ? administeredRegionOf(user) : null;
  const [regionId, setRegionId] = useState<number | undefined>();
  const map = useApi('GET /api/ad-carriers/map', { query: { regionId } });
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="carriers-map">
      <RegionPicker
        id="carrier-map-region"
        within={within}
        placeholder={t(L.org.regionArea)}
        style={{ width: 200 }}
        onChange={(v) => setRegionId(v ?? undefined)}
      />
      <HeatMap carriers={map.data ?? null} carriersOn height={480} />
    </Space>
  );
}

function Registry() {
  const { t, lang } = useI18n();
  const { can, user } = useAuth();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({});
  const list = useApiPages('GET /api/ad-carriers', filters);
  const [openId, setOpenId] = useState<number | null>(null);
  const [editing, setEditing] = useState<TCarrier | 'new' | null>(null);
  const writable = can(Permission.AdCarrierWrite);
  const within = user ? administeredRegionOf(user) : null;
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t({ zh: '编号、画面或位置', en: 'Code, design or address' })}
          onSearch={(q) => set({ q: q || undefined })}
          style={{ width: 200 }}
          data-testid="carrier-search"
        />
        <EnumPicker
          id="carrier-filter-kind"
          values={CARRIER_KINDS}
          labels={CARRIER_KIND_LABELS}
          placeholder={t(L.carriers.carrierKind)}
          width={130}
          onChange={(kind) => set({ kind })}
        />
        <EnumPicker
          id="carrier-filter-theme"
          values={CARRIER_THEMES}
          labels={CARRIER_THEME_LABELS}
          placeholder={t(L.carriers.carrierTheme)}
          width={170}
          onChange={(theme) => set({ theme })}
        />
        <EnumPicker
          id="carrier-filter-state"
          values={CARRIER_STATES}
          labels={CARRIER_STATE_LABELS}
          placeholder={t(L.common.status)}
          width={110}
          onChange={(state) => set({ state })}
        />
        <RegionPicker
          id="carrier-filter-region"
          within={within}
          placeholder={t(L.org.regionArea)}
          style={{ width: 180 }}
          onChange={(regionId) => set({ regionId: regionId ?? undefined })}
        />
        {writable && (
          <Button type="primary" onClick={() => setEditing('new')} data-testid="carrier-new">
            {t(L.carriers.newCarrier)}
          </Button>
        )}
        {writable && (
          <ImportButton endpoint="POST /api/ad-carriers/import" testId="carrier-import" />
        )}
        <ExportButton href={`/api/ad-carriers/export.xlsx${qs(filters)}`} />
      </Space>
      {list.error && <Typography.Text type="danger">{errorText(list.error, lang)}</Typography.Text>}
      <Table<TCarrier>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 960 }}
        data-testid="carriers"
        onRow={(c) => ({
          onClick: () => setOpenId(c.id),
          style: { cursor: 'pointer' },
          'data-testid': `carrier-row-${c.id}`,
        })}
        columns={[
          { title: t(L.carriers.carrierCode), dataIndex: 'code', width: 100 },
          {
            title: t(L.carriers.carrierKind),
            dataIndex: 'kind',
            width: 110,
            render: (k: TCarrierKind) => t(CARRIER_KIND_LABELS[k]),
          },
          {
            title: t(L.carriers.carrierSize),
            key: 'size',
            width: 100,
            render: (_: unknown, c: TCarrier) => `${c.widthCm}×${c.heightCm}`,
          },
          {
            title: t(L.carriers.carrierTheme),
            dataIndex: 'theme',
            width: 160,
            render: (k: TCarrierTheme) => t(CARRIER_THEME_LABELS[k]),
          },
          {
            title: t({ zh: '所属点位', en: 'Point' }),
            dataIndex: 'pointName',
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t(L.carriers.maintainer),
            dataIndex: 'unitName',
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t(L.common.status),
            dataIndex: 'state',
            width: 90,
            render: (s: TCarrierState) => <CarrierStateTag state={s} />,
          },
          {
            title: t(L.org.regionArea),
            dataIndex: 'regionName',
            width: 110,
            render: (v: string | null) => v ?? '—',
          },
        ]}
      />
      <Pager {...list} />
      <CarrierDrawer
        id={openId}
        onClose={() => setOpenId(null)}
        onEdit={(c) => setEditing(c)}
        writable={writable}
        canRaise={can(Permission.ProblemManage)}
      />
      <CarrierFormModal
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={(c) => {
          setEditing(null);
          message.success(t(L.common.saved));
          setOpenId(c.id);
        }}
      />
    </>
  );
}

function CarrierDrawer(props: {
  id: number | null;
  onClose: () => void;
  onEdit: (c: TCarrier) => void;
  writable: boolean;
  canRaise: boolean;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const q = useApi(
    'GET /api/ad-carriers/:id',
    props.id === null ? null : { params: { id: props.id } },
  );
  const raise = useApiMutation('POST /api/ad-carriers/:id/problem');
  const c = q.data?.id === props.id ? q.data : undefined;
  const openProblem =
    c?.problemId != null && !['closed', 'rejected', 'merged'].includes(c.problemState ?? '');
  const toProblem = async (carrier: TCarrier) => {
    try {
      const r = await raise.mutateAsync({
        params: { id: carrier.id },
        body: { version: carrier.version },
      });
      message.success(
        r.dispatched
          ? t({
              zh: `已生成问题 ${r.problemCode} 并派往维护单位`,
              en: `Problem ${r.problemCode} dispatched to the maintainer`,
            })
          : t({
              zh: `已生成问题 ${r.problemCode}，待派遣`,
              en: `Problem ${r.problemCode} registered, to dispatch`,
            }),
      );
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
  return (
    <Drawer
      open={props.id !== null}
      onClose={props.onClose}
      title={c ? `${c.code} · ${t(CARRIER_KIND_LABELS[c.kind])}` : ''}
      width={Math.min(640, window.innerWidth)}
      extra={
        c && (
          <Space>
            {props.canRaise && CARRIER_PROBLEM_STATES.includes(c.state) && !openProblem && (
              <Button
                danger
                loading={raise.isPending}
                onClick={() => void toProblem(c)}
                data-testid="carrier-to-problem"
              >
                {t(L.carriers.toProblem)}
              </Button>
            )}
            {props.writable && (
              <Button onClick={() => props.onEdit(c)} data-testid="carrier-edit">
                {t(L.common.edit)}
              </Button>
            )}
          </Space>
        )
      }
    >
      {q.error && <Typography.Text type="danger">{errorText(q.error, lang)}</Typography.Text>}
      {c && (
        <Descriptions
          size="small"
          column={1}
          bordered
          data-testid="carrier-detail"
          items={[
            { label: t(L.common.status), children: <CarrierStateTag state={c.state} /> },
            { label: t(L.carriers.carrierTheme), children: t(CARRIER_THEME_LABELS[c.theme]) },
            { label: t(L.carriers.designTitle), children: c.designTitle ?? '—' },
            { label: t(L.carriers.carrierSize), children: `${c.widthCm}×${c.heightCm}` },
            {
              label: t(L.carriers.fixedForm),
              children: c.fixed ? t(L.common.yes) : t(L.common.no),
            },
            { label: t(L.carriers.cluster), children: c.cluster ?? '—' },
            { label: t({ zh: '所属点位', en: 'Point' }), children: c.pointName ?? '—' },
            { label: t({ zh: '所属网格', en: 'Grid' }), children: c.gridName ?? '—' },
            { label: t(L.org.regionArea), children: c.regionName ?? '—' },
            { label: t(L.carriers.maintainer), children: c.unitName ?? '—' },
            {
              label: t({ zh: '位置', en: 'Position' }),
              children: `${c.lat.toFixed(6)}, ${c.lng.toFixed(6)}${c.address ? ` · ${c.address}` : ''}`,
            },
            {
              label: t(L.common.photos),
              children: c.photoId ? (
                <Space orientation="vertical" size={0}>
                  <img src={`/api/files/${c.photoId}/thumb`} alt="" style={{ maxWidth: 200 }} />
                  {c.photoTakenAt && (
                    <Typography.Text type="secondary">{formatTime(c.photoTakenAt)}</Typography.Text>
                  )}
                </Space>
              ) : (
                '—'
              ),
            },
            {
              label: t({ zh: '关联问题', en: 'Problem' }),
              children: c.problemCode ? (
                <Space size={4} data-testid="carrier-problem">
                  <Link to={`/problems/${c.problemId}`}>{c.problemCode}</Link>
                  {c.problemState && <StateTag state={c.problemState as TProblemState} />}
                </Space>
              ) : (
                '—'
              ),
            },
            { label: t(L.common.notes), children: c.remarks ?? '—' },
          ]}
        />
      )}
    </Drawer>
  );
}

type CarrierForm = {
  code?: string;
  kind: TCarrierKind;
  widthCm: number;
  heightCm: number;
  lat: number;
  lng: number;
  address?: string | null;
  pointId?: number | null;
  unitId?: number | null;
  theme: TCarrierTheme;
  designTitle?: string | null;
  photoIds?: string[];
  state: TCarrierState;
  fixed: boolean;
  cluster?: string | null;
  remarks?: string | null;
  reason?: string;
};

const EDITABLE = [
  'code',
  'kind',
  'widthCm',
  'heightCm',
  'lat',
  'lng',
  'address',
  'pointId',
  'unitId',
  'theme',
  'designTitle',
  'state',
  'fixed',
  'cluster',
  'remarks',
] as const;

const blankToNull = (v: unknown) => (v === undefined || v === '' ? null : v);

/** Registers a carrier, or edits one at its version. */
function CarrierFormModal(props: {
  editing: TCarrier | 'new' | null;
  onClose: () => void;
  onSaved: (c: TCarrier) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<CarrierForm>();
  const create = useApiMutation('POST /api/ad-carriers');
  const update = useApiMutation('PATCH /api/ad-carriers/:id');
  const pointsQ = useApi('GET /api/points', props.editing ? { query: {} } : null);
  const pointOptions = useMemo(
    () => (pointsQ.data?.items ?? []).map((p) => ({ value: p.id, label: p.name })),
    [pointsQ.data],
  );
  const before = props.editing && props.editing !== 'new' ? props.editing : null;
  const state = Form.useWatch('state', form);
  const save = async () => {
    const v = await form.validateFields();
    const photoId = v.photoIds?.[0];
    try {
      let saved: TCarrier;
      if (before) {
        const changed: Record<string, unknown> = {};
        for (const k of EDITABLE) {
          const next = blankToNull(v[k]);
          if (k === 'code' && next === null) continue;
          if (JSON.stringify(next) !== JSON.stringify(blankToNull(before[k]))) changed[k] = next;
        }
        if (photoId) changed.photoId = photoId;
        const body = {
          ...changed,
          version: before.version,
          ...(v.reason ? { reason: v.reason } : {}),
        } as ApiBody<'PATCH /api/ad-carriers/:id'>;
        saved = await update.mutateAsync({ params: { id: before.id }, body });
      } else {
        const { reason: _r, photoIds: _p, ...rest } = v;
        saved = await create.mutateAsync({
          body: {
            ...rest,
            code: rest.code || undefined,
            address: rest.address || null,
            pointId: rest.pointId ?? null,
            unitId: rest.unitId ?? null,
            designTitle: rest.designTitle || null,
            cluster: rest.cluster || null,
            remarks: rest.remarks || null,
            photoId: photoId ?? null,
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
      open={props.editing !== null}
      title={before ? t({ zh: '编辑阵地', en: 'Edit the carrier' }) : t(L.carriers.newCarrier)}
      onOk={() => void save()}
      confirmLoading={create.isPending || update.isPending}
      onCancel={props.onClose}
      destroyOnHidden
      width={640}
    >
      <Form<CarrierForm>
        form={form}
        name="carrier"
        layout="vertical"
        preserve={false}
        initialValues={
          before
            ? { ...before, photoIds: [] }
            : { kind: 'board', theme: 'core_values', state: 'intact', fixed: true }
        }
      >
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="code" label={t(L.carriers.carrierCode)} style={{ flex: 1 }}>
            <Input maxLength={40} placeholder={t({ zh: '留空自动编号', en: 'Blank: numbered' })} />
          </Form.Item>
          <Form.Item
            name="kind"
            label={t(L.carriers.carrierKind)}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <Select
              options={CARRIER_KINDS.map((k) => ({ value: k, label: t(CARRIER_KIND_LABELS[k]) }))}
            />
          </Form.Item>
          <Form.Item
            name="theme"
            label={t(L.carriers.carrierTheme)}
            rules={[{ required: true }]}
            style={{ flex: 2 }}
          >
            <Select
              options={CARRIER_THEMES.map((k) => ({
                value: k,
                label: t(CARRIER_THEME_LABELS[k]),
              }))}
            />
          </Form.Item>
        </Space.Compact>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item
            name="widthCm"
            label={t({ zh: '宽（厘米）', en: 'Width (cm)' })}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <InputNumber min={1} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="heightCm"
            label={t({ zh: '高（厘米）', en: 'Height (cm)' })}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <InputNumber min={1} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="lat"
            label={t(L.common.latitude)}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <InputNumber min={3} max={54} step={0.0001} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="lng"
            label={t(L.common.longitude)}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <InputNumber min={73} max={136} step={0.0001} style={{ width: '100%' }} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="address" label={t({ zh: '位置说明', en: 'Address' })}>
          <Input maxLength={200} />
        </Form.Item>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="pointId" label={t({ zh: '所属点位', en: 'Point' })} style={{ flex: 1 }}>
            <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={pointOptions} />
          </Form.Item>
          <Form.Item name="unitId" label={t(L.carriers.maintainer)} style={{ flex: 1 }}>
            <UnitPicker initialLabel={before?.unitName ?? null} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="designTitle" label={t(L.carriers.designTitle)}>
          <Input maxLength={100} />
        </Form.Item>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item
            name="state"
            label={t(L.common.status)}
            rules={[{ required: true }]}
            style={{ flex: 1 }}
          >
            <Select
              options={CARRIER_STATES.map((s) => ({
                value: s,
                label: t(CARRIER_STATE_LABELS[s]),
              }))}
            />
          </Form.Item>
          <Form.Item name="cluster" label={t(L.carriers.cluster)} style={{ flex: 1 }}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item
            name="fixed"
            label={t(L.carriers.fixedForm)}
            valuePropName="checked"
            style={{ flex: 1 }}
          >
            <Checkbox />
          </Form.Item>
        </Space.Compact>
        {before && state !== before.state && (
          <Form.Item name="reason" label={t(L.cells.statusReason)}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        )}
        <Form.Item name="photoIds" label={t(L.common.photos)}>
          <PhotoInput max={1} testId="carrier-photo" />
        </Form.Item>
        <Form.Item name="remarks" label={t(L.common.notes)}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
