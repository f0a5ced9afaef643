import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import {
  NODE_KIND_LABELS,
  ZNodeCodeSchema,
  type TFrameworkWriteResult,
  type TNodeKind,
  type TTreeNode,
} from '../../../core/contracts/frameworks.js';
import { METHOD_LABELS, METHODS, type TMethod } from '../../../core/frameworks/methods.js';
import {
  DEFAULT_SURVEY_BANDS,
  type TSurveyBand,
  type TSurveyCurve,
} from '../../../core/scoring/rules.js';
import { curveToForm, CurveFields, formToCurve } from './ScoringRulesFields.js';
import { apiCall } from '../../shared/api.js';
import { applyFieldErrors, errorText, zodRule } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';

const CHILD_KIND: Record<TNodeKind, TNodeKind | null> = {
  item: 'content',
  content: 'standard',
  standard: null,
};

interface NodeForm {
  code?: string;
  text: string;
  method?: TMethod;
  maxScore?: number;
  guidance?: string;
  evidence?: string[];
  unitHints?: string[];
  notes?: string;
  /** A survey standard's own curve (else its framework's). */
  ownCurve?: boolean;
  curveKind?: TSurveyCurve['kind'];
  bands?: TSurveyBand[];
  linearFloor?: number;
  linearTarget?: number;
}

/** The fields of a node; standards have method, score, guidance, evidence, unit hints, notes. */
function NodeFields({ kind }: { kind: TNodeKind }) {
  const { t } = useI18n();
  const form = Form.useFormInstance<NodeForm>();
  const method = Form.useWatch('method', form);
  const ownCurve = Form.useWatch('ownCurve', form);
  return (
    <>
      <Space.Compact block>
        <Form.Item
          name="code"
          label={t(L.common.code)}
          rules={[zodRule(ZNodeCodeSchema)]}
          style={{ width: '30%' }}
          extra={t({ zh: '留空自动编号', en: 'Empty: numbered for you' })}
        >
          <Input id="node-code" />
        </Form.Item>
        {kind === 'standard' && (
          <>
            <Form.Item
              name="method"
              label={t(L.framework.method)}
              rules={[{ required: true }]}
              style={{ width: '40%', paddingLeft: 8 }}
            >
              <Select
                id="node-method"
                options={METHODS.map((m) => ({ value: m, label: t(METHOD_LABELS[m]) }))}
              />
            </Form.Item>
            <Form.Item
              name="maxScore"
              label={t(L.framework.maxScore)}
              rules={[{ required: true }]}
              style={{ width: '30%', paddingLeft: 8 }}
            >
              <InputNumber id="node-score" min={0} max={1000} style={{ width: '100%' }} />
            </Form.Item>
          </>
        )}
      </Space.Compact>
      <Form.Item
        name="text"
        label={kind === 'standard' ? t({ zh: '标准内容', en: 'Standard' }) : t(L.common.name)}
        rules={[{ required: true, max: 1000 }]}
      >
        <Input.TextArea id="node-text" autoSize={{ minRows: kind === 'standard' ? 3 : 1 }} />
      </Form.Item>
      {kind === 'standard' && (
        <>
          <Form.Item name="guidance" label={t({ zh: '测评说明', en: 'Guidance' })}>
            <Input.TextArea autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item name="evidence" label={t({ zh: '佐证材料要求', en: 'Evidence required' })}>
            <Select mode="tags" tokenSeparators={['；', ';']} open={false} />
          </Form.Item>
          <Form.Item
            name="unitHints"
            label={t({ zh: '参考责任单位', en: 'Usual responsible units' })}
          >
            <Select mode="tags" tokenSeparators={['、', '，', ',']} open={false} />
          </Form.Item>
          <Form.Item name="notes" label={t(L.common.notes)} rules={[{ max: 500 }]}>
            <Input.TextArea id="node-notes" autoSize={{ minRows: 1 }} maxLength={500} />
          </Form.Item>
          {method === 'survey' && (
            <>
              <Form.Item
                name="ownCurve"
                valuePropName="checked"
                label={t({
                  zh: '本标准单独设置问卷计分方式（否则沿用测评体系）',
                  en: 'This standard scores its survey rate its own way (else the framework’s)',
                })}
              >
                <Switch id="node-own-curve" />
              </Form.Item>
              {ownCurve && <CurveFields form={form} />}
            </>
          )}
        </>
      )}
    </>
  );
}

