import { DownloadOutlined, PlusOutlined, SendOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Tree,
  Typography,
} from 'antd';
import type { TreeDataNode, TreeProps } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import {
  CAMPAIGN_KIND_LABELS,
  VERSION_STATUS_LABELS,
  type TFrameworkWriteResult,
  type TNodeKind,
  type TTreeNode,
} from '../../../core/contracts/frameworks.js';
import {
  FRAMEWORK_LEVEL_LABELS,
  METHOD_BUCKET_LABELS,
  METHOD_BUCKETS,
  METHOD_LABELS,
} from '../../../core/frameworks/methods.js';
import { Permission } from '../../../core/permissions.js';
import { apiCall } from '../../shared/api.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { CampaignKindTag } from './CampaignsPage.js';
import { FrameworkImportModal } from './FrameworkImportModal.js';
import { FrameworkPublishModal } from './FrameworkPublishModal.js';
import { AddNodeModal, FrameworkNodeEditor } from './FrameworkNodeEditor.js';
import { NegativeListCard } from './FrameworkNegativeList.js';
import { NegativeHitsCard } from '../results/NegativeHitsCard.js';

const METHOD_COLORS: Record<string, string> = {
  material: 'blue',
  field: 'green',
  simulation: 'cyan',
  survey: 'orange',
  online: 'purple',
  report: 'geekblue',
  overall: 'magenta',
};
const STATUS_COLORS = { draft: 'gold', published: 'green', superseded: 'default' } as const;

function flatten(items: TTreeNode[]): TTreeNode[] {
  const out: TTreeNode[] = [];
  const walk = (ns: TTreeNode[]) => {
    for (const n of ns) {
      out.push(n);
      walk(n.children as TTreeNode[]);
    }
  };
  walk(items);
  return out;
}

/** The search term marked in a text. */
function Highlight({ text, q }: { text: string; q: string }) {
  if (!q) return <>{text}</>;
  const i = text.toLowerCase().indexOf(q.toLowerCase());
  if (i < 0) return <>{text}</>;
  return (
    <>
      {text.slice(0, i)}
      <mark className="fw-match">{text.slice(i, i + q.length)}</mark>
      {text.slice(i + q.length)}
    </>
  );
}

