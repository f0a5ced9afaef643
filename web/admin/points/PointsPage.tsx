import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { CircleMarker, Tooltip } from 'react-leaflet';
import type { TPointOverview } from '../../../core/contracts/points.js';
import { qs, type ApiQuery } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { BaseMap } from '../../shared/base-map.js';
import { RegionPicker } from '../../shared/pickers.js';
import { useAuth } from '../auth.js';
import { ImportButton } from '../ImportButton.js';
import { PointDetailDrawer } from './PointDetailDrawer.js';

/** Colour by the latest result: green passed, orange failed, red serious, grey never visited. */
const COLOURS = { pass: '#389e0d', fail: '#fa8c16', serious: '#cf1322', none: '#8c8c8c' };
const RESULT_LABELS = {
  pass: L.points.pass,
  fail: L.points.fail,
  serious: L.points.serious,
  none: L.points.notVisited,
};

/**
 * 点位: map and list, filtered by type, region, latest result and origin (declared, or added during
 * a round — 随机查看 — which the office may adopt into the 申报表); export of the 申报表.
 */
export function PointsPage() {
  const { cityLevel } = useAuth();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<ApiQuery<'GET /api/points/overview'>>({});
  const [detail, setDetail] = useState<number | null>(null);
  const types = useApi('GET /api/point-types', {}).data?.items ?? [];
  const overview = useApi('GET /api/points/overview', { query: filter });
  const rows = useMemo(() => overview.data?.items ?? [], [overview.data]);
  // Adopting, and the declaration import, refetch the overview (every read under /api/points).
  const adoptPoint = useApiMutation('POST /api/points/:id/adopt');
  const query = qs({
    type: filter.type,
    regionId: filter.regionId,
    result: filter.result,
    origin: filter.origin,
  });
  const adopt = async (p: TPointOverview) => {
    try {
      await adoptPoint.mutateAsync({ params: { id: p.id }, body: { version: p.version } });
      message.success(t({ zh: '已纳入申报点位', en: 'Now a declared point' }));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
  const located = rows.filter((r) => r.lat !== null && r.lng !== null);
  const bounds = useMemo(() => {
    if (!located.length) return null;
    const lats = located.map((r) => r.lat!);
    const lngs = located.map((r) => r.lng!);
    return [
      [Math.min(...lats) - 0.002, Math.min(...lngs) - 0.002],
      [Math.max(...lats) + 0.002, Math.max(...lngs) + 0.002],
    ] as [[number, number], [number, number]];
  }, [located]);
  return (
    <Card
      title={t({ zh: '点位管理', en: 'Points' })}
      extra={
        <Space>
          {cityLevel && (
            <>
              <ImportButton
                endpoint="POST /api/points/declaration/import"
                testId="declaration-import"
              />
              <Button
                icon={<DownloadOutlined />}
                href={`/api/points/declaration.xlsx${query}`}
                data-testid="declaration-export"
              >
                {t({ zh: '导出申报表', en: 'Export declaration' })}
              </Button>
            </>
          )}
        </Space>
      }
      data-testid="points-page"
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t(L.points.pointType)}
          value={filter.type}
          onChange={(v?: string) => setFilter((f) => ({ ...f, type: v }))}
          options={types.map((x) => ({ value: x.code, label: `${x.name}（${x.code}）` }))}
        />
        <RegionPicker
          style={{ width: 200 }}
          placeholder={t(L.org.regionArea)}
          value={filter.regionId ?? null}
          onChange={(v) => setFilter((f) => ({ ...f, regionId: v ?? undefined }))}
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t({ zh: '最近结果', en: 'Latest result' })}
          value={filter.result}
          onChange={(v?: 'pass' | 'fail' | 'serious' | 'none') =>
            setFilter((f) => ({ ...f, result: v }))
          }
          options={Object.entries(RESULT_LABELS).map(([v, l]) => ({ value: v, label: t(l) }))}
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t(L.common.source)}
          value={filter.origin}
          onChange={(v?: 'declared' | 'added') => setFilter((f) => ({ ...f, origin: v }))}
          data-testid="points-origin"
          options={[
            { value: 'declared', label: t({ zh: '申报点位', en: 'Declared' }) },
            { value: 'added', label: t({ zh: '随机增加（未纳入）', en: 'Added, not adopted' }) },
          ]}
        />
        <Space size={4}>
          {Object.entries(COLOURS).map(([k, c]) => (
            <Tag key={k} color={c}>
              {t(RESULT_LABELS[k as keyof typeof RESULT_LABELS])}
            </Tag>
          ))}
        </Space>
      </Space>
      {bounds && (
        <div data-testid="points-map" style={{ marginBottom: 12 }}>
          <BaseMap fit={bounds} height={360} key={query}>
            {({ show }) =>
              located.map((p) => (
                <CircleMarker
                  key={p.id}
                  center={show(p.lat!, p.lng!)}
                  radius={7}
                  pathOptions={{
                    color: COLOURS[p.lastResult ?? 'none'],
                    fillOpacity: 0.75,
                  }}
                >
                  <Tooltip>
                    {p.name} · {p.typeName}
                    {p.lastResult &&
                      ` · ${t(RESULT_LABELS[p.lastResult])} ${Math.round((p.lastScore ?? 0) * 100)}%`}
                  </Tooltip>
                </CircleMarker>
              ))
            }
          </BaseMap>
        </div>
      )}
      <Table<TPointOverview>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 20 }}
        scroll={{ x: 800 }}
        columns={[
          {
            title: t(L.points.pointName),
            dataIndex: 'name',
            render: (name: string, p) => (
              <Space size={4} wrap>
                <Typography.Link onClick={() => setDetail(p.id)} data-testid={`point-open-${p.id}`}>
                  {name}
                </Typography.Link>
                {p.added && (
                  <Tag color="purple" data-testid={`point-added-${p.id}`}>
                    {t(L.points.added)}
                    {p.addedInRoundName ? ` · ${p.addedInRoundName}` : ''}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t(L.common.type), dataIndex: 'typeName', width: 120 },
          { title: t(L.org.regionArea), dataIndex: 'regionName', width: 120 },
          { title: t(L.points.responsibleUnit), dataIndex: 'unitName', width: 140 },
          {
            title: t({ zh: '最近检查', en: 'Latest visit' }),
            width: 220,
            render: (_, p) =>
              p.lastResult ? (
                <Space size={2} direction="vertical">
                  <Tag color={COLOURS[p.lastResult]} data-testid={`point-result-${p.id}`}>
                    {t(RESULT_LABELS[p.lastResult])} {Math.round((p.lastScore ?? 0) * 100)}%
                  </Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {p.lastRoundName} · {formatTime(p.lastVisitAt)}
                  </Typography.Text>
                </Space>
              ) : (
                <Tag>{t(RESULT_LABELS.none)}</Tag>
              ),
          },
          {
            title: t(L.common.status),
            width: 130,
            render: (_, p) => (
              <Space size={4} wrap>
                {p.active ? t(L.common.inUse) : t(L.common.inactive)}
                {p.added && (
                  <Popconfirm
                    title={t({
                      zh: '纳入申报点位后，以后的抽签可以抽到该点位。',
                      en: 'Once declared, later draws may pick this place.',
                    })}
                    onConfirm={() => void adopt(p)}
                  >
                    <Button size="small" data-testid={`point-adopt-${p.id}`}>
                      {t({ zh: '纳入申报', en: 'Adopt' })}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <PointDetailDrawer pointId={detail} onClose={() => setDetail(null)} />
    </Card>
  );
}
