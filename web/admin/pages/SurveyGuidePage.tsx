import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  List,
  Progress,
  Radio,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import type { TGuideAssignment, TQuestion } from '../../../core/contracts/surveys.js';
import { describeRule, ineligibleReasons } from '../../../core/survey/eligibility.js';
import { COLLECTION_MODE_LABELS, type TCollectionMode } from '../../../core/survey/modes.js';
import { DIMENSION_LABELS, type TAnswerValue } from '../../../core/survey/questions.js';
import { get } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { useI18n } from '../../shared/i18n.js';
import { offlineQueue, submitOrQueue } from '../../shared/offline-queue.js';
import { OfflineQueueBar, useOnline, useQueuedItems } from '../../shared/OfflineQueueBar.js';

const CACHE_KEY = 'cc.survey.assignments';

function cached(): TGuideAssignment[] {
  try {
    return JSON.parse(localStorage.getItem(CACHE_KEY) ?? '[]') as TGuideAssignment[];
  } catch {
    return [];
  }
}

/**
 * The phone's position, if it gives one within a few seconds (never blocks the form: a permission
 * prompt left unanswered, or a browser without geolocation, gives none).
 */
function position(): Promise<{ lat: number; lng: number } | null> {
  const geo = (navigator as { geolocation?: Geolocation | null }).geolocation;
  if (!geo) return Promise.resolve(null);
  return new Promise((resolve) => {
    const giveUp = window.setTimeout(() => resolve(null), 5000);
    const done = (at: { lat: number; lng: number } | null) => {
      window.clearTimeout(giveUp);
      resolve(at);
    };
    try {
      geo.getCurrentPosition(
        (p) => done({ lat: p.coords.latitude, lng: p.coords.longitude }),
        () => done(null),
        { timeout: 4000, maximumAge: 60_000 },
      );
    } catch {
      done(null);
    }
  });
}

