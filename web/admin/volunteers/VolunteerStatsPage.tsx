import {
  App,
  Button,
  Card,
  Col,
  Form,
  InputNumber,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import {
  PLACE_KIND_LABELS,
  type TVolunteerSettings,
  type TVolunteerStats,
} from '../../../core/contracts/volunteers.js';
import { Permission } from '../../../core/permissions.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { RegionPicker } from '../../shared/pickers.js';
import { useAuth } from '../auth.js';
import { Chart, type ChartOption } from '../chart.js';

/** Service hours of the first 15 teams or districts (the server's order, most first), as bars. */
function HoursChart(props: {
  rows: { name: string; minutes: number }[];
  title: string;
  'data-testid'?: string;
}) {
  const { t } = useI18n();
  const rows = useMemo(() => props.rows.slice(0, 15), [props.rows]);
  const option = useMemo(
    (): ChartOption => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 24, bottom: 70 },
      xAxis: {
        type: 'category',
        data: rows.map((r) => r.name),
        axisLabel: { rotate: 25, interval: 0 },
      },
      yAxis: { type: 'value', name: t(L.common.hours) },
      series: [
        {
          name: t(L.volunteers.serviceHours),
          type: 'bar',
          data: rows.map((r) => minutesToHours(r.minutes)),
          barMaxWidth: 40,
        },
      ],
    }),
    [rows, t],
  );
  const top = rows[0];
  return (
    <Chart
      option={option}
      empty={rows.length === 0}
      summary={
        top
          ? t({
              zh: `${props.title}（前 ${rows.length} 个）：最多的${top.name} ${minutesToHours(top.minutes)} 小时`,
              en: `${props.title} (first ${rows.length}): most ${top.name}, ${minutesToHours(top.minutes)} h`,
            })
          : props.title
      }
      data-testid={props['data-testid']}
    />
  );
}

/** 志愿服务统计: registration rate against the target, active volunteers, hours, idle stations. */
export function VolunteerStatsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { can, cityLevel } = useAuth();
  const stats = useApi('GET /api/volunteer-stats', {});
  const s = stats.data ?? null;
  useEffect(() => {
    if (stats.error) message.error(errorText(stats.error, lang));
  }, [stats.error]);

  if (!s) return <Card loading />;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} lg={6}>
        <Card>
          <Statistic title={t(L.volunteers.registeredVolunteers)} value={s.totalRegistered} />
          <Typography.Text
            type={s.notRealName ? 'warning' : 'secondary'}
            data-testid="stat-not-real-name"
          >
            {t(L.volunteers.notRealName)} {s.notRealName}
          </Typography.Text>
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
            title={t(L.volunteers.idleStations)}
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
              { title: t(L.org.regionShort), dataIndex: 'regionName' },
              {
                title: t({ zh: '常住人口', en: 'Population' }),
                dataIndex: 'population',
                align: 'right',
                render: (n: number) => n.toLocaleString('zh-CN'),
              },
              {
                title: t(L.volunteers.registeredVolunteers),
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
                title: t(L.framework.met),
                dataIndex: 'meetsTarget',
                render: (ok: boolean) =>
                  ok ? (
                    <Tag color="green">{t(L.framework.met)}</Tag>
                  ) : (
                    <Tag color="red">{t(L.framework.notMet)}</Tag>
                  ),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t({ zh: '各服务队服务时长', en: 'Hours by team' })}>
          <HoursChart
            rows={s.hoursByTeam}
            title={t({ zh: '各服务队服务时长', en: 'Hours by team' })}
            data-testid="chart-team"
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card size="small" title={t({ zh: '各区县服务时长', en: 'Hours by district' })}>
          <HoursChart
            rows={s.hoursByRegion}
            title={t({ zh: '各区县服务时长', en: 'Hours by district' })}
          />
        </Card>
      </Col>
      <Col xs={24}>
        <Card size="small" title={t(L.volunteers.idleStations)}>
          {s.idlePlaces.length === 0 ? (
            <Typography.Text type="secondary">{t(L.common.none)}</Typography.Text>
          ) : (
            s.idlePlaces.map((p) => (
              <Tag key={p.id} color="red" style={{ marginBottom: 6 }}>
                {p.name} · {t(PLACE_KIND_LABELS[p.kind])}
              </Tag>
            ))
          )}
        </Card>
      </Col>
      {/* One set of settings and populations, the city's: a district office reads its figures. */}
      {can(Permission.VolunteerWrite) && cityLevel && (
        <Col xs={24}>
          <SettingsCard stats={s} />
        </Col>
      )}
    </Row>
  );
}

