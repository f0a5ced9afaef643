import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { TPointType, TPointTypeCreate } from '../../../core/contracts/inspections.js';
import { describeQuantity } from '../../../core/inspection/quantity.js';
import { randomCheckByDefault } from '../../../core/inspection/random-check.js';
import {
  CountRuleFields,
  fromFormItem,
  NEW_ITEM,
  toFormItem,
  type FormItem,
} from './PointTypeItemFields.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { useApiEach } from '../../shared/api-query-each.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { CITY_CAMPAIGNS } from '../framework/city-campaigns.js';

interface StandardOption {
  value: string;
  title: string;
  selectable?: boolean;
  children?: StandardOption[];
}

/**
 * The field and simulation standards of the frameworks in force (the first campaign's), as a tree
 * 体系 → 项目 → 内容 → 标准 whose leaves are standard codes; a code seen in an earlier framework
 * is not offered twice. Also a code → text map for labels.
 */
function useStandardTree(): { tree: StandardOption[]; texts: Map<string, string> } {
  // Without them the checklist still edits; the links just have no tree to pick from.
  const campaigns = useApi('GET /api/campaigns', CITY_CAMPAIGNS).data?.items ?? [];
  const treeQs = useApiEach(
    'GET /api/framework-versions/:id/tree',
    (campaigns[0]?.frameworks ?? [])
      .map((f) => f.currentVersionId ?? f.draftVersionId)
      .filter((v): v is number => v !== null)
      .map((id) => ({ params: { id } })),
  );
  const trees = treeQs.flatMap((q) => (q.data ? [q.data] : []));
  // Computed again when one of the answers changes.
  const treesKey = treeQs.map((q) => q.dataUpdatedAt).join(',');
  return useMemo(() => {
    const texts = new Map<string, string>();
    const tree = trees.map((tr) => ({
      value: `f:${tr.framework.id}`,
      title: tr.framework.name,
      selectable: false,
      children: tr.items
        .map((i) => ({
          value: `i:${tr.framework.id}:${i.key}`,
          title: `${i.code} ${i.text}`,
          selectable: false,
          children: i.children
            .map((c) => ({
              value: `c:${tr.framework.id}:${c.key}`,
              title: `${c.code} ${c.text}`,
              selectable: false,
              children: c.children
                .filter((s) => s.method === 'field' || s.method === 'simulation')
                .filter((s) => !texts.has(s.code))
                .map((s) => {
                  texts.set(s.code, s.text);
                  return { value: s.code, title: `${s.code} ${s.text}` };
                }),
            }))
            .filter((c) => c.children.length > 0),
        }))
        .filter((i) => i.children.length > 0),
    }));
    return { tree, texts };
  }, [treesKey]);
}

type FormValues = Omit<TPointTypeCreate, 'checklist'> & { checklist: FormItem[] };