function QuestionField({ q, index }: { q: TQuestion; index: number }) {
  const { t } = useI18n();
  const label = (
    <span>
      {index + 1}. {q.text}
      {q.dimension && (
        <Tag style={{ marginLeft: 6 }} color="blue">
          {t(DIMENSION_LABELS[q.dimension])}
        </Tag>
      )}
    </span>
  );
  const required = q.kind !== 'text';
  const rules = required
    ? [{ required: true, message: t({ zh: '请作答', en: 'Answer this' }) }]
    : [];
  return (
    <div data-testid={`q-${q.id}`}>
      <Form.Item name={['answers', q.id]} label={label} rules={rules}>
        {q.kind === 'single' ? (
          <Radio.Group>
            <Space direction="vertical">
              {q.options.map((o) => (
                <Radio key={o} value={o}>
                  {o}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        ) : q.kind === 'multiple' ? (
          <Checkbox.Group options={q.options} />
        ) : q.kind === 'rating' ? (
          <Radio.Group
            optionType="button"
            options={Array.from({ length: q.scale ?? 5 }, (_, i) => ({
              label: i + 1,
              value: i + 1,
            }))}
          />
        ) : (
          <Input.TextArea rows={2} maxLength={500} />
        )}
      </Form.Item>
    </div>
  );
}

interface FormValues {
  householdCode?: string;
  spot?: string;
  age: number;
  residentMonths?: number | null;
  answers: Record<string, TAnswerValue | undefined>;
}

/**
 * The quota of each mode the form can switch to: the guide's quotas of the same round and group,
 * one per mode, the same region first (入户 in a community, 街访 there or in a wider area).
 */
function modeChoices(all: TGuideAssignment[], a: TGuideAssignment): TGuideAssignment[] {
  const out: TGuideAssignment[] = [];
  for (const mode of ['household', 'street'] as TCollectionMode[]) {
    const same = all.filter(
      (x) => x.roundId === a.roundId && x.group === a.group && x.mode === mode,
    );
    const pick = mode === a.mode ? a : (same.find((x) => x.regionName === a.regionName) ?? same[0]);
    if (pick) out.push(pick);
  }
  return out;
}

/**
 * 入户调查 and 随机街访 on the guide's phone: the quotas assigned to them (kept for offline use), a
 * questionnaire form that offers the mode (household code at home; spot or position in the street)
 * and asks what the group's rule needs, and the sync queue. Each response gets a client id, so a
 * resend never duplicates it.
 */
export function SurveyGuidePage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const online = useOnline();
  const queued = useQueuedItems();
  const [assignments, setAssignments] = useState<TGuideAssignment[]>(cached);
  const [active, setActive] = useState<TGuideAssignment | null>(null);
  const [startedAt, setStartedAt] = useState<string>(new Date().toISOString());
  const [submitting, setSubmitting] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const age = Form.useWatch('age', form);
  const months = Form.useWatch('residentMonths', form);
  const rule = active?.questionnaire.eligibility;
  const asksResidence = rule ? rule.minResidentMonths !== null : true;
  const street = active?.mode === 'street';

  const load = () =>
    get<TGuideAssignment[]>('/api/survey-app/assignments')
      .then((a) => {
        setAssignments(a);
        localStorage.setItem(CACHE_KEY, JSON.stringify(a));
      })
      .catch(() => undefined);
  useEffect(() => {
    void load();
  }, [online, queued.length]);

  const pendingFor = (quotaId: number) =>
    queued.filter((i) => (i.body as { quotaId?: number }).quotaId === quotaId).length;

  function open(a: TGuideAssignment) {
    setActive(a);
    setStartedAt(new Date().toISOString());
    form.resetFields();
  }

  async function submit(v: FormValues) {
    if (!active) return;
    setSubmitting(true);
    try {
      const at = await position();
      const spot = v.spot?.trim() ?? '';
      if (active.mode === 'street' && !spot && !at) {
        // Offline, a refusal would only come back at sync: say it now.
        form.setFields([
          {
            name: 'spot',
            errors: [
              t({
                zh: '未取得定位，请填写访问地点',
                en: 'No GPS position: enter the spot of the interview',
              }),
            ],
          },
        ]);
        return;
      }
      const clientId = crypto.randomUUID();
      const answers = Object.fromEntries(
        Object.entries(v.answers ?? {}).filter(
          ([, x]) => x !== undefined && x !== '' && !(Array.isArray(x) && x.length === 0),
        ),
      );
      const outcome = await submitOrQueue(offlineQueue(), {
        clientId,
        label: t({
          zh: `问卷：${active.regionName} ${active.mode === 'street' ? `街访 ${spot}` : v.householdCode}`,
          en: `Survey: ${active.regionName} ${active.mode === 'street' ? `street ${spot}` : v.householdCode}`,
        }),
        url: '/api/survey-responses',
        body: {
          clientId,
          quotaId: active.quotaId,
          mode: active.mode,
          ...(active.mode === 'street'
            ? { spot: spot || null }
            : { householdCode: v.householdCode }),
          respondent: {
            age: v.age,
            ...(asksResidence ? { residentMonths: v.residentMonths ?? null } : {}),
          },
          answers,
          startedAt,
          submittedAt: new Date().toISOString(),
          lat: at?.lat ?? null,
          lng: at?.lng ?? null,
        },
      });
      if (outcome === 'sent') {
        message.success(t({ zh: '答卷已提交', en: 'Response submitted' }));
      } else {
        message.info(
          t({ zh: '已离线保存，联网后自动同步', en: 'Saved offline; it syncs when online' }),
        );
      }
      form.resetFields();
      setStartedAt(new Date().toISOString());
      void load();
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setSubmitting(false);
    }
  }

  // Known once the age (and, where asked, the residence) is filled in.
  const ineligible =
    rule && typeof age === 'number' && (!asksResidence || typeof months === 'number')
      ? ineligibleReasons(rule, { age, residentMonths: months ?? null })
      : [];
  const choices = active ? modeChoices(assignments, active) : [];

  return (
    <div style={{ maxWidth: 560, margin: '0 auto' }} data-testid="survey-app">
      <OfflineQueueBar />
      {!active ? (
        <Card title={t({ zh: '我的调查任务', en: 'My survey quotas' })} size="small">
          {assignments.length === 0 && (
            <Typography.Text type="secondary">
              {t({ zh: '暂无分配给您的配额', en: 'No quotas assigned to you' })}
            </Typography.Text>
          )}
          <List
            dataSource={assignments}
            renderItem={(a) => {
              const pending = pendingFor(a.quotaId);
              return (
                <List.Item
                  data-testid={`quota-${a.quotaId}`}
                  onClick={() => open(a)}
                  style={{ cursor: 'pointer' }}
                >
                  <Space direction="vertical" size={2} style={{ width: '100%' }}>
                    <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                      <Typography.Text strong>
                        <Tag color={a.mode === 'street' ? 'purple' : 'blue'}>
                          {t(COLLECTION_MODE_LABELS[a.mode])}
                        </Tag>
                        {a.regionName} · {t({ zh: '人群', en: 'Group' })} {a.group}{' '}
                        {a.questionnaire.groupLabel}
                      </Typography.Text>
                      <Button type="primary" size="small">
                        {t({ zh: '开始', en: 'Start' })}
                      </Button>
                    </div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {a.surveyName} · {a.roundName}
                    </Typography.Text>
                    <Progress
                      percent={Math.min(100, Math.round(((a.done + pending) / a.target) * 100))}
                      size="small"
                      format={() => `${a.done + pending}/${a.target}`}
                    />
                    <Typography.Text style={{ fontSize: 12 }} data-testid="quota-mine">
                      {t({ zh: `本人完成 ${a.mine} 份`, en: `${a.mine} by me` })}
                      {pending > 0 &&
                        t({ zh: `，待同步 ${pending} 份`, en: `, ${pending} to sync` })}
                    </Typography.Text>
                  </Space>
                </List.Item>
              );
            }}
          />
        </Card>
      ) : (
        <Card
          size="small"
          title={`${active.regionName} · ${active.questionnaire.title}`}
          extra={
            <Button size="small" onClick={() => setActive(null)} data-testid="survey-back">
              {t({ zh: '返回', en: 'Back' })}
            </Button>
          }
        >
          {active.questionnaire.intro && (
            <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
              {active.questionnaire.intro}
            </Typography.Paragraph>
          )}
          <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
            <Form.Item label={t({ zh: '调查方式', en: 'Mode' })}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                data-testid="survey-mode"
                value={active.mode}
                onChange={(e) => {
                  const next = choices.find((c) => c.mode === e.target.value);
                  // The same group's questionnaire: the answers given so far stay.
                  if (next) setActive(next);
                }}
                options={choices.map((c) => ({
                  value: c.mode,
                  label:
                    c.regionName === active.regionName
                      ? t(COLLECTION_MODE_LABELS[c.mode])
                      : `${t(COLLECTION_MODE_LABELS[c.mode])} · ${c.regionName}`,
                }))}
              />
            </Form.Item>
            {street ? (
              <Form.Item
                name="spot"
                label={t({ zh: '访问地点', en: 'Spot' })}
                extra={t({
                  zh: '街访不记户码；填写地点，或允许手机定位',
                  en: 'No household code in the street: name the spot, or allow the GPS',
                })}
              >
                <Input id="street-spot" placeholder="人民广场东门" maxLength={100} />
              </Form.Item>
            ) : (
              <Form.Item
                name="householdCode"
                label={t({ zh: '户码（楼栋-门牌）', en: 'Household code' })}
                rules={[
                  { required: true, message: t({ zh: '请填写户码', en: 'Enter the household' }) },
                ]}
              >
                <Input id="household-code" placeholder="3幢-101" maxLength={40} />
              </Form.Item>
            )}
            <Space.Compact block>
              <Form.Item
                name="age"
                label={t({ zh: '年龄', en: 'Age' })}
                rules={[{ required: true, message: t({ zh: '必填', en: 'Required' }) }]}
                style={{ width: asksResidence ? '50%' : '100%' }}
              >
                <InputNumber id="respondent-age" min={0} max={120} style={{ width: '100%' }} />
              </Form.Item>
              {asksResidence && (
                <Form.Item
                  name="residentMonths"
                  label={t({ zh: '本地居住（月）', en: 'Resident (months)' })}
                  rules={[{ required: true, message: t({ zh: '必填', en: 'Required' }) }]}
                  style={{ width: '50%' }}
                >
                  <InputNumber id="resident-months" min={0} max={1200} style={{ width: '100%' }} />
                </Form.Item>
              )}
            </Space.Compact>
            {rule && (
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t({ zh: '调查对象：', en: 'Who counts: ' })}
                {t(describeRule(rule))}
              </Typography.Paragraph>
            )}
            {ineligible.length > 0 && rule && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                data-testid="ineligible"
                title={t({
                  zh: `不符合调查对象条件（${ineligible.map((r) => r.zh).join('，')}），答卷将记录但不计入结果`,
                  en: `Not eligible (${ineligible.map((r) => r.en).join(', ')}): recorded but not counted`,
                })}
              />
            )}
            {active.questionnaire.questions.map((q, i) => (
              <QuestionField key={q.id} q={q} index={i} />
            ))}
            <Button
              type="primary"
              htmlType="submit"
              block
              size="large"
              loading={submitting}
              data-testid="survey-submit"
            >
              {online
                ? t({ zh: '提交答卷', en: 'Submit' })
                : t({ zh: '离线保存', en: 'Save offline' })}
            </Button>
          </Form>
        </Card>
      )}
    </div>
  );
}
