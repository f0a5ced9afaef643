import { Descriptions, Drawer, Tag, Timeline, Typography } from 'antd';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';

const FIELD_LABELS: Record<string, L> = {
  name: L.common.name,
  typeId: L.common.type,
  regionId: L.org.regionArea,
  unitId: L.points.responsibleUnit,
  address: L.common.address,
  lat: L.common.latitude,
  lng: L.common.longitude,
  leader: { zh: '负责人', en: 'Leader' },
  contact: L.common.contactPhone,
  active: L.common.inUse,
};
const ACTIONS: Record<string, L> = {
  'point.create': { zh: '登记', en: 'Registered' },
  'point.update': L.common.modify,
  'point.import': { zh: '申报表导入', en: 'Declaration import' },
};
const show = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return `${v}`;
  return JSON.stringify(v);
};

/** A point's details, its grid (derived from the grid polygons) and who changed what when. */
export function PointDetailDrawer(props: { pointId: number | null; onClose: () => void }) {
  const { t, lang } = useI18n();
  const point = useApi(
    'GET /api/points/:id',
    props.pointId === null ? null : { params: { id: props.pointId } },
  );
  const d = props.pointId === null ? null : (point.data ?? null);
  const error = point.error ? errorText(point.error, lang) : null;
  return (
    <Drawer
      open={props.pointId !== null}
      onClose={props.onClose}
      width={560}
      title={d?.point.name ?? t(L.points.point)}
      data-testid="point-detail"
    >
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      {d && (
        <>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t(L.common.type)}>
              {d.point.typeName}（{d.point.type}）
            </Descriptions.Item>
            <Descriptions.Item label={t(L.org.regionArea)}>
              {show(d.point.regionName)}
            </Descriptions.Item>
            <Descriptions.Item label={t({ zh: '所在网格', en: 'Grid' })}>
              <span data-testid="point-grid">
                {d.grid ? (
                  `${d.grid.name}（${d.grid.code}）`
                ) : (
                  <Typography.Text type="secondary">
                    {t({ zh: '不在任何网格内', en: 'In no grid' })}
                  </Typography.Text>
                )}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t(L.points.responsibleUnit)}>
              {show(d.point.unitName)}
            </Descriptions.Item>
            <Descriptions.Item label={t(L.common.address)}>
              {show(d.point.address)}
            </Descriptions.Item>
            <Descriptions.Item label={t({ zh: '负责人 / 电话', en: 'Leader / phone' })}>
              {show(d.point.leader)} / {show(d.point.contact)}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>{t({ zh: '变更记录', en: 'History' })}</Typography.Title>
          <Timeline
            data-testid="point-history"
            items={[...d.history].reverse().map((h, k) => ({
              children: (
                <div key={k}>
                  <Tag>{t(ACTIONS[h.action] ?? { zh: h.action, en: h.action })}</Tag>
                  <Typography.Text type="secondary">
                    {formatTime(h.at)} · {h.actorName ?? '—'}
                  </Typography.Text>
                  {h.action === 'point.update' &&
                    h.changes.map((c) => (
                      <div key={c.field} style={{ fontSize: 12 }}>
                        {t(FIELD_LABELS[c.field] ?? { zh: c.field, en: c.field })}：{show(c.before)}{' '}
                        → {show(c.after)}
                      </div>
                    ))}
                </div>
              ),
            }))}
          />
        </>
      )}
    </Drawer>
  );
}
