import { DownloadOutlined, EditOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import type { TGrid, TGridDetail, TPatrol } from '../../../core/contracts/grids.js';
import { GRID_MEMBER_ROLE_LABELS } from '../../../core/contracts/grids.js';
import type { TRowError } from '../../../core/contracts/common.js';
import { administeredRegionOf } from '../../../core/org/grants.js';
import { Permission } from '../../../core/permissions.js';
import { ApiError, fileForm } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { GridMap } from '../../shared/grid-map.js';
import { refreshMapGrids } from '../../shared/map-settings.js';
import { ImportErrorsModal } from '../ImportButton.js';
import {
  draftPolygon,
  PolygonDraftMap,
  TOO_FEW_CORNERS,
  type TDraft,
} from '../../shared/polygon-draft.js';
import { regionSubtreeOf, useRegions } from '../../shared/pickers.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

/**
 * What a grid written makes stale: the grids (each one's detail, problems and points, the
 * statistics), and the problems it reassigns (their grid shows in the problem list).
 */
const GRID_INVALIDATES = ['GET /api/grids', 'GET /api/problems'];

const pct = (v: number | null | undefined) => (v == null ? '-' : `${Math.round(v * 100)}%`);

/** 网格管理: every grid on the map and in a table with its statistics; import, export, draw. */
export function GridsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const gridsQ = useApi('GET /api/grids', {});
  const statsQ = useApi('GET /api/grids/stats', {});
  const grids = useMemo(() => gridsQ.data?.items ?? [], [gridsQ.data]);
  const stats = useMemo(
    () => new Map((statsQ.data?.items ?? []).map((x) => [x.gridId, x])),
    [statsQ.data],
  );
  const failed = gridsQ.error ?? statsQ.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, message, lang]);
  const [selected, setSelected] = useState<number | null>(null);
  const [rows, setRows] = useState<TRowError[] | null>(null);
  const [drawing, setDrawing] = useState(false);
  const writable = can(Permission.GridWrite);
  const importGrids = useApiMutation('POST /api/grids/import', { invalidates: GRID_INVALIDATES });

  async function importFile(file: File) {
    try {
      const r = await importGrids.mutateAsync({ body: fileForm(file, file.name) });
      // The maps' grid layers show the new outlines, as after a grid drawn by hand.
      refreshMapGrids();
      message.success(
        t({
          zh: `已导入 ${r.imported} 个网格，${r.reassigned} 个问题重新归属`,
          en: `${r.imported} grids imported, ${r.reassigned} problems reassigned`,
        }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.rows.length) setRows(err.rows);
      else message.error(errorText(err, lang));
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={t({ zh: '网格管理', en: 'Grids' })}
        extra={
          <Space wrap>
            <Button onClick={() => void navigate('/patrols')}>{t(L.grids.patrolRecords)}</Button>
            <Button icon={<DownloadOutlined />} href="/api/grids/export.geojson">
              {t({ zh: '导出 GeoJSON', en: 'Export GeoJSON' })}
            </Button>
            {writable && (
              <Upload
                accept=".json,.geojson"
                showUploadList={false}
                beforeUpload={(f) => {
                  void importFile(f);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} data-testid="grid-import">
                  {t({ zh: '导入 GeoJSON', en: 'Import GeoJSON' })}
                </Button>
              </Upload>
            )}
            {writable && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setDrawing(true)}>
                {t({ zh: '绘制网格', en: 'Draw a grid' })}
              </Button>
            )}
          </Space>
        }
      >
        <Row gutter={16}>
          <Col xs={24} xl={11}>
            <GridMap
              height={520}
              areas={grids.map((g) => ({
                id: g.id,
                geometry: g.geometry,
                label: g.name,
                selected: g.id === selected,
                color: (stats.get(g.id)?.overdue ?? 0) > 0 ? '#fa541c' : '#1677ff',
              }))}
              onAreaClick={setSelected}
            />
          </Col>
          <Col xs={24} xl={13}>
            <Table<TGrid>
              rowKey="id"
              size="small"
              dataSource={grids}
              pagination={{ pageSize: 12 }}
              onRow={(g) => ({ onClick: () => setSelected(g.id), style: { cursor: 'pointer' } })}
              columns={[
                { title: t({ zh: '网格编码', en: 'Code' }), dataIndex: 'code' },
                { title: t(L.common.name), dataIndex: 'name' },
                { title: t(L.org.community), dataIndex: 'regionName' },
                { title: t(L.grids.gridLeader), dataIndex: 'leaderName' },
                {
                  title: t({ zh: '在办', en: 'Open' }),
                  render: (_, g) => stats.get(g.id)?.open ?? 0,
                },
                {
                  title: t(L.common.overdue),
                  render: (_, g) => {
                    const n = stats.get(g.id)?.overdue ?? 0;
                    return n ? <Tag color="red">{n}</Tag> : 0;
                  },
                },
                {
                  title: t({ zh: '7日巡查覆盖', en: '7-day coverage' }),
                  render: (_, g) => pct(stats.get(g.id)?.coverage),
                },
              ]}
            />
          </Col>
        </Row>
      </Card>
      <GridDrawer id={selected} grids={grids} onClose={() => setSelected(null)} />
      <DrawGridModal
        open={drawing}
        grids={grids}
        onClose={() => setDrawing(false)}
        onSaved={(id) => {
          setDrawing(false);
          setSelected(id);
        }}
      />
      <ImportErrorsModal
        rows={rows}
        onClose={() => setRows(null)}
        testId="grid-import-errors"
        summary={(n) => ({
          zh: `共 ${n} 处错误，未导入任何网格。`,
          en: `${n} error(s); no grid was imported.`,
        })}
        labels={{ row: { zh: '要素', en: 'Feature' }, column: L.common.field }}
      />
    </Space>
  );
}

