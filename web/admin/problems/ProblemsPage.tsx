import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Grid,
  Input,
  List,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import {
  PROBLEM_CHANNEL_LABELS,
  PROBLEM_CHANNELS,
  type TProblem,
} from '../../../core/contracts/problems.js';
import { ESCALATION_LABELS } from '../../../core/problems/escalation.js';
import { PROBLEM_STATE_LABELS, PROBLEM_STATES } from '../../../core/problems/lifecycle.js';
import { Permission } from '../../../core/permissions.js';
import { qs } from '../../shared/api.js';
import { useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { ExportButton } from '../ImportButton.js';
import { RegionPicker, UnitPicker } from '../../shared/pickers.js';
import { Countdown, EscalationTag, StateTag } from '../../shared/problem-tags.js';
import { categoryTree, useCategories } from '../../shared/use-categories.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';
import { useAuth } from '../auth.js';
import { Pager } from '../Pager.js';
import { NewProblemModal } from './NewProblemModal.js';

type Filters = PageFilters<'GET /api/problems'>;

/** The ledger (问题台账): the office sees the campaign, a unit its own problems; phones get cards. */
export function ProblemsPage() {
  const { t } = useI18n();
  const { can, user, cityLevel } = useAuth();
  const navigate = useNavigate();
  const wide = Grid.useBreakpoint().md ?? true;
  const isUnit = user?.roles.includes('unit') ?? false;
  // A unit's first view is its open work, most urgent first.
  const [filters, setFilters] = useState<Filters>(
    isUnit ? { state: 'dispatched,submitted', sort: 'deadline', order: 'asc' } : {},
  );
  const list = useApiPages('GET /api/problems', filters);
  const categories = useCategories();
  const [creating, setCreating] = useState(false);
  const { message, modal } = App.useApp();
  const { lang } = useI18n();
  const [selected, setSelected] = useState<TProblem[]>([]);
  const [bulkOpen, setBulkOpen] = useState(false);
  const [bulkUnit, setBulkUnit] = useState<number | null>(null);
  const dispatchable = selected.filter((p) => p.state === 'registered' || p.state === 'returned');

  const dispatch = useApiMutation('POST /api/problems/bulk-dispatch');

  const bulkDispatch = async () => {
    if (!bulkUnit) return;
    try {
      // The ledger is refetched once they are dispatched (the mutation invalidates it).
      const res = await dispatch.mutateAsync({
        body: {
          unitId: bulkUnit,
          items: dispatchable.map((p) => ({ id: p.id, version: p.version })),
        },
      });
      const failed = res.results.filter((r) => !r.ok);
      setBulkOpen(false);
      setSelected([]);
      if (failed.length === 0) {
        message.success(
          t({
            zh: `已派遣 ${res.results.length} 个问题`,
            en: `Dispatched ${res.results.length} problem(s)`,
          }),
        );
      } else {
        modal.warning({
          title: t({
            zh: `${failed.length} 个问题未能派遣`,
            en: `${failed.length} problem(s) not dispatched`,
          }),
          content: (
            <div style={{ whiteSpace: 'pre-line' }}>
              {failed
                .map(
                  (f) =>
                    `${list.items.find((p) => p.id === f.id)?.code ?? f.id}: ${f.message ?? ''}`,
                )
                .join('\n')}
            </div>
          ),
        });
      }
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
  const set = <F extends keyof Filters>(k: F, v: Filters[F] | null | '') =>
    setFilters((f) => ({ ...f, [k]: v === null || v === '' ? undefined : v }));
  const open = (p: TProblem) => void navigate(`/problems/${p.id}`);

  const filterBar = (
    <Space wrap style={{ marginBottom: 12 }}>
      <Input.Search
        allowClear
        placeholder={t({ zh: '编号 / 标题 / 地址', en: 'Code / title / address' })}
        onSearch={(v) => set('q', v)}
        style={{ width: wide ? 220 : '100%' }}
        data-testid="problem-search"
      />
      <Select
        mode="multiple"
        allowClear
        placeholder={t(L.common.status)}
        style={{ minWidth: 160 }}
        defaultValue={typeof filters.state === 'string' ? filters.state.split(',') : []}
        options={PROBLEM_STATES.map((s) => ({ value: s, label: t(PROBLEM_STATE_LABELS[s]) }))}
        onChange={(v: string[]) => set('state', v.join(','))}
        data-testid="filter-state"
      />
      <Select
        mode="multiple"
        allowClear
        placeholder={t(L.problems.escalationLevel)}
        style={{ minWidth: 140 }}
        options={(['red', 'yellow', 'blue', 'none'] as const).map((l) => ({
          value: l,
          label: t(ESCALATION_LABELS[l]),
        }))}
        onChange={(v: string[]) => set('escalation', v.join(','))}
      />
      {wide && (
        <>
          <Select
            mode="multiple"
            allowClear
            placeholder={t(L.problems.channel)}
            style={{ minWidth: 130 }}
            options={PROBLEM_CHANNELS.map((c) => ({
              value: c,
              label: t(PROBLEM_CHANNEL_LABELS[c]),
            }))}
            onChange={(v: string[]) => set('channel', v.join(','))}
          />
          <TreeSelect
            allowClear
            placeholder={t(L.problems.problemCategory)}
            style={{ width: 160 }}
            treeData={categoryTree(categories)}
            onChange={(v?: number) => set('categoryId', v)}
          />
          {!isUnit && (
            <UnitPicker
              placeholder={t(L.org.responsibleUnit)}
              style={{ width: 180 }}
              onChange={(v) => set('unitId', v)}
            />
          )}
          <RegionPicker
            placeholder={t(L.org.regionArea)}
            style={{ width: 150 }}
            onChange={(v) => set('regionId', v)}
          />
        </>
      )}
      {/* The city office's queue: a district or street office's unplaced problems are its own. */}
      {can(Permission.ProblemManage) && cityLevel && (
        <Tooltip
          title={t({
            zh: '没有所属区域的问题：没有位置，或位置不在任何网格和区划边界内，待市级办公室确定区域',
            en: 'Problems with no region: no position, or one outside every grid and region boundary — for the city office to place',
          })}
        >
          <Tag.CheckableTag
            checked={filters.located === 'none'}
            onChange={(on) => set('located', on ? 'none' : undefined)}
            data-testid="filter-unlocated"
          >
            {t({ zh: '未定位', en: 'No region' })}
          </Tag.CheckableTag>
        </Tooltip>
      )}
      {can(Permission.ProblemManage) && (
        <Select
          allowClear
          style={{ width: 150 }}
          placeholder={t(L.problems.handedDown)}
          value={typeof filters.handDown === 'string' ? filters.handDown : undefined}
          options={[
            { value: 'waiting', label: t({ zh: '待下级派遣', en: 'Waiting for dispatch' }) },
            { value: 'overdue', label: t(L.problems.handDownsOverdue) },
          ]}
          onChange={(v?: 'waiting' | 'overdue') => set('handDown', v)}
          data-testid="filter-hand-down"
        />
      )}
      {can(Permission.ProblemManage) && wide && (
        <Button
          disabled={dispatchable.length === 0}
          onClick={() => setBulkOpen(true)}
          data-testid="bulk-dispatch"
        >
          {t({
            zh: `批量派遣（${dispatchable.length}）`,
            en: `Dispatch selected (${dispatchable.length})`,
          })}
        </Button>
      )}
      <ExportButton
        href={`/api/problems/export.xlsx${qs({ ...filters, sort: undefined, order: undefined })}`}
      />
      {can(Permission.ProblemReport) && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="problem-new"
        >
          {t({ zh: '登记问题', en: 'New problem' })}
        </Button>
      )}
    </Space>
  );

  return (
    <Card title={isUnit ? t({ zh: '我的问题', en: 'My problems' }) : t(L.problems.ledger)}>
      {filterBar}
      {wide ? (
        <Table<TProblem>
          rowKey="id"
          size="middle"
          loading={list.loading}
          dataSource={list.items}
          pagination={false}
          scroll={{ x: 1200 }}
          onRow={(p) => ({ onClick: () => open(p), style: { cursor: 'pointer' } })}
          rowSelection={
            can(Permission.ProblemManage)
              ? {
                  selectedRowKeys: selected.map((p) => p.id),
                  onChange: (_keys, rows) => setSelected(rows),
                  getCheckboxProps: (p) => ({
                    disabled: p.state !== 'registered' && p.state !== 'returned',
                  }),
                }
              : undefined
          }
          onChange={(_p, _f, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            setFilters((f) => ({
              ...f,
              sort: s?.order ? (s.field === 'deadline' ? 'deadline' : 'createdAt') : undefined,
              order: s?.order === 'ascend' ? 'asc' : s?.order === 'descend' ? 'desc' : undefined,
            }));
          }}
          columns={[
            { title: t(L.common.code), dataIndex: 'code', width: 140 },
            { title: t(L.problems.problem), dataIndex: 'title', width: 220 },
            { title: t(L.common.category), dataIndex: 'categoryName', width: 120 },
            {
              title: t(L.common.status),
              key: 'state',
              width: 170,
              render: (_: unknown, p: TProblem) => (
                <Space size={2}>
                  <StateTag state={p.state} />
                  <EscalationTag level={p.escalation} />
                </Space>
              ),
            },
            { title: t(L.org.responsibleUnit), dataIndex: 'unitName', width: 170 },
            {
              title: t(L.problems.rectifyDeadline),
              dataIndex: 'deadline',
              width: 170,
              sorter: true,
              render: (d: string | null, p: TProblem) =>
                d ? (
                  <div>
                    <div>{formatTime(d)}</div>
                    {p.state === 'dispatched' && <Countdown deadline={d} />}
                  </div>
                ) : null,
            },
            {
              title: t(L.problems.channel),
              dataIndex: 'channel',
              width: 110,
              render: (c: TProblem['channel']) => t(PROBLEM_CHANNEL_LABELS[c]),
            },
            { title: t(L.org.regionArea), dataIndex: 'regionName', width: 100 },
            {
              title: t({ zh: '登记时间', en: 'Reported' }),
              dataIndex: 'createdAt',
              width: 150,
              sorter: true,
              render: (v: string) => formatTime(v),
            },
          ]}
        />
      ) : (
        <List<TProblem>
          loading={list.loading}
          dataSource={list.items}
          renderItem={(p) => (
            <List.Item
              onClick={() => open(p)}
              style={{ cursor: 'pointer' }}
              data-testid="problem-card"
            >
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <Typography.Text strong>{p.title}</Typography.Text>
                    <EscalationTag level={p.escalation} />
                  </Space>
                }
                description={
                  <Space orientation="vertical" size={0}>
                    <span>
                      {p.code} · {p.categoryName}
                    </span>
                    <Space size={4}>
                      <StateTag state={p.state} />
                      {p.state === 'dispatched' && <Countdown deadline={p.deadline} />}
                    </Space>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      )}
      <Pager {...list} />
      <Modal
        open={bulkOpen}
        title={t({
          zh: `批量派遣 ${dispatchable.length} 个问题`,
          en: `Dispatch ${dispatchable.length} problem(s)`,
        })}
        onOk={() => void bulkDispatch()}
        okButtonProps={{ disabled: !bulkUnit }}
        onCancel={() => setBulkOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {t({
            zh: '整改期限按各问题类别的规定工作日计算。',
            en: 'Deadlines follow each category rule in working days.',
          })}
        </Typography.Paragraph>
        <UnitPicker placeholder={t(L.org.responsibleUnit)} onChange={setBulkUnit} />
      </Modal>
      <NewProblemModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          void navigate(`/problems/${id}`);
        }}
      />
    </Card>
  );
}
