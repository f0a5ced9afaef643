import {
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  Modal,
  Progress,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type {
  TStarCoverageRow,
  TStarCriterion,
  TStarHousehold,
  TStarRating,
} from '../../../core/contracts/star-households.js';
import { STAR_RATING_STATUS_LABELS, currentStarYear } from '../../../core/star-households/stars.js';
import { administeredRegionOf } from '../../../core/org/grants.js';
import { Permission } from '../../../core/permissions.js';
import type { ApiBody } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { blankToNull, errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { RegionPicker } from '../../shared/pickers.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';
import { useAuth } from '../auth.js';
import { Pager } from '../Pager.js';

type Filters = PageFilters<'GET /api/star-households'>;
type HouseholdForm = ApiBody<'POST /api/star-households'>;
type StatusFilter = NonNullable<Filters['status']>;

const STATUS_COLORS = { proposed: 'gold', approved: 'green', returned: 'red' } as const;
const THIS_YEAR = currentStarYear();
const YEARS = [THIS_YEAR, THIS_YEAR - 1, THIS_YEAR - 2];

/**
 * 文明家庭 / 十星级文明户: households of the grids by community, their stars of the year proposed
 * and reviewed here, a ten-star household registered as a 文明家庭, coverage per community, and
 * (the city office) the list of stars.
 */
export function StarHouseholdsPage() {
  const { t, lang } = useI18n();
  const { can, user, cityLevel } = useAuth();
  const { message } = App.useApp();
  const [year, setYear] = useState(THIS_YEAR);
  const [regionId, setRegionId] = useState<number | null>(null);
  const [status, setStatus] = useState<StatusFilter | undefined>(undefined);
  const [q, setQ] = useState('');
  const [registering, setRegistering] = useState(false);
  const [editing, setEditing] = useState<TStarHousehold | null>(null);
  const [proposing, setProposing] = useState<TStarHousehold | null>(null);
  const [reviewing, setReviewing] = useState<TStarHousehold | null>(null);
  const [honouring, setHonouring] = useState<TStarHousehold | null>(null);
  const within = user ? administeredRegionOf(user) : null;
  const mayPropose = can(Permission.StarPropose);
  const mayReview = can(Permission.StarReview);
  const mayHonour = mayReview && can(Permission.UnitWrite);

  const filters: Filters = {
    year,
    ...(regionId ? { regionId } : {}),
    ...(status ? { status } : {}),
    ...(q ? { q } : {}),
  };
  const list = useApiPages('GET /api/star-households', filters);
  const coverageQ = useApi('GET /api/star-households/coverage', { query: { year } });
  const criteriaQ = useApi('GET /api/star-households/criteria', {});
  const criteria = useMemo(() => criteriaQ.data?.items ?? [], [criteriaQ.data]);
  const starName = useMemo(() => {
    const m = new Map(criteria.map((c) => [c.code, lang === 'en' ? c.nameEn : c.name]));
    return (code: string) => m.get(code) ?? code;
  }, [criteria, lang]);
  const failed = list.error ?? coverageQ.error ?? criteriaQ.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, lang, message]);

  const columns = [
    {
      title: t({ zh: '户主', en: 'Head of household' }),
      key: 'headName',
      render: (_: unknown, h: TStarHousehold) => (
        <Space size={4}>
          {h.headName}
          {!h.active && <Tag>{t(L.common.deactivated)}</Tag>}
        </Space>
      ),
    },
    {
      title: t({ zh: '住址', en: 'Address' }),
      key: 'address',
      render: (_: unknown, h: TStarHousehold) => (
        <Space orientation="vertical" size={0}>
          <span>{h.address}</span>
          {h.building && (
            <Typography.Text type="secondary">
              {t({ zh: '公示：', en: 'Shown as: ' })}
              {h.building}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t({ zh: '社区 / 网格', en: 'Community / grid' }),
      key: 'place',
      render: (_: unknown, h: TStarHousehold) => `${h.regionName} / ${h.gridName}`,
    },
    {
      title: t({ zh: '电话', en: 'Phone' }),
      dataIndex: 'phone',
      key: 'phone',
      render: (p: string | null) => p ?? '—',
    },
    {
      title: t({ zh: '星级（本年度）', en: 'Stars (this year)' }),
      key: 'rating',
      render: (_: unknown, h: TStarHousehold) => (
        <RatingCell rating={h.rating} starName={starName} />
      ),
    },
    {
      title: t(L.common.actions),
      key: 'actions',
      render: (_: unknown, h: TStarHousehold) => {
        const r = h.rating;
        return (
          <Space wrap>
            {mayPropose && (
              <Button size="small" onClick={() => setEditing(h)} data-testid={`edit-${h.id}`}>
                {t(L.common.edit)}
              </Button>
            )}
            {mayPropose && h.active && r?.status !== 'approved' && (
              <Button size="small" onClick={() => setProposing(h)} data-testid={`propose-${h.id}`}>
                {r
                  ? t({ zh: '重新评星', en: 'Propose again' })
                  : t({ zh: '评星', en: 'Propose stars' })}
              </Button>
            )}
            {mayReview && r?.status === 'proposed' && r.proposedById !== user?.id && (
              <Button
                size="small"
                type="primary"
                onClick={() => setReviewing(h)}
                data-testid={`review-${h.id}`}
              >
                {t({ zh: '审核', en: 'Review' })}
              </Button>
            )}
            {mayHonour && r?.tenStar && r.honourId === null && (
              <Button size="small" onClick={() => setHonouring(h)} data-testid={`honour-${h.id}`}>
                {t({ zh: '登记为文明家庭', en: 'Register as civilized family' })}
              </Button>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={t({ zh: '十星级文明户覆盖率', en: 'Star households coverage' })}
        extra={
          <Select
            value={year}
            onChange={setYear}
            options={YEARS.map((y) => ({ value: y, label: t({ zh: `${y} 年度`, en: `${y}` }) }))}
            style={{ width: 120 }}
            data-testid="year"
          />
        }
      >
        <CoverageTable rows={coverageQ.data?.items ?? []} loading={coverageQ.isFetching} />
      </Card>
      <Card
        title={t({ zh: '住户与星级评定', en: 'Households and ratings' })}
        extra={
          mayPropose && (
            <Button type="primary" onClick={() => setRegistering(true)} data-testid="household-new">
              {t({ zh: '登记住户', en: 'Register a household' })}
            </Button>
          )
        }
      >
        <Space wrap style={{ marginBottom: 12 }}>
          <RegionPicker
            value={regionId}
            onChange={setRegionId}
            within={within}
            placeholder={t({ zh: '社区（含下级）', en: 'Community (and below)' })}
            style={{ width: 220 }}
          />
          <Select<StatusFilter>
            allowClear
            value={status}
            onChange={(v) => setStatus(v)}
            placeholder={t({ zh: '评定状态', en: 'Rating status' })}
            style={{ width: 140 }}
            data-testid="status-filter"
            options={[
              { value: 'unrated', label: t({ zh: '未评定', en: 'Not rated' }) },
              ...(['proposed', 'approved', 'returned'] as const).map((s) => ({
                value: s,
                label: t(STAR_RATING_STATUS_LABELS[s]),
              })),
            ]}
          />
          <Input.Search
            allowClear
            placeholder={t({ zh: '户主或住址', en: 'Head or address' })}
            onSearch={(v) => setQ(v.trim())}
            style={{ width: 220 }}
          />
        </Space>
        <Table<TStarHousehold>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.items}
          columns={columns}
          pagination={false}
          data-testid="households"
        />
        <Pager
          total={list.total}
          pageNumber={list.pageNumber}
          hasPrev={list.hasPrev}
          hasNext={list.hasNext}
          prev={list.prev}
          next={list.next}
        />
      </Card>
      {mayReview && cityLevel && <CriteriaCard criteria={criteria} />}
      <HouseholdModal
        open={registering || editing !== null}
        editing={editing}
        onClose={() => {
          setRegistering(false);
          setEditing(null);
        }}
      />
      <ProposeModal
        household={proposing}
        year={year}
        criteria={criteria}
        onClose={() => setProposing(null)}
      />
      <ReviewModal household={reviewing} starName={starName} onClose={() => setReviewing(null)} />
      <HonourModal household={honouring} onClose={() => setHonouring(null)} />
    </Space>
  );
}

function RatingCell({
  rating,
  starName,
}: {
  rating: TStarRating | null;
  starName: (code: string) => string;
}) {
  const { t } = useI18n();
  if (!rating)
    return (
      <Typography.Text type="secondary">{t({ zh: '未评定', en: 'Not rated' })}</Typography.Text>
    );
  return (
    <Space orientation="vertical" size={0}>
      <Space size={4} wrap>
        <Tag color={STATUS_COLORS[rating.status]}>
          {t(STAR_RATING_STATUS_LABELS[rating.status])}
        </Tag>
        <span data-testid={`stars-${rating.householdId}`}>★ {rating.starCount}</span>
        {rating.tenStar && <Tag color="magenta">{t({ zh: '十星级', en: 'Ten stars' })}</Tag>}
        {rating.honourId !== null && (
          <Tag color="blue">{t({ zh: '文明家庭', en: 'Civilized family' })}</Tag>
        )}
      </Space>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {rating.stars.map(starName).join('、')}
      </Typography.Text>
      {rating.status === 'returned' && rating.returnReason && (
        <Typography.Text type="danger" style={{ fontSize: 12 }}>
          {t({ zh: '退回原因：', en: 'Returned: ' })}
          {rating.returnReason}
        </Typography.Text>
      )}
    </Space>
  );
}

/** Per community: households registered, rated, pending, ten-star; the stars distribution. */
function CoverageTable({ rows, loading }: { rows: TStarCoverageRow[]; loading: boolean }) {
  const { t } = useI18n();
  return (
    <Table<TStarCoverageRow>
      rowKey="regionId"
      size="small"
      loading={loading}
      dataSource={rows}
      pagination={false}
      data-testid="coverage"
      columns={[
        { title: t(L.org.community), dataIndex: 'regionName', key: 'regionName' },
        {
          title: t({ zh: '登记户数', en: 'Registered' }),
          dataIndex: 'households',
          key: 'households',
        },
        { title: t({ zh: '已评定', en: 'Rated' }), dataIndex: 'rated', key: 'rated' },
        { title: t({ zh: '待审核', en: 'Pending' }), dataIndex: 'proposed', key: 'proposed' },
        { title: t({ zh: '已退回', en: 'Returned' }), dataIndex: 'returned', key: 'returned' },
        { title: t({ zh: '十星级', en: 'Ten stars' }), dataIndex: 'tenStar', key: 'tenStar' },
        {
          title: t({ zh: '覆盖率', en: 'Coverage' }),
          key: 'rate',
          render: (_: unknown, r) => (
            <Progress percent={Math.round(r.rate * 100)} size="small" style={{ width: 120 }} />
          ),
        },
        {
          title: t({ zh: '星级分布', en: 'Stars distribution' }),
          key: 'distribution',
          render: (_: unknown, r) =>
            r.distribution
              .map((n, stars) => ({ n, stars }))
              .filter((x) => x.n > 0)
              .reverse()
              .map((x) => `${x.stars}★×${x.n}`)
              .join(' · ') || '—',
        },
      ]}
    />
  );
}

/**
 * Registers a household in one of the grids the user may work in, or edits one (`editing`): the
 * phone is shown masked, so an edit sends it only when a new one is typed.
 */
function HouseholdModal({
  open,
  editing,
  onClose,
}: {
  open: boolean;
  editing: TStarHousehold | null;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<HouseholdForm & { active?: boolean }>();
  const grids = useApi('GET /api/grids', open ? {} : null);
  const create = useApiMutation('POST /api/star-households');
  const edit = useApiMutation('PATCH /api/star-households/:id');
  useEffect(() => {
    if (!open) return;
    form.setFieldsValue(
      editing
        ? {
            gridId: editing.gridId,
            headName: editing.headName,
            address: editing.address,
            building: editing.building ?? '',
            phone: '',
            active: editing.active,
          }
        : { phone: '', active: true },
    );
  }, [open, editing, form]);
  async function save() {
    const v = await form.validateFields();
    try {
      if (editing) {
        const { active, phone, ...rest } = v;
        await edit.mutateAsync({
          params: { id: editing.id },
          body: {
            ...rest,
            version: editing.version,
            building: blankToNull(v.building),
            ...(phone ? { phone } : {}),
            ...(active !== undefined ? { active } : {}),
          },
        });
        message.success(t(L.common.saved));
      } else {
        const { active: _active, ...rest } = v;
        await create.mutateAsync({
          body: { ...rest, building: blankToNull(v.building), phone: blankToNull(v.phone) },
        });
        message.success(t({ zh: '已登记', en: 'Registered' }));
      }
      form.resetFields();
      onClose();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }
  return (
    <Modal
      open={open}
      title={
        editing
          ? t({ zh: `编辑住户：${editing.headName}`, en: `Edit household: ${editing.headName}` })
          : t({ zh: '登记住户', en: 'Register a household' })
      }
      onOk={() => void save()}
      onCancel={onClose}
      confirmLoading={create.isPending || edit.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="gridId" label={t(L.grids.grid)} rules={[{ required: true }]}>
          <Select
            id="household-grid"
            showSearch={{ optionFilterProp: 'label' }}
            options={(grids.data?.items ?? []).map((g) => ({
              value: g.id,
              label: `${g.regionName} · ${g.name}`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="headName"
          label={t({ zh: '户主', en: 'Head of household' })}
          rules={[{ required: true, max: 30 }]}
        >
          <Input id="household-head" />
        </Form.Item>
        <Form.Item
          name="address"
          label={t({ zh: '住址（不公开）', en: 'Address (private)' })}
          rules={[{ required: true, max: 200 }]}
        >
          <Input id="household-address" />
        </Form.Item>
        <Form.Item
          name="building"
          label={t({
            zh: '楼栋/单元（公示用，不含门牌）',
            en: 'Building/unit (shown publicly, no flat)',
          })}
          rules={[{ max: 60 }]}
        >
          <Input id="household-building" />
        </Form.Item>
        <Form.Item name="phone" label={t({ zh: '电话（不公开）', en: 'Phone (private)' })}>
          <Input
            id="household-phone"
            placeholder={
              editing?.phone
                ? t({
                    zh: `${editing.phone}（不修改请留空）`,
                    en: `${editing.phone} (blank: unchanged)`,
                  })
                : undefined
            }
          />
        </Form.Item>
        {editing && (
          <Form.Item
            name="active"
            label={t({
              zh: '在册（停用后不再评星、不计入覆盖率）',
              en: 'In use (a retired household is not rated or counted)',
            })}
            valuePropName="checked"
          >
            <Switch id="household-active" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** Proposes the stars of the year: one checkbox per active star. */
function ProposeModal({
  household,
  year,
  criteria,
  onClose,
}: {
  household: TStarHousehold | null;
  year: number;
  criteria: TStarCriterion[];
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [stars, setStars] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const propose = useApiMutation('POST /api/star-households/:id/ratings');
  useEffect(() => {
    setStars(household?.rating?.stars ?? []);
    setNote(household?.rating?.note ?? '');
  }, [household]);
  const active = criteria.filter((c) => c.active);
  async function save() {
    if (!household) return;
    try {
      await propose.mutateAsync({
        params: { id: household.id },
        body: {
          year,
          stars,
          note: note.trim() || null,
          clientId: crypto.randomUUID(),
          ...(household.rating ? { version: household.rating.version } : {}),
        },
      });
      message.success(t({ zh: '已提交审核', en: 'Sent for review' }));
      onClose();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }
  return (
    <Modal
      open={household !== null}
      title={t({
        zh: `评星：${household?.headName ?? ''}（${year} 年度）`,
        en: `Stars: ${household?.headName ?? ''} (${year})`,
      })}
      onOk={() => void save()}
      onCancel={onClose}
      confirmLoading={propose.isPending}
      destroyOnHidden
    >
      <Checkbox.Group
        value={stars}
        onChange={(v) => setStars(v)}
        style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}
        data-testid="propose-stars"
        options={active.map((c) => ({ value: c.code, label: lang === 'en' ? c.nameEn : c.name }))}
      />
      <Typography.Paragraph style={{ marginTop: 12 }}>
        {t({ zh: `已选 ${stars.length} 颗星`, en: `${stars.length} stars chosen` })}
      </Typography.Paragraph>
      <Input.TextArea
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={500}
        placeholder={t({ zh: '事迹或说明（可选）', en: 'Deeds or remarks (optional)' })}
        data-testid="propose-note"
      />
    </Modal>
  );
}

/** Approves a proposal, or returns it with a reason. */
function ReviewModal({
  household,
  starName,
  onClose,
}: {
  household: TStarHousehold | null;
  starName: (code: string) => string;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [decision, setDecision] = useState<'approve' | 'return'>('approve');
  const [reason, setReason] = useState('');
  // Its list and coverage are under /api/star-households, not /api/star-ratings.
  const review = useApiMutation('POST /api/star-ratings/:id/review', {
    invalidates: ['GET /api/star-households'],
  });
  useEffect(() => {
    setDecision('approve');
    setReason('');
  }, [household]);
  const r = household?.rating;
  async function save() {
    if (!r) return;
    if (decision === 'return' && !reason.trim()) {
      message.error(t({ zh: '退回须说明原因', en: 'a returned rating needs a reason' }));
      return;
    }
    try {
      await review.mutateAsync({
        params: { id: r.id },
        body: {
          version: r.version,
          decision,
          ...(decision === 'return' ? { reason: reason.trim() } : {}),
        },
      });
      message.success(
        decision === 'approve'
          ? t({
              zh: '已通过，将在社区公示栏公布',
              en: "Approved: it goes on the community's board",
            })
          : t({ zh: '已退回', en: 'Returned' }),
      );
      onClose();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }
  return (
    <Modal
      open={household !== null}
      title={t({
        zh: `审核：${household?.headName ?? ''}`,
        en: `Review: ${household?.headName ?? ''}`,
      })}
      onOk={() => void save()}
      onCancel={onClose}
      confirmLoading={review.isPending}
      destroyOnHidden
    >
      {r && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            {t({ zh: `申报 ${r.starCount} 颗星`, en: `${r.starCount} stars proposed` })}
            {r.proposedByName && ` · ${r.proposedByName}`}
          </Typography.Text>
          <Space size={4} wrap>
            {r.stars.map((s) => (
              <Tag key={s}>{starName(s)}</Tag>
            ))}
          </Space>
          {r.note && <Typography.Paragraph type="secondary">{r.note}</Typography.Paragraph>}
          <Radio.Group
            value={decision}
            onChange={(e) => setDecision(e.target.value as 'approve' | 'return')}
            data-testid="review-decision"
            options={[
              { value: 'approve', label: t({ zh: '通过', en: 'Approve' }) },
              { value: 'return', label: t(L.problems.returned) },
            ]}
          />
          {decision === 'return' && (
            <Input.TextArea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
              placeholder={t({ zh: '退回原因（必填）', en: 'Reason (required)' })}
              data-testid="review-reason"
            />
          )}
        </Space>
      )}
    </Modal>
  );
}

/** Registers an approved ten-star household as a 文明家庭 (county or city level). */
function HonourModal({
  household,
  onClose,
}: {
  household: TStarHousehold | null;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [level, setLevel] = useState<'county' | 'city'>('county');
  const register = useApiMutation('POST /api/star-ratings/:id/honour', {
    invalidates: ['GET /api/star-households', 'GET /api/honours'],
  });
  const r = household?.rating;
  async function save() {
    if (!r) return;
    try {
      await register.mutateAsync({ params: { id: r.id }, body: { version: r.version, level } });
      message.success(t({ zh: '已登记到文明细胞名录', en: 'Registered in the honours registry' }));
      onClose();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }
  return (
    <Modal
      open={household !== null}
      title={t({ zh: '登记为文明家庭', en: 'Register as civilized family' })}
      onOk={() => void save()}
      onCancel={onClose}
      confirmLoading={register.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {t({
          zh: `${household?.headName ?? ''}家庭（${household?.regionName ?? ''}）${r?.year ?? ''} 年度十星级文明户`,
          en: `${household?.headName ?? ''}'s family (${household?.regionName ?? ''}), ten stars in ${r?.year ?? ''}`,
        })}
      </Typography.Paragraph>
      <Radio.Group
        value={level}
        onChange={(e) => setLevel(e.target.value as 'county' | 'city')}
        data-testid="honour-level"
        options={[
          { value: 'county', label: t({ zh: '县级文明家庭', en: 'County level' }) },
          { value: 'city', label: t({ zh: '市级文明家庭', en: 'City level' }) },
        ]}
      />
    </Modal>
  );
}

/** The city office's list of stars: add one, retire or restore one. */
function CriteriaCard({ criteria }: { criteria: TStarCriterion[] }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<ApiBody<'POST /api/star-households/criteria'>>();
  const add = useApiMutation('POST /api/star-households/criteria');
  const edit = useApiMutation('PATCH /api/star-households/criteria/:id');
  async function save() {
    const v = await form.validateFields();
    try {
      await add.mutateAsync({ body: { ...v, sortOrder: criteria.length } });
      form.resetFields();
      setAdding(false);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }
  async function toggle(c: TStarCriterion, active: boolean) {
    try {
      await edit.mutateAsync({ params: { id: c.id }, body: { version: c.version, active } });
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }
  return (
    <Card
      title={t({ zh: '星级标准', en: 'The stars' })}
      extra={
        <Button onClick={() => setAdding(true)} data-testid="criterion-new">
          {t({ zh: '新增星级', en: 'Add a star' })}
        </Button>
      }
    >
      <Table<TStarCriterion>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={criteria}
        data-testid="criteria"
        columns={[
          { title: t({ zh: '星名', en: 'Star' }), dataIndex: 'name', key: 'name' },
          { title: t({ zh: '英文名', en: 'English' }), dataIndex: 'nameEn', key: 'nameEn' },
          { title: t({ zh: '代码', en: 'Code' }), dataIndex: 'code', key: 'code' },
          {
            title: t(L.common.active),
            key: 'active',
            render: (_: unknown, c) => (
              <Switch
                size="small"
                checked={c.active}
                onChange={(v) => void toggle(c, v)}
                data-testid={`criterion-active-${c.code}`}
              />
            ),
          },
        ]}
      />
      <Modal
        open={adding}
        title={t({ zh: '新增星级', en: 'Add a star' })}
        onOk={() => void save()}
        onCancel={() => setAdding(false)}
        confirmLoading={add.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="name"
            label={t({ zh: '星名', en: 'Star' })}
            rules={[{ required: true, max: 20 }]}
          >
            <Input id="criterion-name" />
          </Form.Item>
          <Form.Item
            name="nameEn"
            label={t({ zh: '英文名', en: 'English' })}
            rules={[{ required: true, max: 60 }]}
          >
            <Input id="criterion-name-en" />
          </Form.Item>
          <Form.Item
            name="code"
            label={t({ zh: '代码（英文小写）', en: 'Code (lower-case English)' })}
            rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,39}$/ }]}
          >
            <Input id="criterion-code" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
