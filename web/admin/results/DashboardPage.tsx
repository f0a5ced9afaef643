import { Breadcrumb, Card, Col, Row, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type {
  TDashboardBreakdown,
  TDashboardBreakdownRow,
} from '../../../core/contracts/dashboards.js';
import type { TProblem } from '../../../core/contracts/problems.js';
import { Permission } from '../../../core/permissions.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { HeatMap } from '../../shared/heat-map.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { EscalationTag, StateTag } from '../../shared/problem-tags.js';
import { useApiPages } from '../../shared/use-cursor-list.js';
import { isCityLevel, useAuth } from '../auth.js';
import { CarriersCard } from '../carriers/CarriersCard.js';
import { CellsCard } from '../cells/CellsCard.js';
import { FilingCard } from '../filing/FilingCard.js';
import { Pager } from '../Pager.js';
import {
  AsOf,
  DueSoonCard,
  KpiCards,
  RankingCard,
  TrendChart,
  num,
  pct,
} from './DashboardParts.js';

/**
 * The office's landing page and the leader's drill-down (read-only): city → district → unit →
 * problem list → problem. The level lives in the URL (`?regionId=…&unitId=…`), so back and
 * forward walk the drill-down and a level can be bookmarked.
 */
export function DashboardPage() {
  const { t, lang } = useI18n();
  const { user, can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const regionId = params.get('regionId') ? Number(params.get('regionId')) : undefined;
  const unitId = params.get('unitId') ? Number(params.get('unitId')) : undefined;
  const [interval, setInterval] = useState<'week' | 'month'>('week');
  // The city-wide unit ranking is the city's; a district or street office's dashboard is its own.
  const wholeCampaign =
    isCityLevel(user) && user?.roles.some((r) => r === 'admin' || r === 'office' || r === 'leader');
  // Each part is asked for the level in the URL; an answer to a level left behind is not shown.
  const scope = { query: { regionId, unitId } };
  const kpisQ = useApi('GET /api/dashboards/kpis', scope);
  const heatQ = useApi('GET /api/dashboards/heat', scope);
  const pointsQ = useApi('GET /api/dashboards/points', scope);
  const dueSoonQ = useApi('GET /api/dashboards/due-soon', scope);
  const rankingQ = useApi(
    'GET /api/dashboards/ranking',
    !regionId && !unitId && wholeCampaign ? { query: { limit: 10 } } : null,
  );
  const trendQ = useApi('GET /api/dashboards/trend', { query: { regionId, unitId, interval } });
  // 文明细胞 (the registry's readers): the level's titles, and those with a place on the map.
  const cellsShown = can(Permission.UnitRead);
  const cellsQ = useApi('GET /api/dashboards/cells', cellsShown ? { query: { regionId } } : null);
  const honoursMapQ = useApi('GET /api/honours/map', cellsShown ? { query: { regionId } } : null);
  // 公益广告阵地 (the registry's readers): by state and theme, and a map layer.
  const carriersShown = can(Permission.AdCarrierRead);
  const carriersQ = useApi(
    'GET /api/ad-carriers/dashboard',
    carriersShown ? { query: { regionId } } : null,
  );
  const carriersMapQ = useApi(
    'GET /api/ad-carriers/map',
    carriersShown ? { query: { regionId } } : null,
  );
  const kpis = kpisQ.data ?? null;

  // The KPIs name the level; until they arrive for this region its children are not known.
  const fresh = !regionId || kpis?.scope.regionId === regionId;
  const level = fresh ? kpis?.scope.level : undefined;
  // The city's children are districts; below a district the drill-down goes to units.
  const by: 'region' | 'unit' | null = !regionId
    ? 'region'
    : level === undefined
      ? null
      : level === 'city'
        ? 'region'
        : 'unit';

  const breakdownQ = useApi(
    'GET /api/dashboards/breakdown',
    unitId || by === null ? null : { query: { regionId, by } },
  );
  const trend = trendQ.data ?? null;
  const heat = heatQ.data ?? null;
  const points = pointsQ.data ?? null;
  const breakdown = breakdownQ.data ?? null;
  const ranking = rankingQ.data ?? null;
  const dueSoon = dueSoonQ.data ?? null;
  const failed = [kpisQ, heatQ, pointsQ, dueSoonQ, rankingQ, breakdownQ, trendQ, cellsQ].find(
    (q) => q.error,
  )?.error;
  const error = failed ? errorText(failed, lang) : null;

  const go = (next: { regionId?: number | string; unitId?: number | string }) => {
    const p: Record<string, string> = {};
    if (next.regionId !== undefined) p.regionId = String(next.regionId);
    if (next.unitId !== undefined) p.unitId = String(next.unitId);
    setParams(p);
  };

  const path = kpis?.scope.path ?? [];
  // A district or street office's dashboard starts at its own region: nothing above it to open.
  const own = isCityLevel(user) ? -1 : path.findIndex((r) => r.id === user?.regionId);
  const crumbs = [
    ...(own >= 0 ? [] : [{ title: <Link to="/dashboard">{t(L.org.city)}</Link> }]),
    ...(own >= 0 ? path.slice(own) : path.filter((r) => r.level !== 'city')).map((r) => ({
      title: <Link to={`/dashboard?regionId=${r.id}`}>{r.name}</Link>,
    })),
    ...(kpis?.scope.unitName ? [{ title: <span>{kpis.scope.unitName}</span> }] : []),
  ];

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="dashboard">
      <Card size="small">
        <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
          <Breadcrumb items={crumbs} data-testid="dashboard-breadcrumb" />
          <Typography.Text type="secondary">
            {user?.roles.includes('leader') && !user.roles.includes('office')
              ? t({ zh: '领导驾驶舱（只读）', en: 'Leader view (read-only)' })
              : t({ zh: '创建办工作台', en: 'Office dashboard' })}
          </Typography.Text>
        </Space>
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Card>
      <KpiCards k={kpis} handDown />
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <TrendChart trend={trend} interval={interval} onInterval={setInterval} />
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t({ zh: '问题热力与点位状态', en: 'Problem heat and points' })}
            extra={<AsOf iso={points?.asOf} label={{ zh: '点位状态截至', en: 'points as of' }} />}
          >
            <HeatMap
              heat={heat}
              points={points}
              honours={cellsShown ? (honoursMapQ.data ?? null) : undefined}
              carriers={carriersShown ? (carriersMapQ.data ?? null) : undefined}
              height={262}
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={ranking && !regionId && !unitId ? 14 : 24}>
          {unitId ? (
            <UnitProblems regionId={regionId} unitId={unitId} />
          ) : (
            <BreakdownCard
              data={breakdown}
              by={by ?? 'unit'}
              level={kpis?.scope.level}
              onPick={(key) => {
                if (key === null) return;
                if (by === 'region') go({ regionId: key });
                else go({ regionId, unitId: key });
              }}
            />
          )}
        </Col>
        {ranking && !regionId && !unitId && (
          <Col xs={24} xl={10}>
            <RankingCard data={ranking} onUnit={(id) => go({ unitId: id })} />
          </Col>
        )}
      </Row>
      <DueSoonCard data={dueSoon} />
      {cellsShown && !unitId && <CellsCard data={cellsQ.data ?? null} />}
      {carriersShown && !unitId && <CarriersCard data={carriersQ.data ?? null} />}
      {/* 网上申报 is the city's filing: its completeness on the city's own dashboard. */}
      {wholeCampaign && can(Permission.AssignmentRead) && !regionId && !unitId && <FilingCard />}
      {level === 'unit' && (
        <Typography.Link onClick={() => void navigate(`/problems?unitId=${unitId}`)}>
          {t({ zh: '在问题台账中查看全部', en: 'Open all in the ledger' })}
        </Typography.Link>
      )}
    </Space>
  );
}

