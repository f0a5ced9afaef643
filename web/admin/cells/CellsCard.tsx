import { Card, Col, List, Row, Statistic, Table, Typography } from 'antd';
import { Link } from 'react-router';
import {
  CELL_TYPE_LABELS,
  HONOUR_LEVEL_LABELS,
  HONOUR_LEVELS,
  type TCellsDashboard,
  type TCellsDashboardItem,
} from '../../../core/contracts/honours.js';
import { HonourStatusTag } from '../../shared/honour-status.js';
import { useI18n, L } from '../../shared/i18n.js';

/**
 * 文明细胞 on the dashboard of a level: the titles held by type and level, the 复审 due (terms
 * ending this year or next) and the titles at risk (整改, 暂停), each list with its first few.
 */
export function CellsCard(props: { data: TCellsDashboard | null }) {
  const { t } = useI18n();
  const d = props.data;
  const item = (i: TCellsDashboardItem, extra: string) => (
    <List.Item style={{ padding: '4px 0' }}>
      <Typography.Text ellipsis style={{ maxWidth: '65%' }}>
        {i.holderName} · {i.title}
      </Typography.Text>
      <span>
        <Typography.Text type="secondary" style={{ marginRight: 6 }}>
          {extra}
        </Typography.Text>
        <HonourStatusTag status={i.status} />
      </span>
    </List.Item>
  );
  return (
    <Card
      size="small"
      title={t(L.cells.cells)}
      extra={<Link to="/honours">{t(L.cells.honoursRegistry)}</Link>}
      loading={d === null}
      data-testid="cells-card"
    >
      {d && (
        <Row gutter={[12, 12]}>
          <Col xs={24} xl={10}>
            <Row gutter={8} style={{ marginBottom: 8 }}>
              <Col span={8} data-testid="cells-held">
                <Statistic title={t({ zh: '称号在册', en: 'Titles held' })} value={d.held} />
              </Col>
              <Col span={8} data-testid="cells-reviews-due">
                <Statistic
                  title={t(L.cells.reviewsDue)}
                  value={d.reviewsDue.thisYear + d.reviewsDue.nextYear}
                />
              </Col>
              <Col span={8} data-testid="cells-at-risk">
                <Statistic
                  title={t(L.cells.atRisk)}
                  value={d.atRisk.rectifying + d.atRisk.suspended}
                  styles={{
                    content: {
                      color: d.atRisk.rectifying + d.atRisk.suspended ? '#cf1322' : undefined,
                    },
                  }}
                />
              </Col>
            </Row>
            <Table
              size="small"
              rowKey="cellType"
              pagination={false}
              dataSource={d.byType}
              data-testid="cells-by-type"
              columns={[
                {
                  title: t(L.cells.cellType),
                  dataIndex: 'cellType',
                  render: (c: keyof typeof CELL_TYPE_LABELS) => t(CELL_TYPE_LABELS[c]),
                },
                ...HONOUR_LEVELS.map((l) => ({
                  title: t(HONOUR_LEVEL_LABELS[l]),
                  key: l,
                  width: 56,
                  render: (_: unknown, r: TCellsDashboard['byType'][number]) => r.byLevel[l] || '·',
                })),
                { title: t(L.common.total), dataIndex: 'total', width: 56 },
              ]}
            />
          </Col>
          <Col xs={24} md={12} xl={7}>
            <Typography.Text strong>
              {t({
                zh: `待复审：${d.year} 年到期 ${d.reviewsDue.thisYear}，${d.year + 1} 年到期 ${d.reviewsDue.nextYear}`,
                en: `Reviews due: ${d.reviewsDue.thisYear} ending ${d.year}, ${d.reviewsDue.nextYear} ending ${d.year + 1}`,
              })}
            </Typography.Text>
            <List
              size="small"
              dataSource={d.reviewsDue.items}
              locale={{ emptyText: t(L.common.none) }}
              renderItem={(i) =>
                item(i, t({ zh: `${i.termEndsYear} 年到期`, en: `ends ${i.termEndsYear}` }))
              }
              data-testid="cells-reviews-list"
            />
          </Col>
          <Col xs={24} md={12} xl={7}>
            <Typography.Text strong>
              {t({
                zh: `风险称号：整改 ${d.atRisk.rectifying}，暂停 ${d.atRisk.suspended}`,
                en: `At risk: ${d.atRisk.rectifying} rectifying, ${d.atRisk.suspended} suspended`,
              })}
            </Typography.Text>
            <List
              size="small"
              dataSource={d.atRisk.items}
              locale={{ emptyText: t(L.common.none) }}
              renderItem={(i) => item(i, i.regionName ?? '')}
              data-testid="cells-at-risk-list"
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}