function PointTypeDrawer(props: {
  type: TPointType | 'new' | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { tree } = useStandardTree();
  // Both read the point types again (every read under /api/point-types).
  const create = useApiMutation('POST /api/point-types');
  const update = useApiMutation('PATCH /api/point-types/:id');
  const existing = props.type !== 'new' ? props.type : null;
  const visited = (existing?.visits ?? 0) > 0;
  // Phones may hold the list offline: no item added, none made stricter (checklist-edit.ts).
  const held =
    (existing?.awaiting ?? 0) > 0 || Boolean(existing?.randomCheck && existing.activeRounds > 0);
  const canAppend = !held;
  useEffect(() => {
    setError(null);
    if (props.type === 'new') {
      form.setFieldsValue({
        code: '',
        name: '',
        sampling: 'random',
        defaultDrawCount: 3,
        route: null,
        randomCheck: false,
        checklist: [NEW_ITEM],
      });
    } else if (props.type) {
      form.setFieldsValue({ ...props.type, checklist: props.type.checklist.map(toFormItem) });
    }
  }, [props.type, form]);

  const save = async () => {
    const v = await form.validateFields();
    const checklist = v.checklist.map(fromFormItem);
    setBusy(true);
    setError(null);
    try {
      if (existing) {
        await update.mutateAsync({
          params: { id: existing.id },
          body: {
            name: v.name,
            sampling: v.sampling,
            defaultDrawCount: v.defaultDrawCount,
            route: v.route?.trim() || null,
            randomCheck: v.randomCheck ?? false,
            checklist,
            version: existing.version,
          },
        });
      } else {
        await create.mutateAsync({ body: { ...v, route: v.route?.trim() || null, checklist } });
      }
      message.success(t(L.common.saved));
      props.onSaved();
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={props.type !== null}
      onClose={props.onClose}
      width={760}
      title={
        existing
          ? t({ zh: `编辑点位类型：${existing.name}`, en: `Edit point type: ${existing.name}` })
          : t({ zh: '新建点位类型', en: 'New point type' })
      }
      extra={
        <Button type="primary" loading={busy} onClick={() => void save()} data-testid="pt-save">
          {t(L.common.save)}
        </Button>
      }
      data-testid="pt-drawer"
      destroyOnHidden
    >
      {visited && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t({
            zh: `该类型已有 ${existing?.visits} 条检查记录：检查项可改文字、口径、计数规则和标准链接，不能删除${canAppend ? '；可在末尾追加' : ''}。`,
            en: `This type has ${existing?.visits} visit(s): items can be reworded and re-linked but not removed${canAppend ? '; new ones can be appended' : ''}.`,
          })}
        />
      )}
      {held && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="pt-held"
          title={t({
            zh:
              (existing?.awaiting ?? 0) > 0
                ? `尚有 ${existing?.awaiting} 个抽中点位未检查，测评员手机上可能离线保存着本清单：暂不能增删检查项，也不能新设计数规则或“不合格即严重”。`
                : '本类型允许随机查看，且有进行中的测评轮次，测评员手机上离线保存着本清单：暂不能增删检查项，也不能新设计数规则或“不合格即严重”。',
            en: 'Phones may hold this checklist offline (drawn points await visits, or places of this type may be added in a round under way): items cannot be added or removed, nor given a new count rule or made always severe, now.',
          })}
        />
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={error}
          data-testid="pt-error"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onValuesChange={(changed: Partial<FormValues>) => {
          // A new type of a seed-001 kind (街巷, 公厕, 小餐馆…) allows 随机查看 unless switched off.
          if (!existing && changed.name !== undefined && !form.isFieldTouched('randomCheck')) {
            form.setFieldValue('randomCheck', randomCheckByDefault(changed.name));
          }
        }}
      >
        <Space wrap align="start">
          <Form.Item
            name="code"
            label={t(L.common.code)}
            rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{0,9}$/ }]}
          >
            <Input disabled={!!existing} style={{ width: 100 }} data-testid="pt-code" />
          </Form.Item>
          <Form.Item
            name="name"
            label={t(L.common.name)}
            rules={[{ required: true, min: 2, max: 40 }]}
          >
            <Input style={{ width: 180 }} data-testid="pt-name" />
          </Form.Item>
          <Form.Item name="sampling" label={t({ zh: '抽取方式', en: 'Sampling' })}>
            <Select
              style={{ width: 120 }}
              options={[
                { value: 'mandatory', label: t(L.points.mandatory) },
                { value: 'random', label: t(L.points.random) },
              ]}
            />
          </Form.Item>
          <Form.Item name="defaultDrawCount" label={t({ zh: '默认抽取数', en: 'Default draw' })}>
            <InputNumber min={0} max={10000} style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="route" label={t({ zh: '观察路线', en: 'Route' })}>
            <Input style={{ width: 200 }} maxLength={200} />
          </Form.Item>
          <Form.Item
            name="randomCheck"
            label={t({ zh: '允许随机查看', en: 'Added on the spot (随机查看)' })}
            tooltip={t({
              zh: '测评员可在测评中现场增加此类点位（如街巷、公厕、小餐馆、娱乐场所、网吧、营业厅），按本检查表检查并计分',
              en: 'Inspectors may add a place of this type during a round and check it with this checklist',
            })}
            valuePropName="checked"
          >
            <Switch data-testid="pt-random-check" />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t(L.points.checkItem)}</Typography.Title>
        <Form.List name="checklist">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => {
                const locked = visited && i < (existing?.checklist.length ?? 0);
                return (
                  <Card
                    key={f.key}
                    size="small"
                    style={{ marginBottom: 8 }}
                    data-testid={`pt-item-${i}`}
                    title={`${i + 1}.`}
                    extra={
                      <Tooltip
                        title={
                          locked
                            ? t({ zh: '已有检查记录，不能删除', en: 'Has visits: cannot remove' })
                            : undefined
                        }
                      >
                        <Button
                          size="small"
                          type="text"
                          danger
                          icon={<DeleteOutlined />}
                          disabled={locked || fields.length <= 1}
                          onClick={() => remove(f.name)}
                        />
                      </Tooltip>
                    }
                  >
                    <Form.Item
                      name={[f.name, 'text']}
                      label={t({ zh: '检查内容', en: 'Text' })}
                      rules={[{ required: true, min: 2, max: 200 }]}
                      style={{ marginBottom: 8 }}
                    >
                      <Input data-testid={`pt-item-${i}-text`} />
                    </Form.Item>
                    <Space wrap align="start" style={{ width: '100%' }}>
                      <Form.Item
                        name={[f.name, 'guidance']}
                        label={t({ zh: '判定口径', en: 'Guidance' })}
                        style={{ marginBottom: 8 }}
                      >
                        <Input style={{ width: 260 }} maxLength={500} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'severity']}
                        label={t({ zh: '严重程度', en: 'Severity' })}
                        style={{ marginBottom: 8 }}
                      >
                        <Select
                          style={{ width: 170 }}
                          data-testid={`pt-item-${i}-severity`}
                          options={[
                            { value: 'normal', label: t({ zh: '一般', en: 'Normal' }) },
                            {
                              value: 'capable',
                              label: t({ zh: '可判严重不合格', en: 'May be judged severe' }),
                            },
                            {
                              value: 'always',
                              label: t({ zh: '不合格即严重', en: 'Every failure severe' }),
                            },
                          ]}
                        />
                      </Form.Item>
                    </Space>
                    <CountRuleFields name={f.name} index={i} />
                    <Form.Item
                      name={[f.name, 'standards']}
                      label={t({ zh: '对应测评标准', en: 'Evidences standards' })}
                      style={{ marginBottom: 0 }}
                    >
                      <TreeSelect
                        multiple
                        allowClear
                        treeData={tree}
                        showSearch={{ treeNodeFilterProp: 'title' }}
                        placeholder={t({
                          zh: '选择实地考察类测评标准',
                          en: 'Pick field standards',
                        })}
                        style={{ width: '100%' }}
                        data-testid={`pt-item-${i}-standards`}
                      />
                    </Form.Item>
                  </Card>
                );
              })}
              <Tooltip
                title={
                  canAppend
                    ? undefined
                    : t({
                        zh: '测评员手机上离线保存着本清单，暂不能追加检查项',
                        en: 'Phones hold this checklist offline: cannot append now',
                      })
                }
              >
                <Button
                  icon={<PlusOutlined />}
                  disabled={!canAppend}
                  onClick={() => add(NEW_ITEM)}
                  data-testid="pt-add-item"
                >
                  {t({ zh: '追加检查项', en: 'Add item' })}
                </Button>
              </Tooltip>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

