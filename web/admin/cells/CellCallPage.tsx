import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Space,
  Table,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  CALL_STATUS_LABELS,
  DECISION_LABELS,
  nextCallStatus,
  type TApplication,
  type TDecision,
} from '../../../core/contracts/cell-awards.js';
import { CELL_TYPE_LABELS, HONOUR_LEVEL_LABELS } from '../../../core/contracts/honours.js';
import { Permission } from '../../../core/permissions.js';
import { administeredRegionOf } from '../../../core/org/grants.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { RegionPicker, UnitPicker } from '../../shared/pickers.js';
import { useAuth } from '../auth.js';
import { CALL_STATUS_COLORS } from './CellCallsPage.js';

const ELIGIBILITY = {
  eligible: { label: { zh: '符合条件', en: 'Eligible' }, color: 'green' },
  ineligible: { label: { zh: '一票否决', en: 'Vetoed' }, color: 'red' },
  unchecked: { label: { zh: '待核查', en: 'Not checked' }, color: 'default' },
} as const;

const today = () => dayjs().format('YYYY-MM-DD');

/** One call: its stage, the applications with totals and eligibility, 公示 and the decisions. */
export function CellCallPage() {
  const id = Number(useParams().id);
  const { t, lang } = useI18n();
  const { can, user } = useAuth();
  const { message } = App.useApp();
  const write = can(Permission.UnitWrite);
  const within = user ? administeredRegionOf(user) : null;
  const callQ = useApi('GET /api/cell-award-calls/:id', { params: { id } });
  const appsQ = useApi('GET /api/cell-award-calls/:id/applications', { params: { id } });
  const call = callQ.data;
  const apps = appsQ.data?.items ?? [];
  const failed = callQ.error ?? appsQ.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, lang, message]);

  const move = useApiMutation('POST /api/cell-award-calls/:id/status');
  // Publishing marks the applications listed (公示): their pages show it (登记异议).
  const publish = useApiMutation('POST /api/cell-award-calls/:id/publicity', {
    invalidates: ['GET /api/cell-award-calls', 'GET /api/cell-award-applications'],
  });
  const apply = useApiMutation('POST /api/cell-award-calls/:id/applications');
  // 授予 registers the holder: the registry's lists are stale too.
  const decide = useApiMutation('POST /api/cell-award-applications/:id/decision', {
    invalidates: [
      'GET /api/cell-award-calls',
      'GET /api/cell-award-applications',
      'GET /api/honours',
    ],
  });
  const [adding, setAdding] = useState(false);
  const [applicant, setApplicant] = useState<{
    unitId: number | null;
    name: string;
    regionId: number | null;
  }>({ unitId: null, name: '', regionId: null });
  const [publishing, setPublishing] = useState(false);
  const [start, setStart] = useState<Dayjs | null>(dayjs());
  const [listed, setListed] = useState<number[]>([]);
  const [deciding, setDeciding] = useState<TApplication | null>(null);
  // Null until the office picks: the default follows the application as last read (proposed and
  // eligible: 授予), so an answer arriving after the dialog opened still sets it right.
  const [picked, setPicked] = useState<TDecision | null>(null);
  const current = deciding ? (apps.find((a) => a.id === deciding.id) ?? deciding) : null;
  const decision: TDecision =
    picked ??
    (current && current.proposed && current.eligibility === 'eligible'
      ? 'conferred'
      : 'not_conferred');
  const [decisionNote, setDecisionNote] = useState('');

  if (!call) return <Card loading />;
  const next = nextCallStatus(call.status);
  const byUnit = call.cellType === 'unit' || call.cellType === 'campus';
  const ready = (a: TApplication) =>
    a.eligibility === 'eligible' && a.scored === call.standards.length;
  const periodOver = call.publicityEnd !== null && today() > call.publicityEnd;

  async function run<T>(fn: () => Promise<T>, done: { zh: string; en: string }) {
    try {
      await fn();
      message.success(t(done));
      return true;
    } catch (err) {
      message.error(errorText(err, lang));
      return false;
    }
  }

  const moveTo = (status: 'open' | 'assessing' | 'decided') =>
    run(() => move.mutateAsync({ params: { id }, body: { version: call.version, status } }), {
      zh: `已转入“${CALL_STATUS_LABELS[status].zh}”`,
      en: `Moved to "${CALL_STATUS_LABELS[status].en}"`,
    });

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <Space>
            {call.title}
            <Tag color={CALL_STATUS_COLORS[call.status]}>{t(CALL_STATUS_LABELS[call.status])}</Tag>
          </Space>
        }
        extra={<Link to="/cell-calls">{t({ zh: '返回列表', en: 'Back to the list' })}</Link>}
      >
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t(L.common.type)}>
            {t(CELL_TYPE_LABELS[call.cellType])} · {t(HONOUR_LEVEL_LABELS[call.level])}
          </Descriptions.Item>
          <Descriptions.Item label={t({ zh: '授予称号', en: 'Title conferred' })}>
            {call.honourTitle}
          </Descriptions.Item>
          <Descriptions.Item label={t(L.framework.framework)}>
            {call.frameworkName} v{call.frameworkVersionNumber}（{call.maxTotal}
            {t({ zh: ' 分', en: ' pts' })}）
          </Descriptions.Item>
          <Descriptions.Item label={t({ zh: '申报截止', en: 'Deadline' })}>
            {call.applicationDeadline}
          </Descriptions.Item>
          <Descriptions.Item label={t({ zh: '公示期', en: 'Publicity' })}>
            {call.publicityStart
              ? `${call.publicityStart} — ${call.publicityEnd}`
              : t({ zh: `${call.publicityDays} 天`, en: `${call.publicityDays} days` })}
          </Descriptions.Item>
          <Descriptions.Item label={t({ zh: '组织单位', en: 'Office' })}>
            {call.officeRegionName ?? t({ zh: '市文明办', en: 'City office' })}
          </Descriptions.Item>
        </Descriptions>
        {call.notes && <p>{call.notes}</p>}
        {write && (
          <Space wrap>
            {(next === 'open' || (next === 'decided' && call.status === 'publicity')) && (
              <Button onClick={() => void moveTo(next)} data-testid="call-next">
                {next === 'open'
                  ? t({ zh: '发布通知，开始受理', en: 'Open for applications' })
                  : t({ zh: '结束本次申报', en: 'Close the call' })}
              </Button>
            )}
            {call.status === 'open' && (
              <>
                <Button type="primary" onClick={() => setAdding(true)} data-testid="app-new">
                  {t({ zh: '登记申报', en: 'Register an application' })}
                </Button>
                <Button onClick={() => void moveTo('assessing')} data-testid="call-assess">
                  {t({ zh: '截止受理，进入测评', en: 'Close applications and assess' })}
                </Button>
              </>
            )}
            {call.status === 'assessing' && (
              <Button
                type="primary"
                onClick={() => {
                  setListed(apps.filter(ready).map((a) => a.id));
                  setPublishing(true);
                }}
                data-testid="call-publish"
              >
                {t({ zh: '发布公示', en: 'Publish for publicity' })}
              </Button>
            )}
          </Space>
        )}
        {call.status === 'publicity' && !periodOver && (
          <Alert
            style={{ marginTop: 12 }}
            type="info"
            showIcon
            title={t({
              zh: `公示期至 ${call.publicityEnd}，期满后方可作出授予决定`,
              en: `Publicity runs until ${call.publicityEnd}; decide after it ends`,
            })}
          />
        )}
      </Card>

      <Card title={t({ zh: '申报对象', en: 'Applications' })}>
        <Table<TApplication>
          rowKey="id"
          size="small"
          pagination={false}
          loading={appsQ.isLoading}
          dataSource={apps}
          columns={[
            {
              title: t({ zh: '申报对象', en: 'Applicant' }),
              render: (_, a) => <Link to={`/cell-applications/${a.id}`}>{a.applicantName}</Link>,
            },
            { title: t({ zh: '所在区域', en: 'Region' }), dataIndex: 'regionName' },
            {
              title: t(L.framework.score),
              width: 110,
              render: (_, a) => `${a.totalScore}（${a.scored}/${call.standards.length}）`,
            },
            {
              title: t({ zh: '资格', en: 'Eligibility' }),
              width: 100,
              render: (_, a) => (
                <Tag color={ELIGIBILITY[a.eligibility].color}>
                  {t(ELIGIBILITY[a.eligibility].label)}
                </Tag>
              ),
            },
            {
              title: t({ zh: '公示', en: 'Published' }),
              width: 70,
              render: (_, a) => (a.proposed ? t(L.common.yes) : '—'),
            },
            { title: t({ zh: '异议', en: 'Objections' }), dataIndex: 'objections', width: 70 },
            {
              title: t({ zh: '决定', en: 'Decision' }),
              width: 180,
              render: (_, a) =>
                a.decision ? (
                  <Space>
                    <Tag color={a.decision === 'conferred' ? 'green' : 'default'}>
                      {t(DECISION_LABELS[a.decision])}
                    </Tag>
                    {a.honourId && (
                      <Link to={`/cell-applications/${a.id}/certificate`}>
                        {t({ zh: '证书', en: 'Certificate' })}
                      </Link>
                    )}
                  </Space>
                ) : write && call.status === 'publicity' && periodOver ? (
                  <Button
                    size="small"
                    onClick={() => {
                      setPicked(null);
                      setDecisionNote('');
                      setDeciding(a);
                    }}
                    data-testid={`decide-${a.id}`}
                  >
                    {t({ zh: '作出决定', en: 'Decide' })}
                  </Button>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>

      <Modal
        open={adding}
        destroyOnHidden
        title={t({ zh: '登记申报', en: 'Register an application' })}
        onCancel={() => setAdding(false)}
        confirmLoading={apply.isPending}
        onOk={async () => {
          const ok = await run(
            () =>
              apply.mutateAsync({
                params: { id },
                body: byUnit
                  ? { unitId: applicant.unitId }
                  : { applicantName: applicant.name, regionId: applicant.regionId },
              }),
            { zh: '已登记', en: 'Registered' },
          );
          if (ok) {
            setAdding(false);
            setApplicant({ unitId: null, name: '', regionId: null });
          }
        }}
      >
        <Form layout="vertical">
          {byUnit ? (
            <Form.Item label={t({ zh: '申报单位', en: 'Applying unit' })}>
              <UnitPicker
                id="app-unit"
                value={applicant.unitId}
                onChange={(v) => setApplicant({ ...applicant, unitId: v })}
              />
            </Form.Item>
          ) : (
            <>
              <Form.Item label={t({ zh: '申报对象名称', en: 'Applicant' })}>
                <Input
                  maxLength={100}
                  value={applicant.name}
                  onChange={(e) => setApplicant({ ...applicant, name: e.target.value })}
                />
              </Form.Item>
              <Form.Item label={t({ zh: '所在区域', en: 'Region' })}>
                <RegionPicker
                  id="app-region"
                  within={within}
                  value={applicant.regionId}
                  onChange={(v) => setApplicant({ ...applicant, regionId: v })}
                />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>

      <Modal
        open={publishing}
        destroyOnHidden
        title={t({ zh: '发布公示（拟授予名单）', en: 'Publish the proposed list' })}
        onCancel={() => setPublishing(false)}
        confirmLoading={publish.isPending}
        okButtonProps={{ disabled: !start || listed.length === 0 }}
        onOk={async () => {
          const ok = await run(
            () =>
              publish.mutateAsync({
                params: { id },
                body: {
                  version: call.version,
                  startDate: start!.format('YYYY-MM-DD'),
                  applicationIds: listed,
                },
              }),
            { zh: '已发布公示', en: 'Published' },
          );
          if (ok) setPublishing(false);
        }}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space>
            {t({ zh: '公示开始日期', en: 'Publicity starts' })}
            <DatePicker value={start} onChange={setStart} />
            {start &&
              t({
                zh: `至 ${start.add(call.publicityDays - 1, 'day').format('YYYY-MM-DD')}`,
                en: `until ${start.add(call.publicityDays - 1, 'day').format('YYYY-MM-DD')}`,
              })}
          </Space>
          {apps.map((a) => (
            <Checkbox
              key={a.id}
              disabled={!ready(a)}
              checked={listed.includes(a.id)}
              onChange={(e) =>
                setListed(e.target.checked ? [...listed, a.id] : listed.filter((x) => x !== a.id))
              }
            >
              {a.applicantName}（{a.totalScore}）
              {!ready(a) &&
                (a.eligibility === 'ineligible'
                  ? t({ zh: ' — 一票否决', en: ' — vetoed' })
                  : t({ zh: ' — 未完成测评', en: ' — assessment incomplete' }))}
            </Checkbox>
          ))}
        </Space>
      </Modal>

      <Modal
        open={deciding !== null}
        destroyOnHidden
        title={deciding?.applicantName}
        onCancel={() => setDeciding(null)}
        confirmLoading={decide.isPending}
        onOk={async () => {
          const ok = await run(
            () =>
              decide.mutateAsync({
                params: { id: deciding!.id },
                body: {
                  version: deciding!.version,
                  decision,
                  note: decisionNote.trim() || null,
                },
              }),
            { zh: '已作出决定', en: 'Decided' },
          );
          if (ok) setDeciding(null);
        }}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Radio.Group
            value={decision}
            onChange={(e) => setPicked(e.target.value as TDecision)}
            options={(['conferred', 'not_conferred'] as const).map((d) => ({
              value: d,
              label: t(DECISION_LABELS[d]),
            }))}
          />
          <Input.TextArea
            rows={3}
            maxLength={500}
            placeholder={t({ zh: '决定说明', en: 'Note' })}
            value={decisionNote}
            onChange={(e) => setDecisionNote(e.target.value)}
          />
        </Space>
      </Modal>
    </Space>
  );
}
