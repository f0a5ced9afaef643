import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Result,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import {
  PROBLEM_CHANNEL_LABELS,
  SEVERITY_LABELS,
  type TProblemDetail,
} from '../../../core/contracts/problems.js';
import {
  PROBLEM_ACTION_LABELS,
  PROBLEM_STATE_LABELS,
  TRANSITIONS,
  type TProblemAction,
  type TProblemState,
} from '../../../core/problems/lifecycle.js';
import { RATING_LABELS, RATINGS } from '../../../core/citizen/replies.js';
import { ApiError } from '../../shared/api.js';
import { apiKey, invalidateApi, useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText, oneOf } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { PointMap } from '../../shared/map.js';
import { PhotoGallery, PhotoInput } from '../../shared/photos.js';
import { UnitPicker } from '../../shared/pickers.js';
import { Countdown, EscalationTag, StateTag } from '../../shared/problem-tags.js';
import { MergeProblemModal } from './MergeProblemModal.js';
import { ExposureButton } from './ExposureButton.js';
import { HandDownButton } from './HandDownButton.js';
import { PlaceProblemButton } from './PlaceProblemButton.js';
import { ProblemPushbackCard } from './ProblemPushbackCard.js';
import { useAuth } from '../auth.js';
import { Permission } from '../../../core/permissions.js';

const DANGER: TProblemAction[] = ['reject', 'rework', 'return', 'refuse_extension', 'defer'];