/** 点位类型: checklists with their standard links, sampling and routes (the office). */
export function PointTypesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<TPointType | 'new' | null>(null);
  const { texts } = useStandardTree();
  const types = useApi('GET /api/point-types', {});
  const rows = types.data?.items ?? [];
  useEffect(() => {
    if (types.error) message.error(errorText(types.error, lang));
  }, [types.error, lang, message]);
  return (
    <Card
      title={t({ zh: '点位类型与检查清单', en: 'Point types and checklists' })}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setEditing('new')}
          data-testid="pt-new"
        >
          {t({ zh: '新建类型', en: 'New type' })}
        </Button>
      }
      data-testid="point-types-page"
    >
      <Table<TPointType>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 900 }}
        expandable={{
          expandedRowRender: (pt) => (
            <Space direction="vertical" size={4} style={{ width: '100%' }}>
              {pt.checklist.map((i, k) => (
                <div key={k} data-testid={`pt-${pt.code}-item-${k}`}>
                  <Typography.Text>
                    {k + 1}. {i.text}
                  </Typography.Text>
                  {i.serious && (
                    <Tag color="red" style={{ marginLeft: 6 }}>
                      {t(L.points.seriousItem)}
                    </Tag>
                  )}
                  {i.severeCapable && (
                    <Tag color="volcano">{t({ zh: '可判严重', en: 'May be severe' })}</Tag>
                  )}
                  {i.quantity && (
                    <Tag color="magenta" data-testid={`pt-${pt.code}-item-${k}-quantity`}>
                      {t(describeQuantity(i.quantity))}
                    </Tag>
                  )}
                  {i.countRule && <Tag color="purple">{i.countRule}</Tag>}
                  {i.standards.map((c) => (
                    <Tooltip key={c} title={texts.get(c)}>
                      <Tag color="blue">{c}</Tag>
                    </Tooltip>
                  ))}
                  {i.guidance && (
                    <Typography.Text type="secondary" style={{ marginLeft: 6, fontSize: 12 }}>
                      {i.guidance}
                    </Typography.Text>
                  )}
                </div>
              ))}
            </Space>
          ),
        }}
        columns={[
          { title: t(L.common.code), dataIndex: 'code', width: 80 },
          { title: t(L.common.name), dataIndex: 'name', width: 140 },
          {
            title: t({ zh: '抽取', en: 'Sampling' }),
            width: 110,
            render: (_, pt) => (
              <Space size={2} wrap>
                {pt.sampling === 'mandatory'
                  ? t(L.points.mandatory)
                  : t({
                      zh: `随机 ${pt.defaultDrawCount} 个`,
                      en: `Random ${pt.defaultDrawCount}`,
                    })}
                {pt.randomCheck && (
                  <Tag color="purple" data-testid={`pt-${pt.code}-random-check`}>
                    {t({ zh: '随机查看', en: 'Added on the spot' })}
                  </Tag>
                )}
              </Space>
            ),
          },
          { title: t({ zh: '观察路线', en: 'Route' }), dataIndex: 'route', width: 180 },
          {
            title: t({ zh: '检查项 / 链接标准', en: 'Items / standards' }),
            width: 150,
            render: (_, pt) =>
              `${pt.checklist.length} / ${new Set(pt.checklist.flatMap((i) => i.standards)).size}`,
          },
          {
            title: t({ zh: '使用情况', en: 'In use' }),
            width: 190,
            render: (_, pt) => (
              <Space size={2} wrap>
                <Tag>{t({ zh: `${pt.points} 个点位`, en: `${pt.points} points` })}</Tag>
                {pt.visits > 0 && (
                  <Tag color="orange">
                    {t({ zh: `${pt.visits} 条检查`, en: `${pt.visits} visits` })}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: '',
            width: 80,
            render: (_, pt) => (
              <Button
                size="small"
                icon={<EditOutlined />}
                onClick={() => setEditing(pt)}
                data-testid={`pt-edit-${pt.code}`}
              >
                {t(L.common.edit)}
              </Button>
            ),
          },
        ]}
      />
      <PointTypeDrawer
        type={editing}
        onClose={() => setEditing(null)}
        // A save reads the point types again (its mutation).
        onSaved={() => setEditing(null)}
      />
    </Card>
  );
}
