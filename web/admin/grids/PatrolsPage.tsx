import { App, Card, Col, Descriptions, Empty, List, Row, Select, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { TPatrol } from '../../../core/contracts/grids.js';
import type { ApiResponse } from '../../shared/api.js';
import { useApi } from '../../shared/api-query.js';

/** A worker's patrols in a grid over the summary's days. */
type TPatrolSummaryRow = ApiResponse<'GET /api/patrols/summary'>['items'][number];
import { errorText } from '../../shared/forms.js';
import { GridMap } from '../../shared/grid-map.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';

const pct = (v: number | null) => (v == null ? '-' : `${Math.round(v * 100)}%`);

/** 巡查记录: the office reviews patrols — the list, and one patrol's track and finds on the map. */
export function PatrolsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id } = useParams();
  const [gridId, setGridId] = useState<number | undefined>();
  // The coverage summary and the grid list help; without them the patrols still show.
  const summary = useApi('GET /api/patrols/summary', { query: { days: 30 } }).data?.items ?? [];
  const grids = useApi('GET /api/grids', {}).data?.items ?? [];
  const patrols = useApi('GET /api/patrols', { query: { limit: 100, gridId } });
  const items = patrols.data?.items ?? [];
  const detailQ = useApi('GET /api/patrols/:id', id ? { params: { id: Number(id) } } : null);
  const detail = id ? (detailQ.data ?? null) : null;
  const failed = patrols.error ?? detailQ.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, message, lang]);
  const grid = detail ? grids.find((g) => g.id === detail.patrol.gridId) : undefined;
  return (
    <Row gutter={16}>
      <Col xs={24} xl={10}>
        <Card
          title={t(L.grids.patrolRecords)}
          extra={
            <Select
              allowClear
              style={{ width: 180 }}
              placeholder={t({ zh: '全部网格', en: 'All grids' })}
              value={gridId}
              onChange={setGridId}
              options={grids.map((g) => ({ value: g.id, label: g.name }))}
            />
          }
        >
          <Table<TPatrol>
            rowKey="id"
            size="small"
            data-testid="patrol-list"
            dataSource={items}
            pagination={{ pageSize: 15 }}
            rowClassName={(p) => (String(p.id) === id ? 'ant-table-row-selected' : '')}
            onRow={(p) => ({
              onClick: () => void navigate(`/patrols/${p.id}`),
              style: { cursor: 'pointer' },
            })}
            columns={[
              { title: t(L.grids.grid), dataIndex: 'gridName' },
              { title: t(L.grids.gridWorker), dataIndex: 'workerName' },
              {
                title: t(L.common.started),
                render: (_, p) => formatTime(p.startedAt),
              },
              {
                title: t(L.common.status),
                render: (_, p) =>
                  p.state === 'active' ? (
                    <Tag color="green">{t(L.grids.walking)}</Tag>
                  ) : (
                    <Tag>{t(L.common.ended)}</Tag>
                  ),
              },
              { title: t({ zh: '覆盖', en: 'Coverage' }), render: (_, p) => pct(p.coverage) },
              { title: t(L.problems.reported), dataIndex: 'problemCount' },
            ]}
          />
        </Card>
        <Card
          title={t({ zh: '近30日巡查汇总', en: 'Last 30 days by worker' })}
          style={{ marginTop: 16 }}
          data-testid="patrol-summary"
        >
          <Table<TPatrolSummaryRow>
            rowKey={(r) => `${r.workerId}-${r.gridId}`}
            size="small"
            dataSource={summary}
            pagination={false}
            columns={[
              { title: t(L.grids.gridWorker), dataIndex: 'workerName' },
              { title: t(L.grids.grid), dataIndex: 'gridName' },
              { title: t({ zh: '次数', en: 'Patrols' }), dataIndex: 'patrols' },
              {
                title: t(L.grids.distance),
                render: (_, r) => `${(r.distanceM / 1000).toFixed(1)} km`,
              },
              {
                title: t({ zh: '平均覆盖', en: 'Mean coverage' }),
                render: (_, r) => pct(r.coverage),
              },
              { title: t(L.problems.reported), dataIndex: 'problems' },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={14}>
        <Card title={t({ zh: '巡查轨迹', en: 'Track' })} data-testid="patrol-review">
          {!detail ? (
            <Empty
              description={t({ zh: '选择一次巡查查看轨迹', en: 'Pick a patrol to see its track' })}
            />
          ) : (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Descriptions size="small" column={3} bordered>
                <Descriptions.Item label={t(L.grids.grid)}>
                  {detail.patrol.gridName}
                </Descriptions.Item>
                <Descriptions.Item label={t(L.grids.gridWorker)}>
                  {detail.patrol.workerName}
                </Descriptions.Item>
                <Descriptions.Item label={t(L.grids.gpsSamples)}>
                  {detail.patrol.pointCount}
                </Descriptions.Item>
                <Descriptions.Item label={t(L.common.started)}>
                  {formatTime(detail.patrol.startedAt)}
                </Descriptions.Item>
                <Descriptions.Item label={t({ zh: '结束', en: 'Ended' })}>
                  {formatTime(detail.patrol.endedAt) || t(L.grids.walking)}
                </Descriptions.Item>
                <Descriptions.Item label={t({ zh: '里程 / 覆盖', en: 'Distance / coverage' })}>
                  <span data-testid="patrol-coverage">
                    {detail.patrol.distanceM == null ? '-' : `${detail.patrol.distanceM} m`} /{' '}
                    {pct(detail.patrol.coverage)}
                  </span>
                </Descriptions.Item>
              </Descriptions>
              <GridMap
                height={420}
                areas={grid ? [{ id: grid.id, geometry: grid.geometry }] : []}
                tracks={[{ id: detail.patrol.id, points: detail.track }]}
                pins={detail.problems
                  .filter((p) => p.lat !== null && p.lng !== null)
                  .map((p) => ({
                    id: p.id,
                    lat: p.lat!,
                    lng: p.lng!,
                    label: `${p.code} ${p.title}`,
                  }))}
              />
              <List
                size="small"
                header={t({ zh: '巡查中上报的问题', en: 'Problems reported on the way' })}
                dataSource={detail.problems}
                data-testid="patrol-problems"
                renderItem={(p) => (
                  <List.Item>
                    <Link to={`/problems/${p.id}`}>
                      {p.code} {p.title}
                    </Link>
                  </List.Item>
                )}
              />
            </Space>
          )}
        </Card>
      </Col>
    </Row>
  );
}