/** One grid: people, statistics, its problems and recent patrols on the map. */
function GridDrawer(props: { id: number | null; grids: TGrid[]; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { can } = useAuth();
  const writable = can(Permission.GridWrite);
  const [editing, setEditing] = useState(false);
  const [redraw, setRedraw] = useState(false);
  // The grid's reads are under /api/grids: its people and outline saved, they are read again.
  const args = props.id === null ? null : { params: { id: props.id } };
  const detailQ = useApi('GET /api/grids/:id', args);
  const pinsQ = useApi('GET /api/grids/:id/problems', args);
  const pointsQ = useApi('GET /api/grids/:id/points', args);
  const patrolsQ = useApi(
    'GET /api/patrols',
    props.id === null ? null : { query: { gridId: props.id, limit: 10 } },
  );
  // Shown once all four are read, as one.
  const ready = pinsQ.data && pointsQ.data && patrolsQ.data;
  const d = ready ? (detailQ.data ?? null) : null;
  const pins = pinsQ.data?.items ?? [];
  const points = pointsQ.data?.items ?? [];
  const patrols = patrolsQ.data?.items ?? [];
  const failed = detailQ.error ?? pinsQ.error ?? pointsQ.error ?? patrolsQ.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, message, lang]);
  return (
    <Drawer
      extra={
        writable &&
        d && (
          <Space>
            <Button onClick={() => setEditing(true)} data-testid="grid-edit-members">
              {t({ zh: '配置人员', en: 'People' })}
            </Button>
            <Button onClick={() => setRedraw(true)}>{t({ zh: '重新绘制', en: 'Redraw' })}</Button>
          </Space>
        )
      }
      open={props.id !== null}
      onClose={props.onClose}
      size="large"
      title={d ? `${d.grid.name} · ${d.grid.code}` : ''}
      data-testid="grid-drawer"
    >
      {d && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Row gutter={12}>
            <Col span={6}>
              <Statistic title={t({ zh: '在办问题', en: 'Open' })} value={d.stats.open} />
            </Col>
            <Col span={6}>
              <Statistic title={t(L.common.overdue)} value={d.stats.overdue} />
            </Col>
            <Col span={6}>
              <Statistic title={t({ zh: '已销号', en: 'Closed' })} value={d.stats.closed} />
            </Col>
            <Col span={6}>
              <Statistic
                title={t({
                  zh: `${d.stats.windowDays}日巡查`,
                  en: `Patrols (${d.stats.windowDays} d)`,
                })}
                value={d.stats.patrols}
              />
            </Col>
          </Row>
          <div>
            <Typography.Text type="secondary">
              {t({ zh: '巡查覆盖率', en: 'Patrol coverage' })}
            </Typography.Text>
            <Progress percent={Math.round(d.stats.coverage * 100)} data-testid="grid-coverage" />
          </div>
          <GridMap
            height={320}
            areas={[{ id: d.grid.id, geometry: d.grid.geometry, selected: true }]}
            pins={[
              ...points.map((p) => ({
                id: `pt${p.id}`,
                lat: p.lat,
                lng: p.lng,
                label: `${t(L.points.point)}：${p.name}`,
                color: '#1677ff',
              })),
              ...pins.map((p) => ({
                id: p.id,
                lat: p.lat,
                lng: p.lng,
                label: `${p.code} ${p.title}`,
                color: p.patrolId ? '#fa8c16' : '#c8102e',
              })),
            ]}
          />
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t(L.org.ofCommunity)}>{d.grid.regionName}</Descriptions.Item>
            <Descriptions.Item label={t({ zh: '人口 / 户数', en: 'Population / households' })}>
              {d.grid.population ?? '-'} / {d.grid.households ?? '-'}
            </Descriptions.Item>
            <Descriptions.Item label={t(L.points.point)} span={2}>
              {points.length}
            </Descriptions.Item>
            <Descriptions.Item label={t({ zh: '人员', en: 'People' })} span={2}>
              <Space wrap data-testid="grid-members">
                {d.members.length === 0 && t({ zh: '未配置', en: 'none yet' })}
                {d.members.map((m) => (
                  <Tag key={m.userId} color={m.role === 'leader' ? 'red' : 'blue'}>
                    {t(GRID_MEMBER_ROLE_LABELS[m.role])}：{m.name}
                    {m.note ? `（${m.note}）` : ''}
                  </Tag>
                ))}
              </Space>
            </Descriptions.Item>
          </Descriptions>
          <Table<TPatrol>
            rowKey="id"
            size="small"
            title={() => t(L.grids.recentPatrols)}
            dataSource={patrols}
            pagination={false}
            onRow={(p) => ({ onClick: () => void navigate(`/patrols/${p.id}`) })}
            columns={[
              { title: t(L.grids.gridWorker), dataIndex: 'workerName' },
              {
                title: t(L.common.started),
                render: (_, p) => formatTime(p.startedAt),
              },
              {
                title: t(L.grids.distance),
                render: (_, p) => (p.distanceM == null ? '-' : `${p.distanceM} m`),
              },
              { title: t({ zh: '覆盖', en: 'Coverage' }), render: (_, p) => pct(p.coverage) },
              { title: t(L.problems.reported), dataIndex: 'problemCount' },
            ]}
          />
          <MembersModal
            open={editing}
            detail={d}
            onClose={() => setEditing(false)}
            onSaved={() => setEditing(false)}
          />
          <DrawGridModal
            open={redraw}
            grids={props.grids.filter((g) => g.id !== d.grid.id)}
            editing={d.grid}
            onClose={() => setRedraw(false)}
            onSaved={() => setRedraw(false)}
          />
        </Space>
      )}
    </Drawer>
  );
}