function BreakdownCard(props: {
  data: TDashboardBreakdown | null;
  by: 'region' | 'unit';
  /** The level the rows are under: the city's are districts, a district's its streets. */
  level?: string | undefined;
  onPick: (key: number | null) => void;
}) {
  const { t } = useI18n();
  return (
    <Card
      size="small"
      title={
        props.by === 'region' && props.level === 'district'
          ? t({ zh: '各街道（乡镇）情况（点击下钻）', en: 'Streets (click to drill down)' })
          : props.by === 'region'
            ? t({ zh: '各区县情况（点击下钻）', en: 'Districts (click to drill down)' })
            : t({ zh: '各责任单位情况（点击下钻）', en: 'Units (click to drill down)' })
      }
      extra={<AsOf iso={props.data?.asOf} />}
      data-testid="breakdown"
    >
      <Table<TDashboardBreakdownRow>
        size="small"
        rowKey={(r) => String(r.key)}
        dataSource={props.data?.rows ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: 760 }}
        onRow={(r) => ({
          onClick: () => props.onPick(r.key),
          style: { cursor: r.key === null ? 'default' : 'pointer' },
          'data-testid': `breakdown-row-${r.key}`,
        })}
        columns={[
          {
            title: props.by === 'region' ? t(L.org.regionArea) : t(L.org.unit),
            dataIndex: 'name',
            render: (v: string, r) => (r.key === null ? v : <Typography.Link>{v}</Typography.Link>),
          },
          { title: t(L.problems.open), dataIndex: 'open', width: 80, render: num },
          {
            title: t(L.common.overdue),
            dataIndex: 'overdue',
            width: 80,
            render: (v: number) =>
              v ? <Typography.Text type="danger">{num(v)}</Typography.Text> : 0,
          },
          {
            title: t({ zh: '红/黄', en: 'Red/yellow' }),
            width: 90,
            render: (_: unknown, r) => (
              <span>
                <Tag color="red">{r.red}</Tag>
                <Tag color="gold">{r.yellow}</Tag>
              </span>
            ),
          },
          { title: t({ zh: '应结案', en: 'Due' }), dataIndex: 'due', width: 80, render: num },
          {
            title: t(L.problems.onTimeCloseRate),
            dataIndex: 'onTimeCloseRate',
            width: 100,
            render: pct,
          },
          {
            title: t(L.problems.reworkRate),
            dataIndex: 'reworkRate',
            width: 80,
            render: pct,
          },
        ]}
      />
    </Card>
  );
}

