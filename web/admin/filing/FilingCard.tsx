import { Card, Col, Row, Statistic, Table, Typography } from 'antd';
import { Link } from 'react-router';
import type { TFilingCounts } from '../../../core/contracts/filing.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { CITY_CAMPAIGNS } from '../framework/city-campaigns.js';

/** How many lead units the card names: the least complete first. */
const UNITS = 5;

/**
 * 网上申报 on the city's dashboard: this year's material standards ready to file, what is missing,
 * per 测评项目 and the least complete lead units (the 网上申报 page has every standard).
 */
export function FilingCard() {
  const { t, lang } = useI18n();
  const campaigns = useApi('GET /api/campaigns', CITY_CAMPAIGNS).data?.items;
  const frameworkId =
    campaigns?.flatMap((c) => c.frameworks).find((f) => f.currentVersionId !== null)?.id ?? null;
  const year = new Date().getFullYear();
  const q = useApi(
    'GET /api/filing/:year/completeness',
    frameworkId === null ? null : { params: { year }, query: { frameworkId } },
  );
  const c = q.data;
  const done = (x: TFilingCounts) => `${x.complete} / ${x.standards}`;
  const title = t({ zh: `网上申报材料（${year} 年）`, en: `Online filing (${year})` });
  if (campaigns && frameworkId === null) return null;
  return (
    <Card
      size="small"
      title={title}
      extra={<Link to="/filing">{t({ zh: '网上申报', en: 'Online filing' })}</Link>}
      loading={!c && !q.error}
      data-testid="filing-card"
    >
      {q.error && <Typography.Text type="danger">{errorText(q.error, lang)}</Typography.Text>}
      {c && (
        <Row gutter={[12, 12]}>
          <Col xs={24} xl={8}>
            <Row gutter={8}>
              <Col span={12} data-testid="filing-complete">
                <Statistic title={t({ zh: '已齐全', en: 'Complete' })} value={done(c.total)} />
              </Col>
              <Col span={12}>
                <Statistic
                  title={t({ zh: '缺材料', en: 'No files' })}
                  value={c.total.missingFiles}
                  styles={{ content: { color: c.total.missingFiles ? '#cf1322' : undefined } }}
                />
              </Col>
              <Col span={12}>
                <Statistic
                  title={t({ zh: '缺情况说明', en: 'No statement' })}
                  value={c.total.missingStatement}
                />
              </Col>
              <Col span={12}>
                <Statistic
                  title={t({ zh: '窗口期外 / 未审核', en: 'Outside window / unapproved' })}
                  value={`${c.total.outsideWindow} / ${c.total.unapproved}`}
                />
              </Col>
            </Row>
          </Col>
          <Col xs={24} xl={8}>
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={c.items}
              data-testid="filing-by-item"
              columns={[
                { title: t(L.framework.item), render: (_: unknown, i) => `${i.code} ${i.text}` },
                {
                  title: t({ zh: '齐全', en: 'Complete' }),
                  width: 80,
                  render: (_: unknown, i) => done(i),
                },
              ]}
            />
          </Col>
          <Col xs={24} xl={8}>
            <Table
              size="small"
              rowKey={(u) => String(u.unitId)}
              pagination={false}
              dataSource={c.units.slice(0, UNITS)}
              data-testid="filing-by-unit"
              columns={[
                { title: t(L.org.leadUnit), dataIndex: 'name' },
                {
                  title: t({ zh: '齐全', en: 'Complete' }),
                  width: 80,
                  render: (_: unknown, u) => done(u),
                },
              ]}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}
