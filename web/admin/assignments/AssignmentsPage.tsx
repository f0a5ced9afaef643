import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import { keepPreviousData } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { TRowError } from '../../../core/contracts/common.js';
import {
  VERSION_STATUS_LABELS,
  type TAssignment,
  type TStandardNode,
} from '../../../core/contracts/frameworks.js';
import { METHOD_LABELS } from '../../../core/frameworks/methods.js';
import { Permission } from '../../../core/permissions.js';
import { ApiError, fileForm } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { AssignmentEditModal } from './AssignmentEditModal.js';
import { useImportPreview } from '../framework/FrameworkImportPreview.js';
import { CITY_CAMPAIGNS } from '../framework/city-campaigns.js';

/**
 * Imports a 任务分解 sheet onto a version through a preview: the tasks the clean rows make, the
 * rows that need a decision (unit names settled in place, collective parties defined), then the
 * import — of the whole sheet, or of its clean rows with the rest downloadable as an error sheet.
 */
function AssignmentImport(props: { versionId: number; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [rows, setRows] = useState<TRowError[] | null>(null);
  const [busy, setBusy] = useState(false);
  // The tasks and the matrix are read again once it is imported.
  const importSheet = useApiMutation('POST /api/framework-versions/:id/assignments/import', {
    invalidates: ['GET /api/framework-versions'],
  });
  const sheetImport = useImportPreview(props.versionId);
  const { file, preview } = sheetImport;
  const send = async () => {
    if (!file) return;
    setBusy(true);
    try {
      const r = await importSheet.mutateAsync({
        params: { id: props.versionId },
        query: sheetImport.importQuery(),
        body: fileForm(file, file.name),
      });
      message.success(
        t({
          zh: `已导入 ${r.assignments} 条任务（${r.standards} 条标准），替换原有 ${r.replaced} 条`,
          en: `Imported ${r.assignments} tasks (${r.standards} standards), replacing ${r.replaced}`,
        }),
      );
      sheetImport.reset();
      props.onDone();
    } catch (err) {
      if (err instanceof ApiError && err.rows.length) setRows(err.rows);
      else message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Upload
        accept=".xlsx"
        showUploadList={false}
        beforeUpload={(f) => {
          setRows(null);
          sheetImport.choose(f);
          return false;
        }}
      >
        <Button
          icon={<UploadOutlined />}
          loading={busy || sheetImport.previewing}
          data-testid="assignment-import"
        >
          {t({ zh: '导入任务分解表', en: 'Import task sheet' })}
        </Button>
      </Upload>
      <Modal
        open={file !== null && preview !== null}
        width={900}
        title={t({
          zh: `导入任务分解表：${file?.name ?? ''}`,
          en: `Import task sheet: ${file?.name ?? ''}`,
        })}
        onCancel={() => sheetImport.reset()}
        onOk={() => void send()}
        okText={sheetImport.okText()}
        okButtonProps={{
          id: 'assignment-import-ok',
          loading: busy || sheetImport.previewing,
          disabled: !preview || preview.missingColumns.length > 0,
        }}
        destroyOnHidden
      >
        {sheetImport.view('assignment-import-error-sheet')}
      </Modal>
      <Modal
        open={rows !== null}
        title={t({ zh: '导入失败：文件有错误', en: 'Import rejected: the file has errors' })}
        onCancel={() => setRows(null)}
        footer={<Button onClick={() => setRows(null)}>{t(L.common.close)}</Button>}
        width={780}
      >
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="import-errors"
          title={t({
            zh: `共 ${rows?.length ?? 0} 处错误，未导入任何数据。`,
            en: `${rows?.length ?? 0} error(s); nothing was imported.`,
          })}
        />
        <Table
          size="small"
          rowKey={(r) => `${r.row}-${r.column}-${r.reason}`}
          dataSource={rows ?? []}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t(L.common.row), dataIndex: 'row', width: 60 },
            { title: t(L.common.column), dataIndex: 'column', width: 100 },
            { title: t(L.common.reason), dataIndex: 'reason' },
          ]}
        />
      </Modal>
    </>
  );
}

