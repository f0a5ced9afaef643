import { App, Card, Col, Progress, Row, Statistic, Table, Tag, Typography } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { PLACE_KIND_LABELS, type TVolunteerStats } from '../../../core/contracts/volunteers.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { get } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { useI18n } from '../../shared/i18n.js';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** 志愿服务统计: registration rate against the target, active volunteers, hours, idle stations. */
export function VolunteerStatsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [s, setS] = useState<TVolunteerStats | null>(null);
  const teamChart = useRef<HTMLDivElement>(null);
  const regionChart = useRef<HTMLDivElement>(null);

  useEffect(() => {
    get<TVolunteerStats>('/api/volunteer-stats')
      .then(setS)
      .catch((err: unknown) => message.error(errorText(err, lang)));
  }, []);

  useEffect(() => {
    if (!s) return;
    const charts: echarts.ECharts[] = [];
    const draw = (el: HTMLDivElement | null, rows: { name: string; minutes: number }[]) => {
      if (!el) return;
      const c = echarts.init(el);
      charts.push(c);
      c.setOption({
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 16, top: 24, bottom: 70 },
        xAxis: {
          type: 'category',
          data: rows.map((r) => r.name),
          axisLabel: { rotate: 25, interval: 0 },
        },
        yAxis: { type: 'value', name: t({ zh: '小时', en: 'hours' }) },
        series: [
          {
            name: t({ zh: '服务时长', en: 'Service hours' }),
            type: 'bar',
            data: rows.map((r) => minutesToHours(r.minutes)),
            itemStyle: { color: '#d4380d' },
            barMaxWidth: 40,
          },
        ],
      });
    };
    draw(teamChart.current, s.hoursByTeam.slice(0, 15));
    draw(regionChart.current, s.hoursByRegion.slice(0, 15));
    const onResize = () => charts.forEach((c) => c.resize());
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      charts.forEach((c) => c.dispose());
    };
  }, [s, lang]);

  if (!s) return <Card loading />;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} lg={6}>
        <Card>
          <Statistic
            title={t({ zh: '注册志愿者', en: 'Registered volunteers' })}
            value={s.totalRegistered}
          />
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card>
          <Statistic
            title={t({
              zh: `活跃志愿者（近 ${s.settings.activeDays} 天）`,
              en: `Active (last ${s.settings.activeDays} days)`,
            })}
            value={s.activeVolunteers}
            data-testid="stat-active"
          />
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card>
          <Statistic
            title={t({ zh: '累计服务时长(小时)', en: 'Total hours' })}
            value={minutesToHours(s.hoursByTeam.reduce((n, r) => n + r.minutes, 0))}
          />
        </Card>
      </Col>
      <Col xs={12} lg={6}>
        <Card>
          <Statistic
            title={t({ zh: '本月无活动的阵地', en: 'Stations idle this month' })}
            value={s.idlePlaces.length}
            styles={{ content: { color: s.idlePlaces.length ? '#cf1322' : undefined } }}
          />
        </Card>
      </Col>
      <Col xs={24}>
        <Card
          size="small"
          title={t({
            zh: `注册志愿者占常住人口比例（目标 ≥ ${s.settings.targetRatePct}%）`,
            en: `Registered volunteers per resident population (target ≥ ${s.settings.targetRatePct}%)`,
          })}
        >
          <Table
            size="small"
            rowKey="regionId"
            dataSource={s.registration}
            pagination={false}
            locale={{ emptyText: t({ zh: '尚未填报人口数', en: 'No populations entered yet' }) }}
            columns={[
              { title: t({ zh: '区划', en: 'Region' }), dataIndex: 'regionName' },
              {
                title: t({ zh: '常住人口', en: 'Population' }),
                dataIndex: 'population',
                align: 'right',
                render: (n: number) => n.toLocaleString('zh-CN'),
              },
              {
                title: t({ zh: '注册志愿者', en: 'Registered' }),
                dataIndex: 'registered',
                align: 'right',
              },
              {
                title: t({ zh: '比例', en: 'Rate' }),
                dataIndex: 'ratePct',
                width: 260,
                render: (v: number, r) => (
                  <Progress
                    percent={Math.min(100, (v / s.settings.targetRatePct) * 100)}
                    format={() => `${v}%`}
                    status={r.meetsTarget ? 'success' : 'exception'}
                    size="small"
                  />
                ),
              },
              {
                title: t({ zh: '达标', en: 'Target' }),
                dataIndex: 'meetsTarget',
                render: (ok: boolean) =>
                  ok ? (
                    <Tag color="green">{t({ zh: '达标', en: 'Met' })}</Tag>
                  ) : (
                    <Tag color="red">{t({ zh: '未达标', en: 'Below' })}</Tag>
                  ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t({ zh: '各服务队服务时长', en: 'Hours by team' })}>
          <div ref={teamChart} style={{ height: 300 }} data-testid="chart-team" />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t({ zh: '各区县服务时长', en: 'Hours by district' })}>
          <div ref={regionChart} style={{ height: 300 }} />
        </Card>
      </Col>
      <Col xs={24}>
        <Card
          size="small"
          title={t({ zh: '本月无活动的阵地', en: 'Stations with no activity this month' })}
        >
          {s.idlePlaces.length === 0 ? (
            <Typography.Text type="secondary">{t({ zh: '无', en: 'None' })}</Typography.Text>
          ) : (
            s.idlePlaces.map((p) => (
              <Tag key={p.id} color="red" style={{ marginBottom: 6 }}>
                {p.name} · {t(PLACE_KIND_LABELS[p.kind])}
              </Tag>
            ))
          )}
        </Card>
      </Col>
    </Row>
  );
}
