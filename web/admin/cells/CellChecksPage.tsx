import {
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import {
  CHECK_FREQUENCIES,
  CHECK_FREQUENCY_LABELS,
  SEVERE_ACTION_LABELS,
  SEVERE_ACTIONS,
  type TCheckList,
  type TNegativeList,
} from '../../../core/contracts/cell-checks.js';
import {
  CELL_TYPE_LABELS,
  CELL_TYPES,
  HONOUR_LEVEL_LABELS,
  HONOUR_STATUS_LABELS,
  type TCellType,
  type THonour,
} from '../../../core/contracts/honours.js';
import { Permission } from '../../../core/permissions.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { HolderRecord, STATUS_COLORS } from './HolderRecord.js';

/** Lines "编号|内容|分值[|严重]" as a list's standards or items. */
export function parseLines(text: string) {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [code = '', body = '', points = '', severe = ''] = l
        .split(/[|｜]/)
        .map((x) => x.trim());
      return {
        code,
        text: body,
        points: Number(points) || 1,
        severe: /严重|severe|是|y/i.test(severe),
      };
    });
}
const toLines = (items: { code: string; text: string; points: number; severe?: boolean }[]) =>
  items.map((i) => `${i.code}|${i.text}|${i.points}${i.severe ? '|严重' : ''}`).join('\n');

type ListForm = {
  name: string;
  cellType: TCellType;
  frequency: TCheckList['frequency'];
  lines: string;
  severeAction: TNegativeList['severeAction'];
  severeWindowMonths: number;
  severeThreshold: number;
  rectifyMonths: number;
};

