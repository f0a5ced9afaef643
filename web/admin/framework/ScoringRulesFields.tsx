import {
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Typography,
  type FormInstance,
} from 'antd';
import {
  METHOD_BUCKET_LABELS,
  METHOD_BUCKETS,
  type TMethodBucket,
} from '../../../core/frameworks/methods.js';
import {
  CYCLE_PRESET_LABELS,
  CYCLE_PRESETS,
  DEFAULT_SURVEY_BANDS,
  presetWeights,
  SURVEY_CURVE_KINDS,
  SURVEY_CURVE_LABELS,
  SURVEY_FLOOR_EFFECT_LABELS,
  SURVEY_FLOOR_EFFECTS,
  type TCyclePreset,
  type TSurveyBand,
  type TSurveyCurve,
  type TSurveyFloor,
  type TSurveyFloorEffect,
} from '../../../core/scoring/rules.js';
import { L, useI18n } from '../../shared/i18n.js';

/** The form values of the assessment rules (core/scoring/rules.ts), shared by campaign and framework. */
export interface RulesFormValues {
  cyclePreset: TCyclePreset;
  cycleWeights: number[];
  material: number;
  field: number;
  survey: number;
  floorEnabled: boolean;
  floorRate: number;
  floorEffect: TSurveyFloorEffect;
  floorPoints: number;
  curveKind: TSurveyCurve['kind'];
  bands: TSurveyBand[];
  linearFloor: number;
  linearTarget: number;
}

export const RULE_DEFAULTS: Omit<RulesFormValues, 'cycleWeights'> = {
  cyclePreset: 'prefecture',
  material: 40,
  field: 40,
  survey: 20,
  floorEnabled: true,
  floorRate: 80,
  floorEffect: 'veto',
  floorPoints: 0,
  curveKind: 'bands',
  bands: DEFAULT_SURVEY_BANDS,
  linearFloor: 60,
  linearTarget: 90,
};

/** A curve's form values (the bands and the linear lines keep their defaults when unused). */
export function curveToForm(
  c: TSurveyCurve,
): Pick<RulesFormValues, 'curveKind' | 'bands' | 'linearFloor' | 'linearTarget'> {
  return {
    curveKind: c.kind,
    bands: c.kind === 'bands' ? c.bands : DEFAULT_SURVEY_BANDS,
    linearFloor: c.kind === 'linear' ? c.floor : RULE_DEFAULTS.linearFloor,
    linearTarget: c.kind === 'linear' ? c.target : RULE_DEFAULTS.linearTarget,
  };
}

export function rulesToForm(r: {
  cyclePreset: TCyclePreset;
  cycleWeights: number[];
  methodWeights: Record<TMethodBucket, number>;
  surveyFloor: TSurveyFloor;
  surveyCurve: TSurveyCurve;
}): RulesFormValues {
  const c = r.surveyCurve;
  return {
    cyclePreset: r.cyclePreset,
    cycleWeights: r.cycleWeights,
    ...r.methodWeights,
    floorEnabled: r.surveyFloor.enabled,
    floorRate: r.surveyFloor.minRate,
    floorEffect: r.surveyFloor.effect,
    floorPoints: r.surveyFloor.points,
    ...curveToForm(c),
  };
}

export function formToFloor(v: RulesFormValues): TSurveyFloor {
  return {
    enabled: v.floorEnabled,
    minRate: Number(v.floorRate),
    effect: v.floorEffect,
    points: Number(v.floorPoints ?? 0),
  };
}

export function formToCurve(
  v: Pick<RulesFormValues, 'curveKind' | 'bands' | 'linearFloor' | 'linearTarget'>,
): TSurveyCurve {
  if (v.curveKind === 'linear')
    return { kind: 'linear', floor: Number(v.linearFloor), target: Number(v.linearTarget) };
  if (v.curveKind === 'rate') return { kind: 'rate' };
  return {
    kind: 'bands',
    bands: (v.bands ?? []).map((b, i, all) => ({
      grade: String(b.grade ?? '').trim(),
      // The last band is the catch-all.
      above: i === all.length - 1 ? null : Number(b.above ?? 0),
      share: Number(b.share ?? 0),
    })),
  };
}

/** Year weights: a city-class preset fills them; they stay editable. */
export function CycleFields(props: { form: FormInstance; years: number; start: number }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item
        name="cyclePreset"
        label={t({ zh: '城市类别（年度权重预设）', en: 'City class (year-weight preset)' })}
        style={{ maxWidth: 320 }}
      >
        <Select
          id="rules-cycle-preset"
          options={CYCLE_PRESETS.map((p) => ({ value: p, label: t(CYCLE_PRESET_LABELS[p]) }))}
          onChange={(p: TCyclePreset) => {
            const w = presetWeights(p, props.years);
            if (w) props.form.setFieldValue('cycleWeights', w);
          }}
        />
      </Form.Item>
      <Typography.Text strong style={{ display: 'block' }}>
        {t({ zh: '年度权重（%）', en: 'Year weights (%)' })}
      </Typography.Text>
      <Space wrap style={{ display: 'flex', marginTop: 8 }}>
        {Array.from({ length: Math.min(Math.max(props.years, 1), 5) }, (_, i) => (
          <Form.Item
            key={i}
            name={['cycleWeights', i]}
            label={`${props.start + i}`}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} max={100} id={`campaign-year-${i}`} />
          </Form.Item>
        ))}
      </Space>
    </>
  );
}