/** 测评体系 editor: the tree 项目 → 内容 → 标准 of one framework version. */
export function FrameworksPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [selected, setSelected] = useState<number | null>(null);
  const [q, setQ] = useState('');
  const [expanded, setExpanded] = useState<React.Key[]>([]);
  const [importOpen, setImportOpen] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [adding, setAdding] = useState<{ kind: TNodeKind; parent: TTreeNode | null } | null>(null);
  const canWrite = can(Permission.FrameworkWrite);

  const versionId = Number(params.get('version')) || null;
  const setVersion = useCallback(
    (id: number | null) => setParams(id ? { version: String(id) } : {}, { replace: true }),
    [setParams],
  );

  const campaignsQ = useApi('GET /api/campaigns', {});
  const campaigns = useMemo(() => campaignsQ.data?.items ?? [], [campaignsQ.data]);
  /** Reads the campaigns (their frameworks and versions) again; answers them. */
  const loadCampaigns = async () => (await campaignsQ.refetch()).data?.items ?? [];
  // The version in the URL; without one, the first framework's in force (or its draft).
  const first = campaigns.flatMap((c) => c.frameworks)[0];
  const defaultVersion = first?.currentVersionId ?? first?.draftVersionId ?? first?.versions[0]?.id;
  useEffect(() => {
    if (!versionId && defaultVersion) setVersion(defaultVersion);
  }, [versionId, defaultVersion, setVersion]);
  // Writes mark the tree stale (web/shared/api-query.ts): it is read again after each.
  const treeQ = useApi(
    'GET /api/framework-versions/:id/tree',
    versionId ? { params: { id: versionId } } : null,
  );
  const tree = treeQ.isError ? null : (treeQ.data ?? null);
  const loading = treeQ.isFetching;
  useEffect(() => {
    if (treeQ.error) message.error(errorText(treeQ.error, lang));
  }, [treeQ.error, lang, message]);

  const nodes = useMemo(() => (tree ? flatten(tree.items) : []), [tree]);
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  useEffect(() => {
    // A fresh tree opens its items (and everything when small).
    if (!tree) return;
    setExpanded(
      nodes
        .filter((n) => n.kind === 'item' || (nodes.length < 150 && n.kind === 'content'))
        .map((n) => n.id),
    );
  }, [tree, nodes]);

  const matches = useMemo(() => {
    const s = q.trim().toLowerCase();
    if (!s) return new Set<number>();
    return new Set(
      nodes
        .filter((n) => n.text.toLowerCase().includes(s) || n.code.toLowerCase().includes(s))
        .map((n) => n.id),
    );
  }, [q, nodes]);
  useEffect(() => {
    if (matches.size === 0) return;
    const open = new Set<number>();
    for (const id of matches) {
      let p = byId.get(id)?.parentId ?? null;
      while (p !== null) {
        open.add(p);
        p = byId.get(p)?.parentId ?? null;
      }
    }
    setExpanded([...open]);
  }, [matches, byId]);

  const campaign = campaigns.find((c) => c.frameworks.some((f) => f.id === tree?.framework.id));
  const framework = campaign?.frameworks.find((f) => f.id === tree?.framework.id);

  const afterWrite = async (r: TFrameworkWriteResult) => {
    if (r.forked) {
      message.info(
        t({
          zh: `原版本在用，已自动生成草稿 v${r.versionNumber} 并在草稿上修改；原版本保持不变`,
          en: `The version is in use: your change went into a new draft v${r.versionNumber}; the original is unchanged`,
        }),
        6,
      );
      await loadCampaigns();
      setVersion(r.versionId);
    }
    setSelected(r.id);
  };

  const published = async () => {
    if (!tree) return;
    setPublishing(false);
    // The publish (a write) has marked the tree stale; the campaigns name the version in force.
    await loadCampaigns();
  };
  const deleteDraft = async () => {
    if (!tree || !framework) return;
    try {
      await apiCall('DELETE /api/framework-versions/:id', {
        params: { id: tree.versionInfo.id },
        query: { version: tree.versionInfo.version },
      });
      message.success(t({ zh: '草稿已删除', en: 'Draft deleted' }));
      const cs = await loadCampaigns();
      const fw = cs.flatMap((c) => c.frameworks).find((f) => f.id === framework.id);
      setVersion(fw?.currentVersionId ?? fw?.versions[0]?.id ?? null);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  const onDrop: TreeProps['onDrop'] = (info) => {
    const drag = byId.get(Number(info.dragNode.key));
    const drop = byId.get(Number(info.node.key));
    if (!drag || !drop || !tree) return;
    let parentId: number | null;
    let position: number;
    if (!info.dropToGap) {
      parentId = drop.id;
      position = 0;
    } else {
      parentId = drop.parentId;
      const after = info.dropPosition > (info.node.pos.split('-').map(Number).pop() ?? 0);
      position = drop.position + (after ? 1 : 0);
      if (drag.parentId === parentId && drag.position < position) position--;
    }
    void apiCall('POST /api/framework-versions/:id/nodes/:nodeId/move', {
      params: { id: tree.versionInfo.id, nodeId: drag.id },
      body: { parentId, position, version: drag.version },
    })
      .then(afterWrite)
      .catch((err: unknown) => message.error(errorText(err, lang)));
  };
  const PARENT: Record<TNodeKind, TNodeKind | null> = {
    item: null,
    content: 'item',
    standard: 'content',
  };
  const allowDrop: TreeProps['allowDrop'] = ({ dragNode, dropNode, dropPosition }) => {
    const d = byId.get(Number(dragNode.key));
    const n = byId.get(Number(dropNode.key));
    if (!d || !n) return false;
    if (dropPosition === 0) return PARENT[d.kind] === n.kind;
    return n.kind === d.kind;
  };

  const treeData: TreeDataNode[] = useMemo(() => {
    const s = q.trim();
    const toData = (n: TTreeNode): TreeDataNode => ({
      key: n.id,
      title: (
        <span className={matches.has(n.id) ? 'fw-hit' : undefined} data-testid={`node-${n.code}`}>
          <Typography.Text type="secondary" style={{ marginRight: 6 }}>
            <Highlight text={n.code} q={s} />
          </Typography.Text>
          <Highlight text={n.text} q={s} />
          {n.kind === 'standard' && n.method ? (
            <Tag color={METHOD_COLORS[n.method]} style={{ marginLeft: 6 }}>
              {t(METHOD_LABELS[n.method])}
            </Tag>
          ) : null}
          <Typography.Text type="secondary" style={{ marginLeft: 4 }}>
            {n.score}
            {t({ zh: '分', en: ' pt' })}
          </Typography.Text>
        </span>
      ),
      children: (n.children as TTreeNode[]).map(toData),
      isLeaf: n.kind === 'standard',
    });
    return (tree?.items ?? []).map(toData);
  }, [tree, q, matches, t]);

  const selectedNode = selected !== null ? (byId.get(selected) ?? null) : null;
  const siblings = selectedNode
    ? selectedNode.parentId === null
      ? (tree?.items.length ?? 0)
      : (byId.get(selectedNode.parentId)?.children.length ?? 0)
    : 0;
  const v = tree?.versionInfo;

  // Both kinds are edited here; a 文明细胞 campaign's frameworks say so.
  const versionOptions = campaigns.flatMap((c) =>
    c.frameworks.map((f) => ({
      label:
        c.kind === 'cells'
          ? `${t(CAMPAIGN_KIND_LABELS.cells)} · ${c.name} · ${f.name}`
          : `${c.name} · ${f.name}`,
      options: f.versions.map((x) => ({
        value: x.id,
        label: `${f.name} v${x.number} · ${t(VERSION_STATUS_LABELS[x.status])}`,
      })),
    })),
  );

  return (
    <Card
      title={t(L.framework.framework)}
      extra={
        <Select
          style={{ width: 480, maxWidth: '60vw' }}
          placeholder={t({ zh: '选择测评体系版本', en: 'Choose a framework version' })}
          value={versionId ?? undefined}
          onChange={(id: number) => {
            setSelected(null);
            setVersion(id);
          }}
          options={versionOptions}
          data-testid="version-select"
        />
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        {canWrite && (
          <Button
            icon={<UploadOutlined />}
            onClick={() => setImportOpen(true)}
            disabled={campaigns.length === 0}
            data-testid="framework-import"
          >
            {t({ zh: '导入（JSON / Excel）', en: 'Import (JSON / Excel)' })}
          </Button>
        )}
        {v && (
          <>
            <Button
              icon={<DownloadOutlined />}
              href={`/api/framework-versions/${v.id}/export.json`}
              data-testid="export-json"
            >
              {t({ zh: '导出 JSON', en: 'Export JSON' })}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              href={`/api/framework-versions/${v.id}/export.xlsx`}
              data-testid="export-xlsx"
            >
              {t(L.common.exportExcel)}
            </Button>
          </>
        )}
        {canWrite && v?.status === 'draft' && (
          <>
            <Button
              type="primary"
              icon={<SendOutlined />}
              data-testid="publish"
              onClick={() => setPublishing(true)}
            >
              {t({ zh: '发布此版本', en: 'Publish' })}
            </Button>
            <Popconfirm
              title={t({ zh: '删除此草稿？', en: 'Delete this draft?' })}
              onConfirm={() => void deleteDraft()}
            >
              <Button danger>{t({ zh: '删除草稿', en: 'Delete draft' })}</Button>
            </Popconfirm>
          </>
        )}
      </Space>
      {!tree && !loading && (
        <Empty
          description={
            campaigns.length === 0
              ? t({ zh: '请先在“创建周期”中新建创建周期', en: 'Create a campaign first' })
              : t({ zh: '尚无测评体系，请导入', en: 'No framework yet: import one' })
          }
        />
      )}
      {loading && !tree && <Spin />}
      {tree && v && (
        <>
          <Alert
            type={v.status === 'draft' ? 'warning' : v.status === 'published' ? 'success' : 'info'}
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="version-banner"
            title={
              <Space wrap>
                <Typography.Text strong>
                  {tree.campaignName} · {tree.framework.name} v{v.number}
                </Typography.Text>
                {campaign && <CampaignKindTag kind={campaign.kind} />}
                <Tag color={STATUS_COLORS[v.status]}>{t(VERSION_STATUS_LABELS[v.status])}</Tag>
                <Tag>{t(FRAMEWORK_LEVEL_LABELS[tree.framework.level])}</Tag>
                {tree.framework.edition && <Tag>{tree.framework.edition}</Tag>}
                <span data-testid="totals">
                  {t({
                    zh: `共 ${tree.totals.standards} 条标准，总分 ${tree.totals.score}`,
                    en: `${tree.totals.standards} standards, ${tree.totals.score} points`,
                  })}
                  {t({ zh: '：', en: ': ' })}
                  {METHOD_BUCKETS.map(
                    (b) => `${t(METHOD_BUCKET_LABELS[b])} ${tree.totals.byBucket[b]}`,
                  ).join(' · ')}
                </span>
              </Space>
            }
            description={
              v.status === 'draft'
                ? t({
                    zh: '草稿：修改直接保存在本版本，发布后生效。',
                    en: 'Draft: changes are saved in this version and take effect when published.',
                  })
                : t({
                    zh: '此版本在用：修改时自动生成新的草稿版本，本版本及引用它的数据保持不变。',
                    en: 'In use: a change creates a new draft version; this version and what refers to it stay as they are.',
                  })
            }
          />
          <Row gutter={16}>
            <Col xs={24} lg={11}>
              <Space style={{ marginBottom: 8 }} wrap>
                <Input.Search
                  allowClear
                  placeholder={t({ zh: '搜索编号或内容', en: 'Search code or text' })}
                  onSearch={setQ}
                  onChange={(e) => !e.target.value && setQ('')}
                  style={{ width: 240 }}
                  data-testid="tree-search"
                />
                {q && (
                  <Typography.Text type="secondary" data-testid="search-count">
                    {t({ zh: `匹配 ${matches.size} 项`, en: `${matches.size} match(es)` })}
                  </Typography.Text>
                )}
                <Button size="small" onClick={() => setExpanded(nodes.map((n) => n.id))}>
                  {t({ zh: '全部展开', en: 'Expand all' })}
                </Button>
                <Button size="small" onClick={() => setExpanded([])} data-testid="collapse-all">
                  {t({ zh: '收起', en: 'Collapse' })}
                </Button>
                {canWrite && (
                  <Button
                    size="small"
                    icon={<PlusOutlined />}
                    onClick={() => setAdding({ kind: 'item', parent: null })}
                    data-testid="add-item"
                  >
                    {t({ zh: '添加测评项目', en: 'Add item' })}
                  </Button>
                )}
              </Space>
              <div
                style={{
                  maxHeight: 640,
                  overflow: 'auto',
                  border: '1px solid #f0f0f0',
                  padding: 4,
                }}
              >
                <Tree
                  blockNode
                  showLine
                  draggable={canWrite ? { icon: false } : false}
                  allowDrop={allowDrop}
                  onDrop={onDrop}
                  treeData={treeData}
                  expandedKeys={expanded}
                  onExpand={(keys) => setExpanded(keys)}
                  selectedKeys={selected !== null ? [selected] : []}
                  onSelect={(_keys, info) => setSelected(Number(info.node.key))}
                  data-testid="framework-tree"
                />
              </div>
            </Col>
            <Col xs={24} lg={13}>
              <div style={{ position: 'sticky', top: 8 }}>
                <FrameworkNodeEditor
                  versionId={v.id}
                  node={selectedNode}
                  siblings={siblings}
                  editable={v.status === 'draft'}
                  canWrite={canWrite}
                  onWrite={(r) => void afterWrite(r)}
                  onAddChild={(kind, parent) => setAdding({ kind, parent })}
                />
              </div>
            </Col>
          </Row>
          <NegativeListCard
            versionId={v.id}
            items={tree.negativeItems}
            canWrite={canWrite}
            onWrite={(r) => void afterWrite(r)}
          />
          {can(Permission.ScoreRead) && (
            <NegativeHitsCard frameworkId={tree.framework.id} canWrite={canWrite} />
          )}
        </>
      )}
      {v && (
        <AddNodeModal
          versionId={v.id}
          add={adding}
          onClose={() => setAdding(null)}
          onWrite={(r) => void afterWrite(r)}
        />
      )}
      <FrameworkPublishModal
        versionId={publishing && tree ? tree.versionInfo.id : null}
        versionNumber={tree?.versionInfo.number ?? 0}
        version={tree?.versionInfo.version ?? 0}
        onClose={() => setPublishing(false)}
        onDone={() => void published()}
      />
      <FrameworkImportModal
        open={importOpen}
        campaigns={campaigns}
        campaignId={campaign?.id ?? campaigns[0]?.id ?? null}
        frameworkId={tree?.framework.id ?? null}
        onClose={() => setImportOpen(false)}
        // The import has read the campaigns again (their frameworks and versions) before this.
        onDone={(r) => {
          setSelected(null);
          setVersion(r.versionId);
        }}
      />
    </Card>
  );
}
