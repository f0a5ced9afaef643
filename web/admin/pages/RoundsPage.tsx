import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { TDrawnPoint, TRound } from '../../../core/contracts/inspections.js';
import { plannedCounts, verifyDraw, type DrawRule } from '../../../core/draw/draw.js';
import { Permission } from '../../../core/permissions.js';
import { get, post } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

type Round = TRound;
interface PointType {
  code: string;
  name: string;
  sampling: 'mandatory' | 'random';
  defaultDrawCount: number;
  /** Points of the type in the catalogue. */
  points: number;
}

const KIND_LABELS = {
  official: { zh: '正式测评复盘', en: 'Official replay' },
  mock: { zh: '模拟测评', en: 'Mock evaluation' },
  supervision: { zh: '督查', en: 'Supervision' },
  secret: { zh: '暗访', en: 'Secret visit' },
};
const NEXT: Partial<Record<Round['state'], { step: string; label: { zh: string; en: string } }>> = {
  planned: { step: 'commit', label: { zh: '公布承诺值', en: 'Commit' } },
  committed: { step: 'draw', label: { zh: '抽签', en: 'Draw' } },
  drawn: { step: 'reveal', label: { zh: '公开种子', en: 'Reveal seed' } },
};

/**
 * 测评轮次 and the verifiable draw. "Verify here" re-runs the draw in this browser with the same code
 * the server used (core/draw), from the published seed, list and plan.
 */
