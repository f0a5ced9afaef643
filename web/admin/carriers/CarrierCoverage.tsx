import {
  App,
  Button,
  Checkbox,
  Form,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import {
  CARRIER_THEME_LABELS,
  CARRIER_THEMES,
  type TCarrierRule,
  type TCarrierTheme,
  type TCoverageCheck,
  type TPointCoverage,
} from '../../../core/contracts/ad-carriers.js';
import { administeredRegionOf } from '../../../core/org/grants.js';
import { Permission } from '../../../core/permissions.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { RegionPicker } from '../../shared/pickers.js';
import { isCityLevel, useAuth } from '../auth.js';

const RESULT_COLOURS = { met: 'green', unmet: 'red', skipped: 'default' } as const;

/**
 * 覆盖情况: each point whose type has a rule, its carriers counted against it (computed on the
 * server), the breaches first; per street how many points break a rule; the rules themselves
 * (set by the city office).
 */
export function CarrierCoverage() {
  const { t, lang } = useI18n();
  const { user, can } = useAuth();
  const within = user ? administeredRegionOf(user) : null;
  const [regionId, setRegionId] = useState<number | undefined>();
  const [unmetOnly, setUnmetOnly] = useState(false);
  const q = useApi('GET /api/ad-carriers/coverage', {
    query: { regionId, unmetOnly: unmetOnly ? 'true' : undefined },
  });
  const rules = useApi('GET /api/ad-carrier-rules', {});
  const canRule = can(Permission.InspectionManage) && isCityLevel(user);
  const [ruleOpen, setRuleOpen] = useState(false);
  const check = (c: TCoverageCheck) => (
    <div key={`${c.kind}-${c.theme ?? ''}`}>
      <Tag color={RESULT_COLOURS[c.result]}>
        {c.result === 'met'
          ? t(L.framework.met)
          : c.result === 'unmet'
            ? t(L.framework.notMet)
            : t(L.points.notVisited)}
      </Tag>
      {lang === 'zh' ? c.messageZh : c.messageEn}
    </div>
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <RegionPicker
          id="coverage-region"
          within={within}
          placeholder={t(L.org.regionArea)}
          style={{ width: 200 }}
          onChange={(v) => setRegionId(v ?? undefined)}
        />
        <Checkbox checked={unmetOnly} onChange={(e) => setUnmetOnly(e.target.checked)}>
          {t({ zh: '只看未达标点位', en: 'Only points breaking a rule' })}
        </Checkbox>
      </Space>
      {q.error && <Typography.Text type="danger">{errorText(q.error, lang)}</Typography.Text>}
      <Table
        size="small"
        rowKey={(s) => String(s.streetId)}
        pagination={false}
        loading={q.isLoading}
        dataSource={q.data?.streets ?? []}
        data-testid="coverage-streets"
        columns={[
          {
            title: t({ zh: '街道', en: 'Street' }),
            dataIndex: 'streetName',
            render: (v: string | null) => v ?? '—',
          },
          { title: t({ zh: '有规则的点位', en: 'Points with a rule' }), dataIndex: 'points' },
          {
            title: t(L.framework.notMet),
            dataIndex: 'unmet',
            render: (n: number) => (n ? <Typography.Text type="danger">{n}</Typography.Text> : 0),
          },
        ]}
      />
      <Table<TPointCoverage>
        size="small"
        rowKey="pointId"
        pagination={{ pageSize: 20 }}
        loading={q.isLoading}
        dataSource={q.data?.points ?? []}
        data-testid="coverage-points"
        onRow={(p) => ({ 'data-testid': `coverage-${p.pointId}` }) as never}
        columns={[
          { title: t(L.points.point), dataIndex: 'pointName', width: 160 },
          {
            title: t(L.points.pointType),
            dataIndex: 'pointTypeName',
            width: 110,
          },
          {
            title: t({ zh: '阵地（计数）', en: 'Carriers (counted)' }),
            key: 'n',
            width: 110,
            render: (_: unknown, p: TPointCoverage) => `${p.carriers}（${p.countedUnits}）`,
          },
          {
            title: t({ zh: '规则检查', en: 'Checks' }),
            key: 'checks',
            render: (_: unknown, p: TPointCoverage) => p.checks.map(check),
          },
        ]}
      />
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={5}>{t(L.carriers.carrierRules)}</Typography.Title>
        {canRule && (
          <Button onClick={() => setRuleOpen(true)} data-testid="rule-edit">
            {t({ zh: '设置点位类型规则', en: 'Set a point type’s rule' })}
          </Button>
        )}
      </Space>
      <Table<TCarrierRule>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={rules.data?.items ?? []}
        data-testid="carrier-rules"
        columns={[
          {
            title: t(L.points.pointType),
            dataIndex: 'pointTypeName',
            width: 120,
          },
          {
            title: t({ zh: '要求', en: 'Requirement' }),
            key: 'req',
            render: (_: unknown, r: TCarrierRule) => describeRule(r, t),
          },
          { title: t({ zh: '依据', en: 'Basis' }), dataIndex: 'basis' },
        ]}
      />
      <RuleModal open={ruleOpen} onClose={() => setRuleOpen(false)} />
    </Space>
  );
}

function describeRule(r: TCarrierRule, t: ReturnType<typeof useI18n>['t']): string {
  const parts: string[] = [];
  if (r.minCount) parts.push(t({ zh: `不少于 ${r.minCount} 处`, en: `≥ ${r.minCount}` }));
  for (const m of r.themeMins) {
    parts.push(`${t(CARRIER_THEME_LABELS[m.theme])} ≥ ${m.min}`);
  }
  if (r.perLengthCount && r.perLengthM) {
    parts.push(
      t({
        zh: `每 ${r.perLengthM} 米不少于 ${r.perLengthCount} 处`,
        en: `${r.perLengthCount} per ${r.perLengthM} m`,
      }),
    );
  }
  if (r.minWidthCm || r.minHeightCm) parts.push(`≥ ${r.minWidthCm ?? 0}×${r.minHeightCm ?? 0}cm`);
  if (r.fixedOnly) parts.push(t({ zh: '仅固定式', en: 'fixed only' }));
  if (r.minHoardingPct) {
    parts.push(t({ zh: `围挡占比 ≥ ${r.minHoardingPct}%`, en: `hoarding ≥ ${r.minHoardingPct}%` }));
  }
  return parts.join('；');
}

type RuleForm = {
  pointTypeId: number;
  minCount?: number | null;
  themeMin?: { theme?: TCarrierTheme; min?: number | null }[];
  minWidthCm?: number | null;
  minHeightCm?: number | null;
  fixedOnly?: boolean;
  perLengthCount?: number | null;
  perLengthM?: number | null;
  minHoardingPct?: number | null;
};

/** Sets a point type's rule (the city office). */
function RuleModal(props: { open: boolean; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleForm>();
  const types = useApi('GET /api/point-types', props.open ? {} : null);
  const put = useApiMutation('PUT /api/ad-carrier-rules');
  const save = async () => {
    const v = await form.validateFields();
    try {
      await put.mutateAsync({
        body: {
          pointTypeId: v.pointTypeId,
          minCount: v.minCount ?? null,
          themeMins: (v.themeMin ?? [])
            .filter((x) => x.theme && x.min)
            .map((x) => ({ theme: x.theme!, min: x.min! })),
          minWidthCm: v.minWidthCm ?? null,
          minHeightCm: v.minHeightCm ?? null,
          fixedOnly: v.fixedOnly ?? false,
          perLengthCount: v.perLengthCount ?? null,
          perLengthM: v.perLengthM ?? null,
          minHoardingPct: v.minHoardingPct ?? null,
        },
      });
      message.success(t(L.common.saved));
      props.onClose();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
  const num = (name: keyof RuleForm, label: { zh: string; en: string }, max = 100000) => (
    <Form.Item name={name} label={t(label)} style={{ flex: 1 }}>
      <InputNumber min={1} max={max} style={{ width: '100%' }} />
    </Form.Item>
  );
  return (
    <Modal
      open={props.open}
      title={t({ zh: '设置点位类型规则', en: 'Set a point type’s rule' })}
      onOk={() => void save()}
      confirmLoading={put.isPending}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form<RuleForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ themeMin: [{}, {}] }}
      >
        <Form.Item name="pointTypeId" label={t(L.points.pointType)} rules={[{ required: true }]}>
          <Select
            options={(types.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
        <Space.Compact style={{ width: '100%' }}>
          {num('minCount', { zh: '每个点位不少于（处）', en: 'At least per point' })}
          {num('minWidthCm', { zh: '最小宽（厘米）', en: 'Min width (cm)' })}
          {num('minHeightCm', { zh: '最小高（厘米）', en: 'Min height (cm)' })}
        </Space.Compact>
        <Form.List name="themeMin">
          {(fields) =>
            fields.map((f) => (
              <Space.Compact key={f.key} style={{ width: '100%' }}>
                <Form.Item
                  name={[f.name, 'theme']}
                  label={t(L.carriers.carrierTheme)}
                  style={{ flex: 2 }}
                >
                  <Select
                    allowClear
                    options={CARRIER_THEMES.map((k) => ({
                      value: k,
                      label: t(CARRIER_THEME_LABELS[k]),
                    }))}
                  />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'min']}
                  label={t({ zh: '不少于（处）', en: 'At least' })}
                  style={{ flex: 1 }}
                >
                  <InputNumber min={1} max={100} style={{ width: '100%' }} />
                </Form.Item>
              </Space.Compact>
            ))
          }
        </Form.List>
        <Space.Compact style={{ width: '100%' }}>
          {num('perLengthCount', { zh: '按长度：处数', en: 'Per length: count' })}
          {num('perLengthM', { zh: '按长度：米', en: 'Per length: metres' })}
          {num('minHoardingPct', { zh: '围挡占比（%）', en: 'Hoarding share (%)' }, 100)}
        </Space.Compact>
        <Form.Item name="fixedOnly" valuePropName="checked">
          <Checkbox>{t({ zh: '仅固定式计数', en: 'Only fixed forms count' })}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