/**
 * The cells of the imported sheet's columns the platform does not read (联系人, 序号…): shown as
 * they came, not edited; an export writes them back.
 */
function OtherColumns({ extra }: { extra: Record<string, string> }) {
  const { t } = useI18n();
  const entries = Object.entries(extra);
  if (!entries.length) return null;
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      style={{ marginBottom: 16 }}
      data-testid="node-extra"
      title={
        <Typography.Text type="secondary">
          {t({ zh: '其他列', en: 'Other columns' })}
        </Typography.Text>
      }
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t({
            zh: '导入表格中未识别的列，只读，导出时原样写回',
            en: 'Columns of the imported sheet; read-only, exported as they came',
          })}
        </Typography.Text>
      }
      items={entries.map(([h, v]) => ({
        key: h,
        label: h,
        children: <span style={{ whiteSpace: 'pre-line' }}>{v}</span>,
      }))}
    />
  );
}

const bodyOf = (kind: TNodeKind, v: NodeForm) => ({
  ...(v.code ? { code: v.code } : {}),
  text: v.text,
  ...(kind === 'standard'
    ? {
        method: v.method,
        maxScore: v.maxScore,
        guidance: v.guidance || null,
        evidence: v.evidence ?? [],
        unitHints: v.unitHints ?? [],
        notes: v.notes?.trim() || null,
        surveyCurve:
          v.method === 'survey' && v.ownCurve
            ? formToCurve({
                curveKind: v.curveKind ?? 'bands',
                bands: v.bands ?? DEFAULT_SURVEY_BANDS,
                linearFloor: v.linearFloor ?? 60,
                linearTarget: v.linearTarget ?? 90,
              })
            : null,
      }
    : {}),
});