/** The problem list of a unit (within the region of the drill-down), keyset-paginated. */
function UnitProblems(props: { regionId?: number; unitId: number }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const list = useApiPages(
    'GET /api/problems',
    { regionId: props.regionId, unitId: props.unitId, sort: 'deadline', order: 'asc' },
    10,
  );
  return (
    <Card
      size="small"
      title={t({ zh: '问题清单（点击查看详情）', en: 'Problems (click for detail)' })}
      data-testid="unit-problems"
    >
      <Table<TProblem>
        size="small"
        rowKey="id"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 760 }}
        onRow={(r) => ({
          onClick: () => void navigate(`/problems/${r.id}`),
          style: { cursor: 'pointer' },
          'data-testid': `problem-row-${r.id}`,
        })}
        columns={[
          { title: t(L.common.code), dataIndex: 'code', width: 140 },
          { title: t(L.problems.problem), dataIndex: 'title', ellipsis: true },
          {
            title: t(L.common.status),
            dataIndex: 'state',
            width: 100,
            render: (s: TProblem['state']) => <StateTag state={s} />,
          },
          {
            title: t(L.problems.escalation),
            dataIndex: 'escalation',
            width: 100,
            render: (l: TProblem['escalation']) => <EscalationTag level={l} />,
          },
          {
            title: t(L.common.deadline),
            dataIndex: 'deadline',
            width: 150,
            render: (d: string | null) => formatTime(d),
          },
        ]}
      />
      <Pager {...list} />
    </Card>
  );
}