/** The editor of a check list or a negative list: items as lines (simple, pasteable from Excel). */
function ListModal({
  kind,
  editing,
  onClose,
}: {
  kind: 'check' | 'negative';
  editing: TCheckList | TNegativeList | null;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ListForm>();
  const createCheck = useApiMutation('POST /api/cell-check-lists');
  const patchCheck = useApiMutation('PATCH /api/cell-check-lists/:id');
  const createNeg = useApiMutation('POST /api/cell-negative-lists');
  const patchNeg = useApiMutation('PATCH /api/cell-negative-lists/:id');
  const neg = kind === 'negative';
  const initial: Partial<ListForm> = editing
    ? {
        name: editing.name,
        cellType: editing.cellType,
        lines: toLines('items' in editing ? editing.items : editing.standards),
        ...('frequency' in editing ? { frequency: editing.frequency } : {}),
        ...('severeAction' in editing
          ? {
              severeAction: editing.severeAction,
              severeWindowMonths: editing.severeWindowMonths,
              severeThreshold: editing.severeThreshold,
              rectifyMonths: editing.rectifyMonths,
            }
          : {}),
      }
    : {
        cellType: 'unit',
        frequency: 'quarterly',
        severeAction: 'rectify',
        severeWindowMonths: 24,
        severeThreshold: 1,
        rectifyMonths: 12,
      };

  async function submit() {
    const v = await form.validateFields();
    const lines = parseLines(v.lines);
    try {
      if (neg) {
        const body = {
          name: v.name,
          items: lines,
          severeAction: v.severeAction,
          severeWindowMonths: v.severeWindowMonths,
          severeThreshold: v.severeThreshold,
          rectifyMonths: v.rectifyMonths,
        };
        if (editing)
          await patchNeg.mutateAsync({
            params: { id: editing.id },
            body: { ...body, version: editing.version },
          });
        else await createNeg.mutateAsync({ body: { ...body, cellType: v.cellType } });
      } else {
        const body = {
          name: v.name,
          frequency: v.frequency,
          standards: lines.map(({ code, text, points }) => ({ code, text, points })),
        };
        if (editing)
          await patchCheck.mutateAsync({
            params: { id: editing.id },
            body: { ...body, version: editing.version },
          });
        else await createCheck.mutateAsync({ body: { ...body, cellType: v.cellType } });
      }
      onClose();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  return (
    <Modal
      open
      destroyOnHidden
      width={680}
      title={neg ? t(L.framework.negativeItem) : t({ zh: '检查标准', en: 'Check list' })}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ id: 'list-submit' }}
    >
      <Form form={form} layout="vertical" initialValues={initial}>
        <Space wrap>
          <Form.Item name="cellType" label={t(L.common.type)}>
            <Select
              disabled={editing !== null}
              style={{ width: 160 }}
              options={CELL_TYPES.map((c) => ({ value: c, label: t(CELL_TYPE_LABELS[c]) }))}
            />
          </Form.Item>
          <Form.Item name="name" label={t(L.common.name)} rules={[{ required: true }]}>
            <Input id="list-name" style={{ width: 240 }} />
          </Form.Item>
          {!neg && (
            <Form.Item name="frequency" label={t({ zh: '频次', en: 'Frequency' })}>
              <Select
                style={{ width: 120 }}
                options={CHECK_FREQUENCIES.map((f) => ({
                  value: f,
                  label: t(CHECK_FREQUENCY_LABELS[f]),
                }))}
              />
            </Form.Item>
          )}
        </Space>
        <Form.Item
          name="lines"
          label={
            neg
              ? t({
                  zh: '每行一项：编号|内容|扣分|严重（可选）',
                  en: 'One per line: code|text|points|严重 (optional)',
                })
              : t({ zh: '每行一条：编号|标准|分值', en: 'One per line: code|standard|points' })
          }
          rules={[{ required: true }]}
        >
          <Input.TextArea id="list-lines" rows={10} />
        </Form.Item>
        {neg && (
          <Space wrap>
            <Form.Item name="severeAction" label={t({ zh: '严重情形的处理', en: 'Severe rule' })}>
              <Select
                style={{ width: 180 }}
                options={SEVERE_ACTIONS.map((a) => ({
                  value: a,
                  label: t(SEVERE_ACTION_LABELS[a]),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="severeWindowMonths"
              label={t({ zh: '期间（月）', en: 'Window (months)' })}
            >
              <InputNumber min={1} max={120} />
            </Form.Item>
            <Form.Item name="severeThreshold" label={t({ zh: '次数', en: 'Times' })}>
              <InputNumber min={1} max={20} />
            </Form.Item>
            <Form.Item
              name="rectifyMonths"
              label={t({ zh: '整改期（月）', en: 'Rectify (months)' })}
            >
              <InputNumber min={1} max={60} />
            </Form.Item>
          </Space>
        )}
      </Form>
    </Modal>
  );
}

/** The city's check lists and negative lists (a district office reads them). */
function ListsPanel({ cellType }: { cellType: TCellType }) {
  const { t } = useI18n();
  const { can, cityLevel } = useAuth();
  const writable = can(Permission.UnitWrite) && cityLevel;
  const checks = useApi('GET /api/cell-check-lists', { query: { cellType } });
  const negs = useApi('GET /api/cell-negative-lists', { query: { cellType } });
  const [editing, setEditing] = useState<{
    kind: 'check' | 'negative';
    list: TCheckList | TNegativeList | null;
  } | null>(null);

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {writable && (
        <Space>
          <Button id="new-check-list" onClick={() => setEditing({ kind: 'check', list: null })}>
            {t({ zh: '新建检查标准', en: 'New check list' })}
          </Button>
          {!negs.data?.length && (
            <Button onClick={() => setEditing({ kind: 'negative', list: null })}>
              {t({ zh: '新建负面清单', en: 'New negative list' })}
            </Button>
          )}
        </Space>
      )}
      {(checks.data ?? []).map((l) => (
        <Card
          key={`check-${l.id}`}
          size="small"
          title={`${l.name} · ${t(CHECK_FREQUENCY_LABELS[l.frequency])} · ${t({ zh: `${l.standards.length} 项 / ${l.totalPoints} 分`, en: `${l.standards.length} standards / ${l.totalPoints} points` })}`}
          extra={
            writable && (
              <Button size="small" onClick={() => setEditing({ kind: 'check', list: l })}>
                {t(L.common.edit)}
              </Button>
            )
          }
        >
          <ol style={{ margin: 0, paddingLeft: 20 }}>
            {l.standards.map((s) => (
              <li key={s.code}>
                {s.text}（{s.points}）
              </li>
            ))}
          </ol>
        </Card>
      ))}
      {(negs.data ?? []).map((l) => (
        <Card
          key={`negative-${l.id}`}
          size="small"
          title={`${l.name} · ${t({ zh: `${l.items.length} 项`, en: `${l.items.length} items` })}`}
          extra={
            writable && (
              <Button size="small" onClick={() => setEditing({ kind: 'negative', list: l })}>
                {t(L.common.edit)}
              </Button>
            )
          }
        >
          <Typography.Paragraph type="warning">{t(l.rule)}</Typography.Paragraph>
          <ol style={{ margin: 0, paddingLeft: 20 }}>
            {l.items.map((i) => (
              <li key={i.code}>
                {i.text}（−{i.points}）
                {i.severe && <Tag color="red">{t({ zh: '严重', en: 'Severe' })}</Tag>}
              </li>
            ))}
          </ol>
        </Card>
      ))}
      {editing && (
        <ListModal kind={editing.kind} editing={editing.list} onClose={() => setEditing(null)} />
      )}
    </Space>
  );
}

/** 文明细胞 dynamic management: holders with their records (checks, hits, problems) and the lists. */
export function CellChecksPage() {
  const { t } = useI18n();
  const [cellType, setCellType] = useState<TCellType>('unit');
  const [q, setQ] = useState<string | undefined>();
  const holders = useApi('GET /api/honours', { query: { cellType, q, limit: 100 } });
  const [open, setOpen] = useState<THonour | null>(null);

  return (
    <Card
      title={t({ zh: '文明细胞动态管理', en: 'Civilized cells: dynamic management' })}
      extra={
        <Select
          id="cell-type"
          value={cellType}
          style={{ width: 160 }}
          options={CELL_TYPES.map((c) => ({ value: c, label: t(CELL_TYPE_LABELS[c]) }))}
          onChange={setCellType}
        />
      }
    >
      <Tabs
        items={[
          {
            key: 'holders',
            label: t(L.cells.holderName),
            children: (
              <>
                <Input.Search
                  allowClear
                  style={{ width: 260, marginBottom: 12 }}
                  placeholder={t(L.common.name)}
                  onSearch={(v) => setQ(v || undefined)}
                />
                <Table<THonour>
                  size="small"
                  rowKey="id"
                  loading={holders.isLoading}
                  dataSource={holders.data?.items ?? []}
                  pagination={false}
                  onRow={(h) => ({ onClick: () => setOpen(h), style: { cursor: 'pointer' } })}
                  columns={[
                    { title: t(L.common.name), dataIndex: 'holderName' },
                    { title: t(L.cells.honourTitle), dataIndex: 'title', width: 140 },
                    {
                      title: t({ zh: '级别', en: 'Level' }),
                      dataIndex: 'level',
                      width: 80,
                      render: (v: THonour['level']) => t(HONOUR_LEVEL_LABELS[v]),
                    },
                    {
                      title: t({ zh: '有效期至', en: 'Term ends' }),
                      dataIndex: 'termEndsYear',
                      width: 90,
                    },
                    {
                      title: t(L.common.status),
                      dataIndex: 'status',
                      width: 90,
                      render: (v: THonour['status']) => (
                        <Tag color={STATUS_COLORS[v]}>{t(HONOUR_STATUS_LABELS[v])}</Tag>
                      ),
                    },
                    {
                      title: t(L.cells.managingOffice),
                      dataIndex: 'officeRegionName',
                      width: 120,
                    },
                  ]}
                />
              </>
            ),
          },
          {
            key: 'lists',
            label: t({ zh: '检查标准与负面清单', en: 'Check lists and negative list' }),
            children: <ListsPanel cellType={cellType} />,
          },
        ]}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={open?.holderName}
        size={Math.min(860, window.innerWidth)}
      >
        {open && <HolderRecord honourId={open.id} />}
      </Drawer>
    </Card>
  );
}