/** Adds an item, a content or a standard. */
export function AddNodeModal(props: {
  versionId: number;
  add: { kind: TNodeKind; parent: TTreeNode | null } | null;
  onClose: () => void;
  onWrite: (r: TFrameworkWriteResult) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<NodeForm>();
  const kind = props.add?.kind ?? 'item';
  const save = async () => {
    const v = await form.validateFields();
    try {
      const r = await apiCall('POST /api/framework-versions/:id/nodes', {
        params: { id: props.versionId },
        body: { kind, parentId: props.add?.parent?.id ?? null, ...bodyOf(kind, v) },
      });
      form.resetFields();
      props.onWrite(r);
      props.onClose();
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  };
  return (
    <Modal
      open={props.add !== null}
      title={`${t(L.common.add)}${lang === 'en' ? ' ' : ''}${t(NODE_KIND_LABELS[kind])}${
        props.add?.parent ? ` · ${props.add.parent.code} ${props.add.parent.text}` : ''
      }`}
      onOk={() => void save()}
      onCancel={props.onClose}
      destroyOnHidden
      width={640}
      okButtonProps={{ id: 'node-add-ok' }}
    >
      <Form form={form} layout="vertical" initialValues={{ method: 'material', maxScore: 1 }}>
        <NodeFields kind={kind} />
      </Form>
    </Modal>
  );
}

/** Edits the selected node; moves it up or down; deletes it with what is under it. */
export function FrameworkNodeEditor(props: {
  versionId: number;
  node: TTreeNode | null;
  siblings: number;
  editable: boolean;
  canWrite: boolean;
  onWrite: (r: TFrameworkWriteResult) => void;
  onAddChild: (kind: TNodeKind, parent: TTreeNode) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<NodeForm>();
  const [busy, setBusy] = useState(false);
  const { node } = props;

  useEffect(() => {
    form.resetFields();
    if (node) {
      form.setFieldsValue({
        code: node.code,
        text: node.text,
        method: node.method ?? undefined,
        maxScore: node.maxScore ?? undefined,
        guidance: node.guidance ?? undefined,
        evidence: node.evidence,
        unitHints: node.unitHints,
        notes: node.notes ?? undefined,
        ownCurve: node.surveyCurve !== null,
        ...curveToForm(node.surveyCurve ?? { kind: 'bands', bands: DEFAULT_SURVEY_BANDS }),
      });
    }
  }, [node, form]);

  if (!node) {
    return (
      <Card size="small">
        <Empty
          description={t({
            zh: '在左侧选择一个项目、内容或标准进行编辑',
            en: 'Pick an item, content or standard on the left to edit it',
          })}
        />
      </Card>
    );
  }

  const run = async (
    fn: () => Promise<TFrameworkWriteResult>,
    done: { zh: string; en: string },
  ) => {
    setBusy(true);
    try {
      const r = await fn();
      message.success(t(done));
      props.onWrite(r);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  const params = { id: props.versionId, nodeId: node.id };
  const save = async () => {
    const v = await form.validateFields();
    await run(
      () =>
        apiCall('PATCH /api/framework-versions/:id/nodes/:nodeId', {
          params,
          body: { ...bodyOf(node.kind, v), version: node.version },
        }),
      L.common.saved,
    );
  };
  const move = (delta: number) =>
    run(
      () =>
        apiCall('POST /api/framework-versions/:id/nodes/:nodeId/move', {
          params,
          body: {
            parentId: node.parentId,
            position: node.position + delta,
            version: node.version,
          },
        }),
      { zh: '已移动', en: 'Moved' },
    );
  const child = CHILD_KIND[node.kind];
  const w = props.canWrite;

  return (
    <Card
      size="small"
      title={
        <Space>
          <Tag color="blue">{t(NODE_KIND_LABELS[node.kind])}</Tag>
          <Typography.Text strong>{node.code}</Typography.Text>
          <Typography.Text type="secondary">
            {node.kind === 'standard'
              ? t({ zh: `分值 ${node.score}`, en: `score ${node.score}` })
              : t({ zh: `合计 ${node.score} 分`, en: `total ${node.score}` })}
          </Typography.Text>
        </Space>
      }
      extra={
        w && (
          <Space size={4} wrap>
            <Button
              size="small"
              icon={<ArrowUpOutlined />}
              disabled={node.position === 0 || busy}
              onClick={() => void move(-1)}
              data-testid="node-up"
            >
              {t({ zh: '上移', en: 'Up' })}
            </Button>
            <Button
              size="small"
              icon={<ArrowDownOutlined />}
              disabled={node.position >= props.siblings - 1 || busy}
              onClick={() => void move(1)}
              data-testid="node-down"
            >
              {t({ zh: '下移', en: 'Down' })}
            </Button>
            {child && (
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => props.onAddChild(child, node)}
                data-testid="node-add-child"
              >
                {t(L.common.add)}
                {lang === 'en' ? ' ' : ''}
                {t(NODE_KIND_LABELS[child])}
              </Button>
            )}
            <Popconfirm
              title={t(L.common.confirmDelete)}
              description={
                node.kind === 'standard'
                  ? t({
                      zh: '该标准及其任务分解将一并删除',
                      en: 'The standard and its assignments will be deleted',
                    })
                  : t({
                      zh: `其下 ${node.children.length} 个下级节点（含标准和任务分解）将一并删除`,
                      en: `Its ${node.children.length} child node(s), with standards and assignments, go too`,
                    })
              }
              okButtonProps={{ danger: true, id: 'node-delete-ok' }}
              onConfirm={() =>
                void run(
                  () =>
                    apiCall('DELETE /api/framework-versions/:id/nodes/:nodeId', {
                      params,
                      query: { version: node.version },
                    }),
                  L.common.deleted,
                )
              }
            >
              <Button size="small" danger icon={<DeleteOutlined />} data-testid="node-delete">
                {t(L.common.delete)}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      {!props.editable && w && (
        <Typography.Paragraph type="warning" style={{ marginTop: 0 }}>
          {t({
            zh: '此版本已发布（在用），保存修改时将自动生成新的草稿版本，原版本保持不变。',
            en: 'This version is in use; saving creates a new draft version and leaves this one unchanged.',
          })}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" disabled={!w} data-testid="node-form">
        <NodeFields kind={node.kind} />
        {node.kind === 'standard' && <OtherColumns extra={node.extra} />}
        {w && (
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="node-save">
            {t(L.common.save)}
          </Button>
        )}
      </Form>
    </Card>
  );
}