interface MatrixRow {
  key: number;
  standard: TStandardNode;
  cells: Map<number, 'lead' | 'responsible'>;
}

/** 任务分解: standards × units (who leads, who shares), or the task list; filter by item. */
export function AssignmentsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [picked, setVersionId] = useState<number | null>(null);
  const [itemId, setItemId] = useState<number | undefined>(undefined);
  const [groupId, setGroupId] = useState<number | undefined>(undefined);
  const [view, setView] = useState<'matrix' | 'list'>('matrix');
  const [editing, setEditing] = useState<TAssignment | 'new' | null>(null);
  const writable = can(Permission.AssignmentWrite);

  const campaignsQ = useApi('GET /api/campaigns', CITY_CAMPAIGNS);
  const campaigns = campaignsQ.data?.items ?? [];
  // The first framework's version in force (or its draft) until the user picks another.
  const first = campaigns.flatMap((c) => c.frameworks)[0];
  const versionId = picked ?? first?.currentVersionId ?? first?.draftVersionId ?? null;
  const version = versionId ? { params: { id: versionId } } : null;
  const treeQ = useApi('GET /api/framework-versions/:id/tree', version);
  // Another working group's tasks: the last ones stay on screen until they come.
  const tasksQ = useApi(
    'GET /api/framework-versions/:id/assignments',
    version && { ...version, query: { groupId } },
    { placeholderData: keepPreviousData },
  );
  const groupsQ = useApi('GET /api/working-groups', versionId ? {} : null);
  // The matrix is drawn once the version's tasks are known too (never a tree without its tasks),
  // and never with another version's tasks.
  const tree = tasksQ.data ? (treeQ.data ?? null) : null;
  const tasks = useMemo(
    () => (tasksQ.data?.items ?? []).filter((a) => a.versionId === versionId),
    [tasksQ.data, versionId],
  );
  const groups = useMemo(() => groupsQ.data?.items ?? [], [groupsQ.data]);
  const loading = treeQ.isFetching || tasksQ.isFetching || groupsQ.isFetching;
  const failed = treeQ.error ?? tasksQ.error ?? groupsQ.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, lang, message]);
  /** Reads the version's tasks and tree again (after an edit in the dialog). */
  const load = () => Promise.all([treeQ.refetch(), tasksQ.refetch()]);
  const removeTask = useApiMutation('DELETE /api/assignments/:id', {
    invalidates: ['GET /api/framework-versions'],
  });

  const remove = async (a: TAssignment) => {
    try {
      await removeTask.mutateAsync({ params: { id: a.id }, query: { version: a.version } });
      message.success(t(L.common.deleted));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  const shown = useMemo(
    () => (itemId ? tasks.filter((a) => a.itemId === itemId) : tasks),
    [tasks, itemId],
  );
  // Units in the matrix: those with a task here, the busiest first.
  const units = useMemo(() => {
    const count = new Map<number, { id: number; name: string; n: number }>();
    for (const a of shown) {
      for (const u of [a.leadUnit, ...a.responsibleUnits]) {
        const c = count.get(u.id) ?? { ...u, n: 0 };
        c.n++;
        count.set(u.id, c);
      }
    }
    return [...count.values()].sort((a, b) => b.n - a.n || a.name.localeCompare(b.name));
  }, [shown]);
  const matrix = useMemo((): MatrixRow[] => {
    if (!tree) return [];
    const items = itemId ? tree.items.filter((i) => i.id === itemId) : tree.items;
    // A working group shows only the standards it owns.
    const group = groups.find((g) => g.id === groupId);
    const owned = group && new Set(group.standards.map((x) => x.standardKey));
    const byStandard = new Map<number, TAssignment[]>();
    for (const a of shown)
      byStandard.set(a.standardId, [...(byStandard.get(a.standardId) ?? []), a]);
    return items.flatMap((i) =>
      i.children.flatMap((c) =>
        c.children
          .filter((s) => !owned || owned.has(s.key))
          .map((s) => {
            const cells = new Map<number, 'lead' | 'responsible'>();
            for (const a of byStandard.get(s.id) ?? []) {
              for (const u of a.responsibleUnits)
                if (!cells.has(u.id)) cells.set(u.id, 'responsible');
              cells.set(a.leadUnit.id, 'lead');
            }
            return { key: s.id, standard: s, cells };
          }),
      ),
    );
  }, [tree, shown, itemId, groups, groupId]);
  const unassigned = matrix.filter((r) => r.cells.size === 0).length;

  const versionOptions = campaigns.flatMap((c) =>
    c.frameworks.map((f) => ({
      label: `${c.name} · ${f.name}`,
      options: f.versions.map((x) => ({
        value: x.id,
        label: `${f.name} v${x.number} · ${t(VERSION_STATUS_LABELS[x.status])}`,
      })),
    })),
  );

  return (
    <Card
      title={t(L.org.assignment)}
      extra={
        <Select
          style={{ width: 420, maxWidth: '50vw' }}
          value={versionId ?? undefined}
          onChange={(v: number) => {
            setItemId(undefined);
            setVersionId(v);
          }}
          options={versionOptions}
          data-testid="assignment-version"
        />
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t({ zh: '全部测评项目', en: 'All items' })}
          style={{ width: 260 }}
          value={itemId}
          onChange={(v?: number) => setItemId(v)}
          options={(tree?.items ?? []).map((i) => ({ value: i.id, label: `${i.code} ${i.text}` }))}
          data-testid="assignment-item"
        />
        <Select
          allowClear
          placeholder={t(L.org.allWorkingGroups)}
          style={{ width: 200 }}
          value={groupId}
          onChange={(v?: number) => setGroupId(v)}
          options={groups.map((g) => ({ value: g.id, label: g.name }))}
          data-testid="assignment-group"
        />
        <Segmented
          value={view}
          onChange={(v) => setView(v as 'matrix' | 'list')}
          options={[
            { value: 'matrix', label: t({ zh: '矩阵', en: 'Matrix' }) },
            { value: 'list', label: t(L.common.list) },
          ]}
        />
        {versionId && writable && (
          <AssignmentImport versionId={versionId} onDone={() => void load()} />
        )}
        {versionId && writable && (
          <Button
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="assignment-new"
          >
            {t({ zh: '新增任务', en: 'New task' })}
          </Button>
        )}
        {versionId && (
          <Button
            icon={<DownloadOutlined />}
            href={`/api/framework-versions/${versionId}/export.xlsx`}
          >
            {t(L.common.exportExcel)}
          </Button>
        )}
        {tree && (
          <Typography.Text type="secondary" data-testid="assignment-summary">
            {t({
              zh: `${matrix.length} 条标准、${shown.length} 条任务、${units.length} 个单位；未分解 ${unassigned} 条`,
              en: `${matrix.length} standards, ${shown.length} tasks, ${units.length} units; ${unassigned} without a task`,
            })}
          </Typography.Text>
        )}
      </Space>
      {!versionId && <Empty description={t({ zh: '尚无测评体系', en: 'No framework yet' })} />}
      {view === 'matrix' ? (
        <Table<MatrixRow>
          size="small"
          bordered
          loading={loading}
          dataSource={matrix}
          pagination={false}
          scroll={{ x: 460 + units.length * 56, y: 620 }}
          data-testid="assignment-matrix"
          columns={[
            {
              title: t(L.common.code),
              width: 80,
              fixed: 'left',
              render: (_: unknown, r) => r.standard.code,
            },
            {
              title: t(L.framework.standard),
              width: 300,
              fixed: 'left',
              ellipsis: { showTitle: false },
              render: (_: unknown, r) => (
                <Tooltip title={r.standard.text}>
                  {r.cells.size === 0 ? (
                    <Tag color="red">{t({ zh: '未分解', en: 'None' })}</Tag>
                  ) : null}
                  {r.standard.text}
                </Tooltip>
              ),
            },
            {
              title: t({ zh: '方法', en: 'Method' }),
              width: 80,
              fixed: 'left',
              render: (_: unknown, r) =>
                r.standard.method ? t(METHOD_LABELS[r.standard.method]) : '',
            },
            ...units.map((u) => ({
              title: (
                <div
                  style={{ writingMode: 'vertical-rl' as const, maxHeight: 150, margin: '0 auto' }}
                >
                  {u.name}
                </div>
              ),
              key: `u${u.id}`,
              width: 56,
              align: 'center' as const,
              render: (_: unknown, r: MatrixRow) => {
                const role = r.cells.get(u.id);
                if (!role) return null;
                return role === 'lead' ? (
                  <Tag color="volcano" style={{ marginInlineEnd: 0 }}>
                    {t({ zh: '牵', en: 'L' })}
                  </Tag>
                ) : (
                  <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                    {t({ zh: '责', en: 'R' })}
                  </Tag>
                );
              },
            })),
          ]}
        />
      ) : (
        <Table<TAssignment>
          size="small"
          rowKey="id"
          loading={loading}
          dataSource={shown}
          pagination={{ pageSize: 50 }}
          data-testid="assignment-list"
          // The imported sheet's columns the platform does not read (联系人, 序号…), as they came.
          expandable={{
            rowExpandable: (a) => Object.keys(a.extra).length > 0,
            expandedRowRender: (a) => (
              <Descriptions
                size="small"
                column={{ xs: 1, md: 2, xl: 3 }}
                title={
                  <Typography.Text type="secondary">
                    {t({ zh: '其他列', en: 'Other columns' })}
                  </Typography.Text>
                }
                items={Object.entries(a.extra).map(([h, v]) => ({
                  key: h,
                  label: h,
                  children: <span style={{ whiteSpace: 'pre-line' }}>{v}</span>,
                }))}
              />
            ),
          }}
          columns={[
            { title: t(L.common.code), dataIndex: 'standardCode', width: 90 },
            { title: t(L.framework.standard), dataIndex: 'standardText' },
            {
              title: t(L.org.leadUnit),
              width: 170,
              render: (_: unknown, a) => a.leadUnit.name,
            },
            {
              title: t(L.org.responsibleUnit),
              width: 220,
              render: (_: unknown, a) => a.responsibleUnits.map((u) => u.name).join('、'),
            },
            { title: t(L.org.leader), dataIndex: 'leaderName', width: 100 },
            {
              title: t(L.common.timeLimit),
              width: 110,
              render: (_: unknown, a) => a.dueDate ?? a.dueText ?? '',
            },
            { title: t(L.common.notes), dataIndex: 'notes', width: 120 },
            ...(writable
              ? [
                  {
                    title: t(L.common.actions),
                    key: 'actions',
                    width: 110,
                    render: (_: unknown, a: TAssignment) => (
                      <Space>
                        <a onClick={() => setEditing(a)} data-testid={`assignment-edit-${a.id}`}>
                          {t(L.common.edit)}
                        </a>
                        <Popconfirm
                          title={t({ zh: '删除该任务？', en: 'Delete this task?' })}
                          onConfirm={() => void remove(a)}
                        >
                          <a>{t(L.common.delete)}</a>
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {view === 'matrix' && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          <Tag color="volcano">{t({ zh: '牵', en: 'L' })}</Tag>
          {t(L.org.leadUnit)}
          <Tag color="blue" style={{ marginLeft: 12 }}>
            {t({ zh: '责', en: 'R' })}
          </Tag>
          {t(L.org.responsibleUnit)}
        </Typography.Paragraph>
      )}
      {versionId && (
        <AssignmentEditModal
          versionId={versionId}
          editing={editing}
          standards={(tree?.items ?? []).flatMap((i) => i.children.flatMap((c) => c.children))}
          onClose={() => setEditing(null)}
          onSaved={() => void load()}
        />
      )}
    </Card>
  );
}