/** Draw a grid by tapping its corners on the map, then name it. */
function DrawGridModal(props: {
  open: boolean;
  grids: TGrid[];
  /** Redraw this grid's outline (its problems are reassigned). */
  editing?: TGrid;
  onClose: () => void;
  /** Saved, and the grids read again. */
  onSaved: (id: number) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{
    code: string;
    name: string;
    regionId: number;
    population?: number;
  }>();
  const [draft, setDraft] = useState<TDraft>([]);
  const { user: me } = useAuth();
  // 分级管理: a district or street office draws grids in the communities of its own subtree.
  const within = me ? administeredRegionOf(me) : null;
  const all = useRegions();
  const regions = useMemo(
    () => (within ? regionSubtreeOf(all, within) : all).filter((r) => r.level === 'community'),
    [all, within],
  );
  useEffect(() => {
    if (props.open) setDraft([]);
  }, [props.open]);
  const create = useApiMutation('POST /api/grids', { invalidates: GRID_INVALIDATES });
  const reshape = useApiMutation('PATCH /api/grids/:id', { invalidates: GRID_INVALIDATES });
  async function save() {
    const geometry = draftPolygon(draft);
    if (!geometry) {
      message.warning(t(TOO_FEW_CORNERS));
      return;
    }
    try {
      if (props.editing) {
        const d = await reshape.mutateAsync({
          params: { id: props.editing.id },
          body: { version: props.editing.version, geometry },
        });
        message.success(
          t({
            zh: `范围已更新，${d.reassigned} 个问题重新归属`,
            en: `Outline saved; ${d.reassigned} problems reassigned`,
          }),
        );
        refreshMapGrids();
        props.onSaved(d.grid.id);
        return;
      }
      const v = await form.validateFields();
      const d = await create.mutateAsync({ body: { ...v, geometry } });
      // Maps without tiles draw the grids close in: they show the new outline.
      refreshMapGrids();
      props.onSaved(d.grid.id);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }
  return (
    <Modal
      open={props.open}
      onCancel={props.onClose}
      onOk={() => void save()}
      width={900}
      title={
        props.editing
          ? `${t({ zh: '重新绘制', en: 'Redraw' })}：${props.editing.name}`
          : t({ zh: '绘制网格', en: 'Draw a grid' })
      }
      destroyOnHidden
    >
      <PolygonDraftMap
        what={L.grids.grid}
        draft={draft}
        onChange={setDraft}
        areas={[
          ...props.grids.map((g) => ({ id: g.id, geometry: g.geometry, label: g.name })),
          ...(props.editing
            ? [{ id: props.editing.id, geometry: props.editing.geometry, color: '#999' }]
            : []),
        ]}
      />
      {!props.editing && (
        <Form form={form} layout="inline" style={{ marginTop: 12, rowGap: 8 }}>
          <Form.Item name="regionId" rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              style={{ width: 180 }}
              placeholder={t(L.org.ofCommunity)}
              options={regions.map((r) => ({ value: r.id, label: r.name }))}
              id="grid-region"
            />
          </Form.Item>
          <Form.Item name="code" rules={[{ required: true, pattern: /^\d{15}$/ }]}>
            <Input
              placeholder={t({ zh: '15 位网格编码', en: '15-digit code' })}
              style={{ width: 180 }}
            />
          </Form.Item>
          <Form.Item name="name" rules={[{ required: true }]}>
            <Input placeholder={t({ zh: '网格名称', en: 'Name' })} />
          </Form.Item>
          <Form.Item name="population">
            <InputNumber min={0} placeholder={t({ zh: '人口', en: 'Population' })} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

/** 网格长, 网格员 (grid workers) and 楼栋长 of a grid. */
function MembersModal(props: {
  open: boolean;
  detail: TGridDetail;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const workers =
    useApi(
      'GET /api/users',
      props.open ? { query: { role: 'grid_worker', active: 'true', limit: 500 } } : null,
    ).data?.items ?? [];
  const [leader, setLeader] = useState<number | undefined>();
  const [staff, setStaff] = useState<number[]>([]);
  const [buildingLeads, setBuildingLeads] = useState<{ userId: number; note: string | null }[]>([]);
  // Refetches the grid (every read under /api/grids).
  const putMembers = useApiMutation('PUT /api/grids/:id/members');
  useEffect(() => {
    if (!props.open) return;
    const m = props.detail.members;
    setLeader(m.find((x) => x.role === 'leader')?.userId);
    setStaff(m.filter((x) => x.role === 'worker').map((x) => x.userId));
    setBuildingLeads(
      m.filter((x) => x.role === 'building_lead').map((x) => ({ userId: x.userId, note: x.note })),
    );
  }, [props.open, props.detail]);
  const options = workers.map((w) => ({ value: w.id, label: `${w.name}（${w.username}）` }));
  async function save() {
    try {
      await putMembers.mutateAsync({
        params: { id: props.detail.grid.id },
        body: {
          version: props.detail.grid.version,
          members: [
            ...(leader ? [{ userId: leader, role: 'leader' as const }] : []),
            ...staff
              .filter((id) => id !== leader)
              .map((userId) => ({ userId, role: 'worker' as const })),
            ...buildingLeads.map((b) => ({ ...b, role: 'building_lead' as const })),
          ],
        },
      });
      props.onSaved();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }
  return (
    <Modal
      open={props.open}
      onCancel={props.onClose}
      onOk={() => void save()}
      title={`${t({ zh: '配置人员', en: 'People' })}：${props.detail.grid.name}`}
    >
      <Form layout="vertical">
        <Form.Item label={t(GRID_MEMBER_ROLE_LABELS.leader)}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            value={leader}
            onChange={setLeader}
            options={options}
            data-testid="grid-leader-select"
          />
        </Form.Item>
        <Form.Item label={t(GRID_MEMBER_ROLE_LABELS.worker)}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            value={staff}
            onChange={setStaff}
            options={options}
          />
        </Form.Item>
        {buildingLeads.length > 0 && (
          <Typography.Text type="secondary">
            {t(GRID_MEMBER_ROLE_LABELS.building_lead)}：{buildingLeads.length}
          </Typography.Text>
        )}
      </Form>
    </Modal>
  );
}
