import { DeleteOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Form, InputNumber, Select, Space, Typography, type FormInstance } from 'antd';
import type { TPointType } from '../../../core/contracts/inspections.js';
import { L, useI18n } from '../../shared/i18n.js';

/** One row of a hand-entered draw plan, as the form holds it. */
export interface TPlanRow {
  type?: string;
  mode?: 'all' | 'random';
  count?: number | null;
}

export const MAX_PLAN_COUNT = 10_000;

/** The row a point type starts with: mandatory types in full, random ones their usual count. */
export function defaultRow(pt: TPointType): TPlanRow {
  return pt.sampling === 'mandatory'
    ? { type: pt.code, mode: 'all', count: null }
    : { type: pt.code, mode: 'random', count: Math.max(1, pt.defaultDrawCount) };
}

/**
 * The plan of the point type list's defaults: every type that has points, mandatory types in full
 * and random types with their default count (types whose default is 0 are left out).
 */
export function defaultPlan(types: readonly TPointType[]): TPlanRow[] {
  return types
    .filter((pt) => pt.points > 0 && (pt.sampling === 'mandatory' || pt.defaultDrawCount > 0))
    .map(defaultRow);
}

/** 手工抽样方案: point types with, for each, all points or a count drawn at random. */
export function MockPlanEditor({
  form,
  types,
}: {
  form: FormInstance;
  types: readonly TPointType[];
}) {
  const { t } = useI18n();
  const byCode = new Map(types.map((pt) => [pt.code, pt]));
  const rowsNow = (): TPlanRow[] => (form.getFieldValue('plan') as TPlanRow[] | undefined) ?? [];
  const typeLabel = (code: string) => {
    const pt = byCode.get(code);
    return pt ? `${pt.name}（${pt.code}）` : code;
  };
  // Rows are checked against each other (duplicates, none with points): re-check them all.
  const revalidate = () => {
    const names = rowsNow().map((_, i) => ['plan', i, 'type'] as (string | number)[]);
    void form.validateFields([['plan'], ...names]).catch(() => undefined);
  };

  return (
    <div style={{ width: '100%', marginBottom: 12 }} data-testid="mock-plan-editor">
      <Form.List
        name="plan"
        rules={[
          {
            validator: async (_, rows: TPlanRow[] | undefined) => {
              if (!rows?.length) {
                throw new Error(
                  t({ zh: '请至少添加一种点位类型', en: 'Add at least one point type' }),
                );
              }
              const known = rows.filter((r) => r.type && byCode.has(r.type));
              if (
                known.length === rows.length &&
                known.every((r) => byCode.get(r.type!)!.points === 0)
              ) {
                throw new Error(
                  t({
                    zh: '方案中的点位类型都没有点位，无法推演',
                    en: 'None of these point types has any points: nothing to draw',
                  }),
                );
              }
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field) => (
              <Space
                key={field.key}
                align="start"
                wrap
                style={{ display: 'flex', marginBottom: 4 }}
                data-testid="mock-plan-row"
              >
                <Form.Item
                  name={[field.name, 'type']}
                  style={{ marginBottom: 8 }}
                  rules={[
                    {
                      required: true,
                      message: t({ zh: '请选择点位类型', en: 'Choose a point type' }),
                    },
                    {
                      validator: async (_, code: string | undefined) => {
                        if (!code) return;
                        const same = rowsNow().filter((r) => r.type === code).length;
                        if (same > 1) {
                          throw new Error(
                            t({
                              zh: `点位类型重复：${typeLabel(code)}`,
                              en: `Point type listed twice: ${typeLabel(code)}`,
                            }),
                          );
                        }
                      },
                    },
                    {
                      warningOnly: true,
                      validator: async (_, code: string | undefined) => {
                        if (code && byCode.get(code)?.points === 0) {
                          throw new Error(
                            t({
                              zh: '该类型暂无点位，不参与抽取',
                              en: 'No points of this type: none drawn',
                            }),
                          );
                        }
                      },
                    },
                  ]}
                >
                  <Select
                    style={{ width: 240 }}
                    showSearch
                    optionFilterProp="label"
                    placeholder={t(L.points.pointType)}
                    data-testid="mock-plan-type"
                    options={types.map((pt) => ({
                      value: pt.code,
                      label: t({
                        zh: `${pt.name}（${pt.code}）· ${pt.points} 个点位`,
                        en: `${pt.name} (${pt.code}) · ${pt.points} points`,
                      }),
                    }))}
                    onChange={(code: string) => {
                      // A new type starts from its defaults.
                      const pt = byCode.get(code);
                      if (!pt) return;
                      const d = defaultRow(pt);
                      form.setFieldValue(['plan', field.name, 'mode'], d.mode);
                      form.setFieldValue(['plan', field.name, 'count'], d.count);
                      revalidate();
                    }}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'mode']} style={{ marginBottom: 8 }}>
                  <Select
                    style={{ width: 120 }}
                    data-testid="mock-plan-mode"
                    options={[
                      { value: 'all', label: t({ zh: '全部抽取', en: 'All points' }) },
                      { value: 'random', label: t(L.points.random) },
                    ]}
                  />
                </Form.Item>
                <Form.Item noStyle dependencies={[['plan', field.name, 'mode']]}>
                  {() =>
                    form.getFieldValue(['plan', field.name, 'mode']) === 'random' ? (
                      <Form.Item
                        name={[field.name, 'count']}
                        style={{ marginBottom: 8 }}
                        dependencies={[['plan', field.name, 'type']]}
                        rules={[
                          {
                            required: true,
                            message: t({ zh: '请填写抽取数量', en: 'Enter how many to draw' }),
                          },
                          {
                            validator: async (_, n: number | null | undefined) => {
                              if (n === null || n === undefined) return;
                              if (!Number.isInteger(n) || n < 1 || n > MAX_PLAN_COUNT) {
                                throw new Error(
                                  t({
                                    zh: `抽取数量应为 1–${MAX_PLAN_COUNT} 的整数`,
                                    en: `Draw a whole number from 1 to ${MAX_PLAN_COUNT}`,
                                  }),
                                );
                              }
                            },
                          },
                          {
                            warningOnly: true,
                            validator: async (_, n: number | null | undefined) => {
                              const code = form.getFieldValue(['plan', field.name, 'type']) as
                                | string
                                | undefined;
                              const pt = code ? byCode.get(code) : undefined;
                              if (pt && pt.points > 0 && typeof n === 'number' && n > pt.points) {
                                throw new Error(
                                  t({
                                    zh: `该类型只有 ${pt.points} 个点位，将全部抽取`,
                                    en: `Only ${pt.points} points of this type: all are drawn`,
                                  }),
                                );
                              }
                            },
                          },
                        ]}
                      >
                        <InputNumber
                          style={{ width: 140 }}
                          suffix={t({ zh: '个', en: 'pts' })}
                          placeholder={t({ zh: '抽取数量', en: 'Count' })}
                          data-testid="mock-plan-count"
                        />
                      </Form.Item>
                    ) : (
                      <Typography.Text
                        type="secondary"
                        style={{ display: 'inline-block', width: 140, lineHeight: '32px' }}
                      >
                        {t({ zh: '每次全部纳入', en: 'all included every time' })}
                      </Typography.Text>
                    )
                  }
                </Form.Item>
                <Button
                  type="text"
                  icon={<DeleteOutlined />}
                  aria-label={t(L.common.delete)}
                  data-testid="mock-plan-remove"
                  onClick={() => {
                    remove(field.name);
                    revalidate();
                  }}
                />
              </Space>
            ))}
            <Space wrap>
              <Button
                icon={<PlusOutlined />}
                data-testid="mock-plan-add"
                onClick={() => {
                  const used = new Set(rowsNow().map((r) => r.type));
                  const next = types.find((pt) => !used.has(pt.code) && pt.points > 0);
                  add(next ? defaultRow(next) : { mode: 'random', count: 1 });
                }}
              >
                {t({ zh: '添加点位类型', en: 'Add a point type' })}
              </Button>
              <Button
                icon={<ReloadOutlined />}
                data-testid="mock-plan-defaults"
                onClick={() => {
                  form.setFieldValue('plan', defaultPlan(types));
                  revalidate();
                }}
              >
                {t({ zh: '恢复点位类型默认值', en: 'Point type defaults' })}
              </Button>
            </Space>
            <Form.ErrorList errors={errors} />
          </>
        )}
      </Form.List>
    </div>
  );
}
