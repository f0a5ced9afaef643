import { Alert, App, Checkbox, Collapse, Modal, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { LINK_KIND_LABELS, type TPublishPreview } from '../../../core/contracts/frameworks.js';
import { METHOD_LABELS } from '../../../core/frameworks/methods.js';
import { apiCall } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';

type Std = TPublishPreview['standards']['added'][number];
type Change = TPublishPreview['standards']['changed'][number];
type Lost = TPublishPreview['lost'][number];

const FIELD_LABELS = {
  code: L.common.code,
  text: L.common.text,
  method: L.framework.method,
  maxScore: L.framework.maxScore,
} as const;

/**
 * Publishing a draft: first what changes against the version in force (standards added, removed,
 * changed), what moves with it (assignments, dossiers, survey questions, check items…) and what
 * cannot move. Links that would be lost must be acknowledged before the publish button works.
 */
export function FrameworkPublishModal(props: {
  versionId: number | null;
  versionNumber: number;
  version: number;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [preview, setPreview] = useState<TPublishPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ack, setAck] = useState(false);
  const [busy, setBusy] = useState(false);
  const open = props.versionId !== null;

  useEffect(() => {
    setPreview(null);
    setError(null);
    setAck(false);
    if (props.versionId === null) return;
    let live = true;
    apiCall('GET /api/framework-versions/:id/publish-preview', {
      params: { id: props.versionId },
    })
      .then((p) => live && setPreview(p))
      .catch((err: unknown) => live && setError(errorText(err, lang)));
    return () => {
      live = false;
    };
  }, [props.versionId, lang]);

  const lost = preview?.lost ?? [];
  const publish = async () => {
    if (props.versionId === null) return;
    setBusy(true);
    try {
      await apiCall('POST /api/framework-versions/:id/publish', {
        params: { id: props.versionId },
        body: { version: props.version, confirmLosses: lost.length > 0 },
      });
      message.success(t({ zh: '已发布，成为现行版本', en: 'Published; now in force' }));
      props.onDone();
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const method = (m: Std['method']) => t(METHOD_LABELS[m]);
  const stdColumns = [
    { title: t(L.common.code), dataIndex: 'code', width: 110 },
    { title: t(L.framework.standard), dataIndex: 'text', ellipsis: true },
    {
      title: t({ zh: '方法', en: 'Method' }),
      dataIndex: 'method',
      width: 100,
      render: method,
    },
    { title: t(L.framework.maxScore), dataIndex: 'maxScore', width: 70 },
  ];
  const show = (c: Change, f: Change['fields'][number]) => {
    const v = (s: Std) => (f === 'method' ? method(s.method) : String(s[f]));
    return `${t(FIELD_LABELS[f])}：${v(c.before)} → ${v(c.after)}`;
  };

  const s = preview?.standards;
  const sections = s
    ? [
        {
          key: 'added',
          label: t({ zh: `新增标准 ${s.added.length} 条`, en: `${s.added.length} added` }),
          rows: s.added,
        },
        {
          key: 'removed',
          label: t({ zh: `删除标准 ${s.removed.length} 条`, en: `${s.removed.length} removed` }),
          rows: s.removed,
        },
      ].filter((x) => x.rows.length)
    : [];

  return (
    <Modal
      open={open}
      width={860}
      title={t({ zh: `发布 v${props.versionNumber}`, en: `Publish v${props.versionNumber}` })}
      okText={t({ zh: '确认发布', en: 'Publish' })}
      okButtonProps={{
        id: 'publish-ok',
        disabled: !preview || (lost.length > 0 && !ack),
        loading: busy,
      }}
      onOk={() => void publish()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!preview && !error && <Spin />}
      {preview && s && (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Alert
            type="info"
            showIcon
            data-testid="publish-summary"
            title={
              preview.against
                ? t({
                    zh: `与现行 v${preview.against.versionNumber} 相比：新增 ${s.added.length} 条、删除 ${s.removed.length} 条、修改 ${s.changed.length} 条、未变 ${s.unchanged} 条；标准总分 ${preview.maxScore.before} → ${preview.maxScore.after}`,
                    en: `Against v${preview.against.versionNumber} in force: ${s.added.length} added, ${s.removed.length} removed, ${s.changed.length} changed, ${s.unchanged} unchanged; total score ${preview.maxScore.before} → ${preview.maxScore.after}`,
                  })
                : t({
                    zh: `这是该测评体系的第一个现行版本（${s.added.length} 条标准，总分 ${preview.maxScore.after}）`,
                    en: `The framework's first version in force (${s.added.length} standards, total ${preview.maxScore.after})`,
                  })
            }
            description={
              preview.negativeItems.removed.length
                ? t({
                    zh: `负面清单删除 ${preview.negativeItems.removed.length} 条`,
                    en: `${preview.negativeItems.removed.length} negative-list item(s) removed`,
                  })
                : undefined
            }
          />
          {preview.against && (
            <div data-testid="publish-carried">
              <Typography.Text strong>
                {t({ zh: '随新版本带过去的关联：', en: 'Links the new version carries: ' })}
              </Typography.Text>
              {preview.carried.length === 0
                ? t(L.common.none)
                : preview.carried.map((c) => (
                    <Tag key={c.kind} color="green">
                      {t(LINK_KIND_LABELS[c.kind])} {c.count}
                    </Tag>
                  ))}
            </div>
          )}
          {lost.length > 0 && (
            <>
              <Alert
                type="error"
                showIcon
                title={t({
                  zh: `${lost.reduce((a, l) => a + l.count, 0)} 处关联在新版本中找不到对应的标准，发布后将不再计入`,
                  en: `${lost.reduce((a, l) => a + l.count, 0)} link(s) find no standard in the new version and will no longer count`,
                })}
              />
              <Table<Lost>
                size="small"
                data-testid="publish-lost"
                rowKey={(l) => `${l.kind}|${l.code}|${l.where.zh}`}
                dataSource={lost}
                pagination={lost.length > 8 ? { pageSize: 8 } : false}
                columns={[
                  {
                    title: t(L.common.category),
                    dataIndex: 'kind',
                    width: 110,
                    render: (k: Lost['kind']) => t(LINK_KIND_LABELS[k]),
                  },
                  { title: t({ zh: '原标准', en: 'Standard' }), dataIndex: 'code', width: 100 },
                  {
                    title: t({ zh: '所在位置', en: 'Where' }),
                    render: (_: unknown, l: Lost) => t(l.where),
                  },
                  { title: t({ zh: '数量', en: 'Count' }), dataIndex: 'count', width: 70 },
                ]}
              />
              <Checkbox
                checked={ack}
                onChange={(e) => setAck(e.target.checked)}
                data-testid="publish-ack"
              >
                {t({
                  zh: '我已了解以上关联将失去对应的标准，仍要发布',
                  en: 'I understand these links lose their standard; publish anyway',
                })}
              </Checkbox>
            </>
          )}
          {(sections.length > 0 || s.changed.length > 0) && (
            <Collapse
              size="small"
              items={[
                ...sections.map((x) => ({
                  key: x.key,
                  label: x.label,
                  children: (
                    <Table<Std>
                      size="small"
                      rowKey="code"
                      dataSource={x.rows}
                      columns={stdColumns}
                      pagination={x.rows.length > 10 ? { pageSize: 10 } : false}
                    />
                  ),
                })),
                ...(s.changed.length
                  ? [
                      {
                        key: 'changed',
                        label: t({
                          zh: `修改标准 ${s.changed.length} 条`,
                          en: `${s.changed.length} changed`,
                        }),
                        children: (
                          <Table<Change>
                            size="small"
                            rowKey="code"
                            dataSource={s.changed}
                            pagination={s.changed.length > 10 ? { pageSize: 10 } : false}
                            columns={[
                              {
                                title: t(L.common.code),
                                dataIndex: 'code',
                                width: 110,
                              },
                              {
                                title: t({ zh: '变化', en: 'Change' }),
                                render: (_: unknown, c: Change) => (
                                  <Space orientation="vertical" size={0}>
                                    {c.fields.map((f) => (
                                      <span key={f}>{show(c, f)}</span>
                                    ))}
                                  </Space>
                                ),
                              },
                            ]}
                          />
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </Space>
      )}
    </Modal>
  );
}
