import {
  Button,
  Card,
  Col,
  Descriptions,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { TMyAssignment } from '../../../core/contracts/frameworks.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { AsOf, DueSoonCard, KpiCards, TrendChart, pct, unitTypeLabel } from './DashboardParts.js';
import { DueMaterialsCard } from '../assignments/DueMaterialsCard.js';

/**
 * A unit's own dashboard: its standing among all units and its class (by 按期结案率), its open
 * problems by 督办 colour, what is due soon, its archive materials due (档案资料 of the standards it
 * leads) and its assignments (任务分解 with due dates), each linking to the page where the work is done.
 */
export function UnitDashboardPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [interval, setInterval] = useState<'week' | 'month'>('week');
  const canAssignments = can('assignment.read');
  const standingQ = useApi('GET /api/dashboards/unit', {});
  const kpisQ = useApi('GET /api/dashboards/kpis', {});
  const dueSoonQ = useApi('GET /api/dashboards/due-soon', {});
  const assignmentsQ = useApi('GET /api/my-assignments', canAssignments ? {} : null);
  const trendQ = useApi('GET /api/dashboards/trend', { query: { interval } });
  const standing = standingQ.data ?? null;
  const kpis = kpisQ.data ?? null;
  const dueSoon = dueSoonQ.data ?? null;
  const assignments = assignmentsQ.data?.items ?? null;
  const trend = trendQ.data ?? null;
  const failed = [standingQ, kpisQ, dueSoonQ, assignmentsQ, trendQ].find((q) => q.error)?.error;
  const error = failed ? errorText(failed, lang) : null;

  const s = standing;
  const colours = s?.openByColour;
  // Assignments with a date first, the soonest first; undated (长期坚持) after.
  const dated = (assignments ?? [])
    .slice()
    .sort((a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999'))
    .slice(0, 8);

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="unit-dashboard">
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={t({ zh: '本单位排名', en: 'Our standing' })}
            extra={<AsOf iso={s?.asOf} />}
            data-testid="unit-standing"
          >
            {s && (
              <>
                <Descriptions size="small" column={1}>
                  <Descriptions.Item label={t(L.org.unit)}>
                    {s.unit.name}（{t(unitTypeLabel(s.unit.type))}）
                  </Descriptions.Item>
                </Descriptions>
                <Row gutter={12}>
                  <Col span={8}>
                    <Statistic
                      title={t({ zh: '全部单位排名', en: 'Rank, all units' })}
                      value={s.standing.rank ?? '—'}
                      suffix={s.standing.rank ? `/ ${s.rankedCount}` : undefined}
                    />
                  </Col>
                  <Col span={8}>
                    <Statistic
                      title={t({ zh: '同类单位排名', en: 'Rank in class' })}
                      value={s.standing.rankInType ?? '—'}
                      suffix={s.standing.rankInType ? `/ ${s.rankedInType}` : undefined}
                    />
                  </Col>
                  <Col span={8}>
                    <Statistic
                      title={t(L.problems.onTimeCloseRate)}
                      value={pct(s.standing.onTimeCloseRate)}
                    />
                  </Col>
                </Row>
                <Typography.Paragraph style={{ margin: '8px 0 0' }} data-testid="unit-satisfaction">
                  {t(L.problems.reporterSatisfaction)}：
                  {s.satisfaction.rated === 0
                    ? t({ zh: '暂无评价', en: 'no ratings yet' })
                    : t({
                        zh: `${pct(s.satisfaction.rate)}（${s.satisfaction.rated} 条评价：满意 ${s.satisfaction.satisfied}，基本满意 ${s.satisfaction.basic}）`,
                        en: `${pct(s.satisfaction.rate)} (${s.satisfaction.rated} ratings: ${s.satisfaction.satisfied} satisfied, ${s.satisfaction.basic} fairly)`,
                      })}
                </Typography.Paragraph>
                {s.standing.rank === null && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t({
                      zh: `应结案问题 ${s.standing.due - s.standing.deferred} 个，少于 ${s.minSample} 个不参与排名`,
                      en: `${s.standing.due - s.standing.deferred} due; fewer than ${s.minSample} are not ranked`,
                    })}
                  </Typography.Text>
                )}
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={t({ zh: '整改中的问题（按督办等级）', en: 'Open problems by colour' })}
            extra={
              <Button size="small" onClick={() => void navigate('/problems')}>
                {t({ zh: '去问题台账', en: 'Open the ledger' })}
              </Button>
            }
            data-testid="unit-colours"
          >
            {colours && (
              <Row gutter={12}>
                {(
                  [
                    ['red', { zh: '红色督办', en: 'Red' }, '#cf1322'],
                    ['yellow', { zh: '黄色预警', en: 'Yellow' }, '#d48806'],
                    ['blue', { zh: '蓝色提醒', en: 'Blue' }, '#1677ff'],
                    ['none', { zh: '正常', en: 'On track' }, undefined],
                  ] as const
                ).map(([k, label, color]) => (
                  <Col span={6} key={k}>
                    <Statistic
                      title={t(label)}
                      value={colours[k]}
                      styles={color ? { content: { color } } : undefined}
                    />
                  </Col>
                ))}
              </Row>
            )}
            {s && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t({
                  zh: `另有待核查 ${s.submitted} 个、缓办 ${s.deferred} 个`,
                  en: `also ${s.submitted} awaiting verification, ${s.deferred} deferred`,
                })}
              </Typography.Text>
            )}
          </Card>
        </Col>
      </Row>
      <KpiCards k={kpis} />
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <DueSoonCard data={dueSoon} />
        </Col>
        <Col xs={24} xl={12}>
          <TrendChart trend={trend} interval={interval} onInterval={setInterval} />
        </Col>
      </Row>
      {canAssignments && <DueMaterialsCard />}
      {canAssignments && (
        <Card
          size="small"
          title={t({
            zh: '我的任务（任务分解与档案资料）',
            en: 'Our assignments and dossiers',
          })}
          extra={
            <Space>
              <Button size="small" onClick={() => void navigate('/my-assignments')}>
                {t(L.org.myAssignments)}
              </Button>
              <Button size="small" onClick={() => void navigate('/evidence')}>
                {t(L.framework.archive)}
              </Button>
            </Space>
          }
          data-testid="unit-assignments"
        >
          <Table<TMyAssignment>
            size="small"
            rowKey="id"
            pagination={false}
            loading={assignments === null}
            dataSource={dated}
            locale={{ emptyText: t({ zh: '暂无任务', en: 'No assignments' }) }}
            columns={[
              {
                title: t(L.framework.standard),
                dataIndex: 'standardText',
                ellipsis: true,
              },
              {
                title: t(L.common.role),
                dataIndex: 'role',
                width: 90,
                render: (r: TMyAssignment['role']) =>
                  r === 'lead' ? (
                    <Tag color="blue">{t({ zh: '牵头', en: 'Lead' })}</Tag>
                  ) : (
                    <Tag>{t({ zh: '责任', en: 'Responsible' })}</Tag>
                  ),
              },
              {
                title: t(L.common.timeLimit),
                width: 120,
                render: (_: unknown, r) => r.dueDate ?? r.dueText ?? '—',
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}
