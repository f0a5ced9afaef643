import { Card, Col, Row, Statistic, Table } from 'antd';
import { Link } from 'react-router';
import {
  CARRIER_STATE_LABELS,
  CARRIER_STATES,
  CARRIER_THEME_LABELS,
  type TCarriersDashboard,
  type TCarrierTheme,
} from '../../../core/contracts/ad-carriers.js';
import { L, useI18n } from '../../shared/i18n.js';

/** 公益广告阵地 on the dashboard: carriers by state, and by theme each by state. */
export function CarriersCard(props: { data: TCarriersDashboard | null }) {
  const { t } = useI18n();
  const d = props.data;
  return (
    <Card
      size="small"
      title={t(L.carriers.carriers)}
      extra={<Link to="/ad-carriers">{t(L.carriers.carriers)}</Link>}
      loading={d === null}
      data-testid="carriers-card"
    >
      {d && (
        <Row gutter={[12, 12]}>
          <Col xs={24} xl={9}>
            <Row gutter={8}>
              <Col span={8} data-testid="carriers-total">
                <Statistic title={t(L.common.total)} value={d.total} />
              </Col>
              {CARRIER_STATES.filter((s) => s !== 'intact').map((s) => (
                <Col span={8} key={s} data-testid={`carriers-${s}`}>
                  <Statistic
                    title={t(CARRIER_STATE_LABELS[s])}
                    value={d.byState[s]}
                    styles={{ content: { color: d.byState[s] ? '#cf1322' : undefined } }}
                  />
                </Col>
              ))}
              <Col span={16} data-testid="carriers-awaiting">
                <Statistic
                  title={t({ zh: '破损缺失未转问题', en: 'Broken, no problem yet' })}
                  value={d.awaitingProblem}
                />
              </Col>
            </Row>
          </Col>
          <Col xs={24} xl={15}>
            <Table
              size="small"
              rowKey="theme"
              pagination={false}
              dataSource={d.byTheme}
              data-testid="carriers-by-theme"
              columns={[
                {
                  title: t(L.carriers.carrierTheme),
                  dataIndex: 'theme',
                  render: (k: TCarrierTheme) => t(CARRIER_THEME_LABELS[k]),
                },
                ...CARRIER_STATES.map((s) => ({
                  title: t(CARRIER_STATE_LABELS[s]),
                  key: s,
                  width: 60,
                  render: (_: unknown, r: TCarriersDashboard['byTheme'][number]) =>
                    r.byState[s] || '·',
                })),
                { title: t(L.common.total), dataIndex: 'total', width: 60 },
              ]}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}