export function MethodFields() {
  const { t } = useI18n();
  return (
    <>
      <Typography.Text strong style={{ display: 'block' }}>
        {t({ zh: '年度得分构成（%）', en: 'Parts of the annual score (%)' })}
      </Typography.Text>
      <Space wrap style={{ display: 'flex', marginTop: 8 }}>
        {METHOD_BUCKETS.map((b) => (
          <Form.Item
            key={b}
            name={b}
            label={t(METHOD_BUCKET_LABELS[b])}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} max={100} id={`campaign-${b}`} />
          </Form.Item>
        ))}
      </Space>
    </>
  );
}

export function FloorFields(props: { form: FormInstance }) {
  const { t } = useI18n();
  const effect = Form.useWatch('floorEffect', props.form) as TSurveyFloorEffect | undefined;
  return (
    <>
      <Typography.Text strong style={{ display: 'block' }}>
        {t(L.surveys.surveyFloor)}
      </Typography.Text>
      <Space wrap style={{ display: 'flex', marginTop: 8 }}>
        <Form.Item name="floorEnabled" label={t(L.common.active)} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="floorRate" label={t({ zh: '最低比率（%）', en: 'Minimum rate (%)' })}>
          <InputNumber min={0} max={100} />
        </Form.Item>
        <Form.Item
          name="floorEffect"
          label={t({ zh: '未达底线时', en: 'Below the floor' })}
          style={{ minWidth: 160 }}
        >
          <Select
            id="rules-floor-effect"
            options={SURVEY_FLOOR_EFFECTS.map((e) => ({
              value: e,
              label: t(SURVEY_FLOOR_EFFECT_LABELS[e]),
            }))}
          />
        </Form.Item>
        {effect === 'deduct' && (
          <Form.Item
            name="floorPoints"
            label={t({ zh: '每项扣分', en: 'Points per rate' })}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} max={100} id="rules-floor-points" />
          </Form.Item>
        )}
      </Space>
    </>
  );
}

export function CurveFields(props: { form: FormInstance }) {
  const { t } = useI18n();
  const kind = Form.useWatch('curveKind', props.form) as TSurveyCurve['kind'] | undefined;
  return (
    <>
      <Typography.Text strong style={{ display: 'block' }}>
        {t({ zh: '问卷类标准计分方式', en: 'How survey standards score' })}
      </Typography.Text>
      <Form.Item name="curveKind" style={{ maxWidth: 280, marginTop: 8 }}>
        <Select
          id="rules-curve-kind"
          options={SURVEY_CURVE_KINDS.map((k) => ({ value: k, label: t(SURVEY_CURVE_LABELS[k]) }))}
        />
      </Form.Item>
      {kind === 'bands' && (
        <Form.List name="bands">
          {(fields) => (
            <Space orientation="vertical" size={0} data-testid="rules-bands">
              {fields.map((f, i) => (
                <Space key={f.key} wrap>
                  <Form.Item
                    name={[f.name, 'grade']}
                    label={i === 0 ? t({ zh: '档次', en: 'Band' }) : undefined}
                  >
                    <Input style={{ width: 70 }} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'above']}
                    label={i === 0 ? t({ zh: '比率高于（%）', en: 'Rate above (%)' }) : undefined}
                  >
                    <InputNumber
                      min={0}
                      max={100}
                      disabled={i === fields.length - 1}
                      placeholder={t({ zh: '其余', en: 'rest' })}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'share']}
                    label={
                      i === 0 ? t({ zh: '得分（% 分值）', en: 'Earns (% of max)' }) : undefined
                    }
                  >
                    <InputNumber min={0} max={100} />
                  </Form.Item>
                </Space>
              ))}
            </Space>
          )}
        </Form.List>
      )}
      {kind === 'linear' && (
        <Space wrap>
          <Form.Item name="linearFloor" label={t({ zh: '零分线（%）', en: 'Zero at (%)' })}>
            <InputNumber min={0} max={100} />
          </Form.Item>
          <Form.Item name="linearTarget" label={t({ zh: '满分线（%）', en: 'Full at (%)' })}>
            <InputNumber min={0} max={100} />
          </Form.Item>
        </Space>
      )}
    </>
  );
}