/** The office's settings: the target, "active", check-in radius and QR lifetime, hour rules; populations. */
function SettingsCard(props: { stats: TVolunteerStats }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<TVolunteerSettings>();
  const [regionId, setRegionId] = useState<number | null>(null);
  const [population, setPopulation] = useState<number | null>(null);
  // Both read the statistics again.
  const saveSettings = useApiMutation('PUT /api/volunteer-settings', {
    invalidates: ['GET /api/volunteer-settings', 'GET /api/volunteer-stats'],
  });
  const savePopulation = useApiMutation('PUT /api/volunteer-stats/population');
  const num = (name: keyof TVolunteerSettings, label: { zh: string; en: string }, max: number) => (
    <Form.Item name={name} label={t(label)} rules={[{ required: true }]}>
      <InputNumber min={0} max={max} style={{ width: 120 }} />
    </Form.Item>
  );
  return (
    <Card size="small" title={t({ zh: '统计与签到设置', en: 'Settings' })}>
      <Form
        form={form}
        layout="inline"
        initialValues={props.stats.settings}
        style={{ rowGap: 8 }}
        onFinish={(v: TVolunteerSettings) =>
          void saveSettings
            .mutateAsync({ body: { ...props.stats.settings, ...v } })
            .then(() => message.success(t(L.common.saved)))
            .catch((err: unknown) => message.error(errorText(err, lang)))
        }
      >
        {num('targetRatePct', { zh: '注册率目标(%)', en: 'Target (%)' }, 100)}
        {num('activeDays', { zh: '活跃天数', en: 'Active days' }, 366)}
        {num('checkinRadiusM', { zh: '定位半径(米)', en: 'GPS radius (m)' }, 5000)}
        {num('qrTtlSeconds', { zh: '签到码有效期(秒)', en: 'QR lifetime (s)' }, 3600)}
        {num('checkinGraceMinutes', { zh: '提前/延后签到(分)', en: 'Grace (min)' }, 240)}
        {num('maxMinutesPerActivity', { zh: '单次上限(分)', en: 'Cap per activity (min)' }, 1440)}
        {num('maxMinutesPerDay', { zh: '每日上限(分)', en: 'Cap per day (min)' }, 1440)}
        <Form.Item name="missingCheckout" label={t(L.volunteers.noCheckOut)}>
          <Select
            style={{ width: 200 }}
            options={[
              {
                value: 'scheduled_end',
                label: t({ zh: '计至活动结束(标注)', en: 'Count to scheduled end' }),
              },
              { value: 'none', label: t({ zh: '不计时长', en: 'Count nothing' }) },
            ]}
          />
        </Form.Item>
        <Button htmlType="submit" type="primary">
          {t({ zh: '保存设置', en: 'Save' })}
        </Button>
      </Form>
      <Space wrap style={{ marginTop: 16 }}>
        <Typography.Text>{t({ zh: '常住人口：', en: 'Population:' })}</Typography.Text>
        <RegionPicker style={{ width: 200 }} onChange={setRegionId} />
        <InputNumber
          min={1}
          value={population}
          onChange={(v) => setPopulation(v)}
          placeholder={t({ zh: '人数', en: 'People' })}
          style={{ width: 140 }}
        />
        <Button
          disabled={!regionId || !population}
          onClick={() =>
            regionId &&
            population &&
            void savePopulation
              .mutateAsync({ body: { regionId, population } })
              .catch((err: unknown) => message.error(errorText(err, lang)))
          }
        >
          {t({ zh: '保存人口数', en: 'Save population' })}
        </Button>
      </Space>
    </Card>
  );
}