export function RoundsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const [rounds, setRounds] = useState<Round[]>([]);
  const [types, setTypes] = useState<PointType[]>([]);
  const [creating, setCreating] = useState(false);
  const [verdict, setVerdict] = useState<{ id: number; ok: boolean; reasons: string[] } | null>(
    null,
  );
  const [form] = Form.useForm();
  const office = can(Permission.ProblemManage);
  const [inspectors, setInspectors] = useState<{ id: number; name: string }[]>([]);
  useEffect(() => {
    if (!office) return;
    get<{ items: { id: number; name: string }[] }>('/api/users?role=inspector&limit=500')
      .then((r) => setInspectors(r.items))
      .catch(() => undefined);
  }, [office]);

  const load = useCallback(async () => {
    const [r, pt] = await Promise.all([
      get<{ items: Round[] }>('/api/rounds'),
      get<{ items: PointType[] }>('/api/point-types'),
    ]);
    setRounds(r.items);
    setTypes(pt.items);
  }, []);
  useEffect(() => {
    load().catch((err: unknown) => message.error(errorText(err, lang)));
  }, [load, lang, message]);

  async function step(r: Round, s: string) {
    try {
      await post(`/api/rounds/${r.id}/${s}`);
      await load();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  /** The draw cannot be undone: the office confirms it, seeing what it will draw per type. */
  function confirmDraw(r: Round) {
    const names = new Map(types.map((pt) => [pt.code, pt.name]));
    const counts = plannedCounts(r.frozenList ?? [], r.plan);
    const total = counts.reduce((n, c) => n + c.count, 0);
    modal.confirm({
      title: t({ zh: `确认对“${r.name}”抽签？`, en: `Draw the points of "${r.name}"?` }),
      okText: t({ zh: '确认抽签', en: 'Draw now' }),
      cancelText: t({ zh: '取消', en: 'Cancel' }),
      okButtonProps: { id: 'draw-confirm-ok' },
      width: 520,
      content: (
        <div data-testid="draw-confirm">
          <Typography.Paragraph>
            {t({
              zh: `将从已冻结的点位清单中抽取以下点位，共 ${total} 个：`,
              en: `The following ${total} points will be drawn from the frozen list:`,
            })}
          </Typography.Paragraph>
          <ul data-testid="draw-confirm-counts">
            {counts.map((c) => {
              const type = `${names.get(c.type) ?? c.type}（${c.type}）`;
              return (
                <li key={c.type}>
                  {c.mode === 'all'
                    ? t({
                        zh: `${type}：必查，全部 ${c.count} 个`,
                        en: `${type}: mandatory, all ${c.count}`,
                      })
                    : t({
                        zh: `${type}：随机抽取 ${c.count} 个（可抽 ${c.eligible} 个）`,
                        en: `${type}: ${c.count} at random (of ${c.eligible})`,
                      })}
                </li>
              );
            })}
          </ul>
          <Alert
            type="warning"
            showIcon
            title={t({
              zh: '抽签结果一经产生即记录在案，不能撤销，也不能重新抽取。',
              en: 'The result is recorded as soon as it is drawn: it cannot be undone or drawn again.',
            })}
          />
        </div>
      ),
      onOk: () => step(r, 'draw'),
    });
  }

  async function verifyHere(r: Round) {
    const res = await verifyDraw(
      {
        seed: r.seed!,
        commitment: r.commitment!,
        fingerprint: r.fingerprint!,
        points: r.frozenList ?? [],
        plan: r.plan,
      },
      r.drawnIds ?? [],
    );
    setVerdict({ id: r.id, ok: res.ok, reasons: res.reasons });
  }

  /** A new round's form, afresh (each count starts at its type's default: see the field). */
  function openNew() {
    form.resetFields();
    form.setFieldsValue({ kind: 'mock' });
    setCreating(true);
  }

  async function create() {
    const v = (await form.validateFields()) as {
      name: string;
      kind: Round['kind'];
      counts?: Record<string, number>;
      inspectorIds?: number[];
    };
    // Every random count is filled in (the form requires it); 0 leaves the type out.
    const plan: DrawRule[] = types.flatMap((pt): DrawRule[] => {
      if (pt.sampling === 'mandatory') return [{ type: pt.code, mode: 'all' }];
      const n = v.counts?.[pt.code] ?? 0;
      return n ? [{ type: pt.code, mode: 'random', count: n }] : [];
    });
    try {
      await post('/api/rounds', {
        name: v.name,
        kind: v.kind,
        plan,
        inspectorIds: v.inspectorIds ?? [],
      });
      setCreating(false);
      await load();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  return (
    <Card
      title={t({ zh: '测评轮次与抽签', en: 'Rounds and draws' })}
      extra={
        office && (
          <Button type="primary" onClick={openNew} data-testid="round-new">
            {t({ zh: '新建轮次', en: 'New round' })}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        {t({
          zh: '抽签前公布种子的 SHA-256 承诺值和点位清单指纹；抽签后公开种子，任何人都可用同一算法重新抽取并核对结果。',
          en: 'Before the draw the SHA-256 of the seed and the fingerprint of the point list are published; after it the seed is revealed and anyone can re-run the same algorithm.',
        })}
      </Typography.Paragraph>
      <Table<Round>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rounds}
        data-testid="rounds"
        expandable={{
          expandedRowRender: (r) => (
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t({ zh: '承诺值 SHA-256(种子)', en: 'Commitment' })}>
                <Typography.Text code copyable={!!r.commitment}>
                  {r.commitment ?? '—'}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t({ zh: '清单指纹', en: 'List fingerprint' })}>
                <Typography.Text code>{r.fingerprint ?? '—'}</Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t({ zh: '种子', en: 'Seed' })}>
                <Typography.Text code>
                  {r.seed ?? t({ zh: '未公开', en: 'not revealed' })}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label={t({ zh: '抽中点位', en: 'Drawn points' })}>
                {r.drawnPoints ? (
                  <Table<TDrawnPoint>
                    size="small"
                    rowKey="id"
                    pagination={false}
                    dataSource={r.drawnPoints}
                    data-testid={`drawn-points-${r.id}`}
                    columns={[
                      {
                        title: t({ zh: '序号', en: '#' }),
                        width: 60,
                        render: (_, _p, i) => i + 1,
                      },
                      { title: t({ zh: '点位', en: 'Point' }), dataIndex: 'name' },
                      {
                        title: t({ zh: '类型', en: 'Type' }),
                        render: (_, p) => (p.typeCode ? `${p.typeName}（${p.typeCode}）` : ''),
                      },
                      {
                        title: t({ zh: '区县', en: 'District' }),
                        dataIndex: 'districtName',
                        render: (v: string | null) => v ?? t({ zh: '未划区域', en: 'None' }),
                      },
                      { title: t({ zh: '编号', en: 'ID' }), dataIndex: 'id', width: 80 },
                    ]}
                  />
                ) : r.state === 'drawn' || r.state === 'revealed' ? (
                  t({
                    zh: '暗访点位仅对本轮测评员和创建办可见',
                    en: 'Secret: shown to its inspectors and the office',
                  })
                ) : (
                  t({ zh: '尚未抽签', en: 'Not drawn yet' })
                )}
              </Descriptions.Item>
            </Descriptions>
          ),
        }}
        columns={[
          { title: t({ zh: '名称', en: 'Name' }), dataIndex: 'name' },
          {
            title: t({ zh: '类型', en: 'Kind' }),
            dataIndex: 'kind',
            width: 120,
            render: (k: Round['kind']) => t(KIND_LABELS[k]),
          },
          {
            title: t({ zh: '状态', en: 'State' }),
            width: 130,
            render: (_, r) => <Tag data-testid={`round-state-${r.id}`}>{t(r.stateLabel)}</Tag>,
          },
          {
            title: t({ zh: '抽签时间', en: 'Drawn' }),
            dataIndex: 'drawnAt',
            width: 150,
            render: (v: string | null) => (v ? formatTime(v) : '—'),
          },
          {
            title: '',
            width: 260,
            render: (_, r) => (
              <Space>
                {office && NEXT[r.state] && (
                  <Button
                    size="small"
                    data-testid={`round-step-${r.id}`}
                    onClick={() =>
                      r.state === 'committed' ? confirmDraw(r) : void step(r, NEXT[r.state]!.step)
                    }
                  >
                    {t(NEXT[r.state]!.label)}
                  </Button>
                )}
                {office && (r.state === 'drawn' || r.state === 'revealed') && (
                  <Link to={`/rounds/${r.id}/report`} data-testid={`round-report-${r.id}`}>
                    {t({ zh: '测评报告', en: 'Report' })}
                  </Link>
                )}
                {r.state === 'revealed' && (
                  <Button size="small" onClick={() => void verifyHere(r)} data-testid="verify-here">
                    {t({ zh: '在本机核验', en: 'Verify here' })}
                  </Button>
                )}
                {verdict?.id === r.id && (
                  <Tag color={verdict.ok ? 'green' : 'red'} data-testid="verdict">
                    {verdict.ok
                      ? t({ zh: '核验通过', en: 'Verified' })
                      : verdict.reasons.join('；')}
                  </Tag>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t({ zh: '新建测评轮次', en: 'New round' })}
        onOk={() => void create()}
        onCancel={() => setCreating(false)}
        destroyOnHidden
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t({
            zh: '必查类型全部纳入；随机类型按下列数量抽取（预填为该类型的默认数量，可修改；填 0 不抽取）。',
            en: 'Mandatory types are all included; random types draw the numbers below (each starts at its type’s default; 0 leaves it out).',
          })}
        />
        <Form form={form} layout="vertical">
          <Form.Item
            name="name"
            label={t({ zh: '名称', en: 'Name' })}
            rules={[{ required: true, min: 2 }]}
          >
            <Input id="round-name" />
          </Form.Item>
          <Form.Item name="kind" label={t({ zh: '类型', en: 'Kind' })}>
            <Select
              options={Object.entries(KIND_LABELS).map(([v, l]) => ({ value: v, label: t(l) }))}
            />
          </Form.Item>
          <Form.Item name="inspectorIds" label={t({ zh: '测评员', en: 'Inspectors' })}>
            <Select
              mode="multiple"
              optionFilterProp="label"
              options={inspectors.map((u) => ({ value: u.id, label: u.name }))}
              data-testid="round-inspectors"
            />
          </Form.Item>
          {types
            .filter((pt) => pt.sampling === 'random')
            .map((pt) => (
              <Form.Item
                key={pt.code}
                name={['counts', pt.code]}
                // Its default, as a value to edit — no more than the type has points (a type with
                // none yet, like a new 随机查看 kind, starts at 0). Set where the field mounts, so a
                // form opened before the types arrive still gets it.
                initialValue={Math.min(pt.defaultDrawCount, pt.points)}
                label={t({
                  zh: `${pt.name}（${pt.code}，共 ${pt.points} 个）`,
                  en: `${pt.name} (${pt.code}, ${pt.points} points)`,
                })}
                rules={[
                  {
                    required: true,
                    message: t({
                      zh: `请填写${pt.name}的抽取数量（不抽取填 0）`,
                      en: `Enter how many ${pt.name} points to draw (0 for none)`,
                    }),
                  },
                ]}
              >
                <InputNumber min={0} precision={0} id={`round-count-${pt.code}`} />
              </Form.Item>
            ))}
        </Form>
      </Modal>
    </Card>
  );
}