/** Timeline entries that are not lifecycle actions. */
const EVENT_LABELS: Record<string, { zh: string; en: string }> = {
  create: { zh: '登记', en: 'Reported' },
  absorb: { zh: '并入重复问题', en: 'Absorbed a duplicate' },
  hand_down: L.problems.handedDown,
  place: L.problems.placed,
  rate: L.problems.reporterRating,
  reporter_reopen: L.problems.reporterReopen,
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** One problem: its facts, its timeline, and the steps the signed-in user may take now. */
export function ProblemDetailPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const client = useQueryClient();
  const args = { params: { id: Number(id) } };
  const detail = useApi('GET /api/problems/:id', args);
  const merges = useApi('GET /api/problems/:id/merges', args).data;
  const data = detail.data;
  const error = detail.error;
  // 门前三包: whose duty zone the problem lies in (problems with a place only; none on an error).
  const holders =
    useApi('GET /api/problems/:id/frontage-duties', data?.problem.lat == null ? null : args).data ??
    [];
  /** Reads the problem (and what hangs on it) again: someone else changed it first. */
  const load = () => invalidateApi(client, ['GET /api/problems']);
  /**
   * Shows the problem as a write answered it (every write has marked the ledger and the rest
   * stale: web/shared/api-query.ts).
   */
  const setData = (d: TProblemDetail) =>
    client.setQueryData(apiKey('GET /api/problems/:id', args), d);
  const action = useApiMutation('POST /api/problems/:id/actions', { onSuccess: setData });
  // Merging is not an action of the actions endpoint: it has its own dialog.
  const [acting, setActing] = useState<Exclude<TProblemAction, 'merge'> | null>(null);
  const [merging, setMerging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{
    note?: string;
    unitId?: number;
    deadline?: Dayjs;
    extensionDeadline?: Dayjs;
    photoIds?: string[];
  }>();

  if (error) {
    return (
      <Result
        status={error instanceof ApiError && error.status === 404 ? '404' : 'error'}
        title={errorText(error, lang)}
        extra={
          <Button onClick={() => void navigate('/problems')}>
            {t({ zh: '返回台账', en: 'Back to the ledger' })}
          </Button>
        }
      />
    );
  }
  if (!data) return <Spin />;
  const p = data.problem;
  // 群众评价: the reporter's rating, as the timeline recorded it (随手拍, once).
  const rated = data.timeline.findLast((e) => e.action === 'rate');
  const ratingValue = oneOf(RATINGS, rated?.data?.rating);
  const rating =
    rated && ratingValue ? { value: ratingValue, comment: rated.note, at: rated.at } : null;

  const act = async () => {
    if (!acting) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      await action.mutateAsync({
        params: { id: p.id },
        body: {
          action: acting,
          version: p.version,
          note: v.note || undefined,
          unitId: v.unitId ?? undefined,
          deadline: v.deadline ? v.deadline.endOf('day').toISOString() : undefined,
          extensionDeadline: v.extensionDeadline
            ? v.extensionDeadline.endOf('day').toISOString()
            : undefined,
          photoIds: v.photoIds?.length ? v.photoIds : undefined,
        },
      });
      message.success(
        t({
          zh: `已${PROBLEM_ACTION_LABELS[acting].zh}`,
          en: `${PROBLEM_ACTION_LABELS[acting].en}: done`,
        }),
      );
      setActing(null);
    } catch (err) {
      message.error(errorText(err, lang));
      if (err instanceof ApiError && err.code === 'stale_version') await load();
    } finally {
      setBusy(false);
    }
  };

  const needsNote = acting ? TRANSITIONS[acting].needsNote : false;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Card
        title={
          <Space wrap>
            <Button
              type="text"
              icon={<ArrowLeftOutlined />}
              onClick={() => void navigate('/problems')}
            />
            <span>{p.title}</span>
            <StateTag state={p.state} />
            <EscalationTag level={p.escalation} />
            {p.recurrenceOfId !== null && (
              <Tag
                color="volcano"
                style={{ cursor: 'pointer' }}
                onClick={() => void navigate(`/problems/${p.recurrenceOfId}`)}
              >
                {t(L.problems.recurrence)}
              </Tag>
            )}
          </Space>
        }
        extra={<Typography.Text type="secondary">{p.code}</Typography.Text>}
      >
        {p.state === 'merged' && merges?.mergedInto && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="merged-into"
            title={
              <span>
                {t({ zh: '已合并至 ', en: 'Merged into ' })}
                <Typography.Link
                  onClick={() => void navigate(`/problems/${merges.mergedInto!.id}`)}
                >
                  {merges.mergedInto.code}
                </Typography.Link>
                {` ${merges.mergedInto.title}`}
              </span>
            }
            description={t({
              zh: '本问题作为重复问题已并入上述问题，由其继续办理。',
              en: 'This duplicate was folded into the problem above, which carries the work on.',
            })}
          />
        )}
        {p.extensionPending && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t({
              zh: `单位申请延期至 ${formatTime(p.extensionRequestedDeadline)}，待审批`,
              en: `The unit asks for more time, until ${formatTime(p.extensionRequestedDeadline)}`,
            })}
          />
        )}
        <Space wrap style={{ marginBottom: 16 }} data-testid="problem-actions">
          {data.actions
            .filter((a): a is Exclude<TProblemAction, 'merge'> => a !== 'merge')
            .map((a) => (
              <Button
                key={a}
                type={DANGER.includes(a) ? 'default' : 'primary'}
                danger={DANGER.includes(a)}
                onClick={() => {
                  form.resetFields();
                  setActing(a);
                }}
                data-testid={`action-${a}`}
              >
                {t(PROBLEM_ACTION_LABELS[a])}
              </Button>
            ))}
          {data.actions.includes('merge') && (
            <Button onClick={() => setMerging(true)} data-testid="action-merge">
              {t({ zh: '合并到…', en: 'Merge into…' })}
            </Button>
          )}
          {can(Permission.ProblemManage) && <HandDownButton problem={p} onDone={setData} />}
          {can(Permission.ProblemManage) && <PlaceProblemButton problem={p} onDone={setData} />}
          {can(Permission.ExposureManage) && <ExposureButton problem={p} />}
        </Space>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} bordered>
          <Descriptions.Item label={t(L.common.category)}>{p.categoryName}</Descriptions.Item>
          <Descriptions.Item label={t({ zh: '紧急程度', en: 'Severity' })}>
            {t(SEVERITY_LABELS[p.severity])}
          </Descriptions.Item>
          <Descriptions.Item label={t(L.problems.channel)}>
            {t(PROBLEM_CHANNEL_LABELS[p.channel])}
          </Descriptions.Item>
          <Descriptions.Item label={t(L.org.responsibleUnit)}>
            {p.unitName ?? '—'}
          </Descriptions.Item>
          {p.handedTo && (
            <Descriptions.Item label={t(L.problems.dispatch)}>
              <Space size={4} wrap>
                <span data-testid="handed-to">
                  {p.handedTo.name}
                  {lang === 'en' ? ' ' : ''}
                  {t(L.org.office)} · {formatTime(p.handedTo.at)}
                </span>
                {p.state === 'registered' && p.handedTo.dueAt && (
                  <span data-testid="hand-due">
                    {t({ zh: '限', en: 'to dispatch by ' })}
                    {formatTime(p.handedTo.dueAt)}
                    {t({ zh: '前派遣', en: '' })}
                  </span>
                )}
                {p.handedTo.overdue && (
                  <Tag color="red" data-testid="hand-overdue">
                    {t({ zh: '交办逾期未派遣', en: 'Not dispatched in time' })}
                  </Tag>
                )}
              </Space>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t(L.problems.rectifyDeadline)}>
            {p.deadline ? (
              <Space orientation="vertical" size={0}>
                {formatTime(p.deadline)}
                {p.state === 'dispatched' && <Countdown deadline={p.deadline} />}
              </Space>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t({ zh: '返工次数', en: 'Reworks' })}>
            {p.reworkCount}
          </Descriptions.Item>
          <Descriptions.Item label={t(L.org.regionArea)}>{p.regionName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t(L.common.address)}>{p.address ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t({ zh: '上报人', en: 'Reporter' })}>
            {p.reporterName ?? '—'}
            {data.reporterPhone && (
              <Typography.Text type="secondary" data-testid="reporter-phone">
                {' '}
                {data.reporterPhone}
              </Typography.Text>
            )}
          </Descriptions.Item>
          {holders.length > 0 && (
            <Descriptions.Item label={t({ zh: '门前三包责任户', en: 'Frontage duty holder' })}>
              <span data-testid="duty-holders">
                {holders
                  .map(
                    (h) =>
                      `${h.holderName}${h.contactPhone ? ` ${h.contactPhone}` : ''}` +
                      (h.recentProblems >= 3
                        ? t({
                            zh: `（近90天 ${h.recentProblems} 起）`,
                            en: ` (${h.recentProblems} in 90 days)`,
                          })
                        : ''),
                  )
                  .join('；')}
              </span>
            </Descriptions.Item>
          )}
          {rating && (
            <Descriptions.Item label={t(L.problems.reporterRating)}>
              <span data-testid="reporter-rating">
                {t(RATING_LABELS[rating.value])}
                {rating.comment && `：${rating.comment}`}
                <Typography.Text type="secondary"> · {formatTime(rating.at)}</Typography.Text>
              </span>
            </Descriptions.Item>
          )}
          {p.externalRef && (
            <Descriptions.Item label={t(L.problems.externalNo)}>{p.externalRef}</Descriptions.Item>
          )}
          <Descriptions.Item label={t({ zh: '登记时间', en: 'Reported' })}>
            {formatTime(p.createdAt)}
          </Descriptions.Item>
          {p.description && (
            <Descriptions.Item label={t({ zh: '描述', en: 'Description' })} span={3}>
              {p.description}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {p.lat !== null && p.lng !== null && (
        <Card title={t({ zh: '位置', en: 'Location' })}>
          <PointMap lat={p.lat} lng={p.lng} label={p.address ?? p.title} />
        </Card>
      )}
      {merges && merges.absorbed.length > 0 && (
        <Card
          title={t({
            zh: `已并入的重复问题（${merges.absorbed.length}）`,
            en: `Merged duplicates (${merges.absorbed.length})`,
          })}
          data-testid="absorbed"
        >
          <Space orientation="vertical" size={4}>
            {merges.absorbed.map((a) => (
              <span key={a.id}>
                <Typography.Link onClick={() => void navigate(`/problems/${a.id}`)}>
                  {a.code}
                </Typography.Link>{' '}
                {a.title}
                {a.mergedAt && (
                  <Typography.Text type="secondary"> · {formatTime(a.mergedAt)}</Typography.Text>
                )}
              </span>
            ))}
          </Space>
        </Card>
      )}
      <ProblemPushbackCard problemId={p.id} />
      {data.photos.length > 0 && (
        <Card title={t(L.common.photos)}>
          <PhotoGallery photos={data.photos} />
        </Card>
      )}
      <Card title={t({ zh: '办理过程', en: 'Timeline' })}>
        <Timeline
          data-testid="timeline"
          items={data.timeline.map((e) => ({
            color:
              e.action === 'rework' || e.action === 'reject'
                ? 'red'
                : e.toState === 'closed'
                  ? 'green'
                  : 'blue',
            content: (
              <div>
                <Typography.Text strong>
                  {t(
                    EVENT_LABELS[e.action] ??
                      PROBLEM_ACTION_LABELS[e.action as TProblemAction] ?? {
                        zh: e.action,
                        en: e.action,
                      },
                  )}
                </Typography.Text>
                <Typography.Text type="secondary">
                  {' '}
                  · {e.actorName} · {formatTime(e.at)} →{' '}
                  {t(PROBLEM_STATE_LABELS[e.toState as TProblemState])}
                </Typography.Text>
                {typeof e.data?.unitName === 'string' && e.action === 'dispatch' && (
                  <div>
                    {t({ zh: '派遣至', en: 'To' })} {e.data.unitName}
                    {typeof e.data.deadline === 'string' &&
                      `，${t(L.common.deadline)} ${formatTime(e.data.deadline)}`}
                  </div>
                )}
                {typeof e.data?.lat === 'number' && typeof e.data.lng === 'number' && (
                  // Where the phone was when the step was taken on site (整改、核查).
                  <div data-testid="step-position">
                    {t({ zh: '现场位置 ', en: 'On site at ' })}
                    {e.data.lat.toFixed(5)}, {e.data.lng.toFixed(5)}
                    {typeof e.data.distanceM === 'number' &&
                      t({
                        zh: `（距问题位置 ${e.data.distanceM} 米）`,
                        en: ` (${e.data.distanceM} m from the problem)`,
                      })}
                  </div>
                )}
                {e.action === 'hand_down' && str(e.data?.regionName) && (
                  <div>
                    {t({ zh: '交办至', en: 'To' })} {str(e.data?.regionName)}
                    {lang === 'en' ? ' ' : ''}
                    {t(L.org.office)}
                  </div>
                )}
                {e.action === 'rate' && oneOf(RATINGS, e.data?.rating) && (
                  <div>{t(RATING_LABELS[oneOf(RATINGS, e.data?.rating)!])}</div>
                )}
                {e.action === 'place' && str(e.data?.regionName) && (
                  <div data-testid="placed-in">
                    {t({ zh: '确定为', en: 'In' })} {str(e.data?.regionName)}
                  </div>
                )}
                {e.action === 'merge' && str(e.data?.intoCode) && (
                  <div>
                    {t({ zh: '合并至', en: 'Into' })}{' '}
                    <Typography.Link
                      onClick={() => void navigate(`/problems/${String(e.data?.intoId)}`)}
                    >
                      {str(e.data?.intoCode)}
                    </Typography.Link>
                    {str(e.data?.viaCode) &&
                      t({
                        zh: `（原合并至 ${str(e.data?.viaCode)}，该问题已并入此处）`,
                        en: ` (was merged into ${str(e.data?.viaCode)}, which moved here)`,
                      })}
                  </div>
                )}
                {e.action === 'absorb' && str(e.data?.duplicateCode) && (
                  <div>
                    <Typography.Link
                      onClick={() => void navigate(`/problems/${String(e.data?.duplicateId)}`)}
                    >
                      {str(e.data?.duplicateCode)}
                    </Typography.Link>{' '}
                    {str(e.data?.duplicateTitle)}
                    {Array.isArray(e.data?.also) &&
                      t({
                        zh: `（连同 ${(e.data.also as string[]).join('、')}）`,
                        en: ` (with ${(e.data.also as string[]).join(', ')})`,
                      })}
                  </div>
                )}
                {e.note && <div>{e.note}</div>}
              </div>
            ),
          }))}
        />
      </Card>
      <MergeProblemModal
        problem={p}
        open={merging}
        onClose={() => setMerging(false)}
        onMerged={(d) => {
          setMerging(false);
          setData(d);
        }}
        onStale={() => {
          setMerging(false);
          void load();
        }}
      />
      <Modal
        open={acting !== null}
        title={acting ? t(PROBLEM_ACTION_LABELS[acting]) : ''}
        onOk={() => void act()}
        confirmLoading={busy}
        onCancel={() => setActing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          {acting === 'dispatch' && (
            <Form.Item name="unitId" label={t(L.org.responsibleUnit)} rules={[{ required: true }]}>
              <UnitPicker id="dispatch-unit" />
            </Form.Item>
          )}
          {(acting === 'dispatch' || acting === 'rework' || acting === 'approve_extension') && (
            <Form.Item
              name="deadline"
              label={t(L.problems.rectifyDeadline)}
              extra={
                acting === 'dispatch'
                  ? t({
                      zh: '不填则按问题类别的规定工作日计算',
                      en: 'Empty: the category rule in working days',
                    })
                  : acting === 'approve_extension'
                    ? t({
                        zh: '不填则同意单位申请的期限',
                        en: 'Empty: the deadline the unit asked for',
                      })
                    : t({ zh: '不填则保持原期限', en: 'Empty: keep the current deadline' })
              }
            >
              <DatePicker
                disabledDate={(d) => d.isBefore(dayjs(), 'day')}
                style={{ width: '100%' }}
              />
            </Form.Item>
          )}
          {acting === 'request_extension' && (
            <Form.Item
              name="extensionDeadline"
              label={t(L.problems.extendTo)}
              rules={[{ required: true }]}
            >
              <DatePicker
                disabledDate={(d) => d.isBefore(dayjs(), 'day')}
                style={{ width: '100%' }}
              />
            </Form.Item>
          )}
          {(acting === 'submit' || acting === 'approve' || acting === 'rework') && (
            <Form.Item
              name="photoIds"
              label={acting === 'submit' ? t(L.problems.afterPhotos) : t(L.problems.verifyPhotos)}
              rules={
                acting === 'submit'
                  ? [
                      {
                        required: true,
                        message: t({ zh: '请上传整改后照片', en: 'Add a photo of the fix' }),
                      },
                    ]
                  : []
              }
            >
              <PhotoInput testId="action-photos" />
            </Form.Item>
          )}
          <Form.Item
            name="note"
            label={
              acting === 'submit'
                ? t(L.problems.whatWasDone)
                : t({ zh: needsNote ? '理由' : '备注', en: needsNote ? 'Reason' : 'Note' })
            }
            rules={needsNote ? [{ required: true, whitespace: true }] : []}
          >
            <Input.TextArea rows={3} maxLength={2000} id="action-note" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
