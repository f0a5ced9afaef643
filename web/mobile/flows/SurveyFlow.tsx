import {
  Button,
  Card,
  Checkbox,
  Dialog,
  ErrorBlock,
  Form,
  Input,
  NavBar,
  NoticeBar,
  ProgressBar,
  Radio,
  Selector,
  Space,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { ClockCircleOutline, EnvironmentOutline } from 'antd-mobile-icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { TGuideAssignment, TQuestion } from '../../../core/contracts/surveys.js';
import { describeRule, ineligibleReasons } from '../../../core/survey/eligibility.js';
import { COLLECTION_MODE_LABELS, type TCollectionMode } from '../../../core/survey/modes.js';
import { DIMENSION_LABELS, type TAnswerValue } from '../../../core/survey/questions.js';
import { ApiError } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, type Lang, useI18n } from '../../shared/i18n.js';
import { offlineQueue, submitOrQueue, type QueuedItem } from '../../shared/offline-queue.js';
import { useOnline, useQueuedItems } from '../../shared/use-offline-queue.js';
import { useKept } from '../phone-store.js';
import { QueueBar } from '../QueueBar.js';
import { fixWithin, formatFix, type Fix } from './position.js';
import './survey-checkin.css';

/**
 * The quota of each mode the form can switch to: the guide's quotas of the same round and group,
 * one per mode, the same region first (入户 in a community, 街访 there or in a wider area).
 */
export function modeChoices(all: TGuideAssignment[], a: TGuideAssignment): TGuideAssignment[] {
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

/** A survey response queued on the phone. */
type QueuedResponse = Extract<QueuedItem, { endpoint: 'POST /api/survey-responses' }>;
const isResponse = (i: QueuedItem): i is QueuedResponse =>
  i.endpoint === 'POST /api/survey-responses';

/** Responses of a quota still waiting in the queue (sent or refused ones have left it or failed). */
const waitingFor = (items: QueuedItem[], quotaId: number) =>
  items.filter((i) => isResponse(i) && i.state === 'queued' && i.body?.quotaId === quotaId).length;

/**
 * 入户调查 / 随机街访, the survey guide's (调查员) flow: the quotas assigned to them with their
 * progress (kept on the phone, so it opens offline), then the questionnaire — the mode (household
 * code at home; spot or position in the street), what the group's rule asks of the respondent,
 * every question — sent at once or kept in the offline queue. Each response has a client id, so a
 * resend never duplicates it.
 */
export function SurveyFlow() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const online = useOnline();
  const queued = useQueuedItems();
  const answer = useKept('GET /api/survey-app/assignments', {});
  const assignments = answer.data ?? [];
  const [activeId, setActiveId] = useState<number | null>(null);
  const active = assignments.find((a) => a.quotaId === activeId) ?? null;

  // Progress moves when the queue has sent something: fetch the counts again.
  const waiting = queued.filter((i) => isResponse(i) && i.state === 'queued').length;
  const before = useRef(waiting);
  const { reload } = answer;
  useEffect(() => {
    if (waiting < before.current && online) reload();
    before.current = waiting;
  }, [waiting, online, reload]);

  return (
    <div className="m-flow" data-testid="m-survey">
      <NavBar className="m-navbar" onBack={() => (active ? setActiveId(null) : void navigate('/'))}>
        {active ? active.questionnaire.title : t(L.surveys.householdSurvey)}
      </NavBar>
      <QueueBar />
      {active ? (
        <SurveyForm
          key={active.roundId * 1000 + active.questionnaire.id}
          active={active}
          choices={modeChoices(assignments, active)}
          onMode={(a) => setActiveId(a.quotaId)}
          onSubmitted={reload}
        />
      ) : (
        <div className="m-pad">
          {answer.at && !online && (
            <div className="m-muted m-cached" data-testid="survey-cached">
              {t({ zh: '离线，显示的是', en: 'Offline: as of ' })}
              {formatTime(answer.at)}
              {t({ zh: ' 保存的配额', en: '' })}
            </div>
          )}
          {answer.data === null ? (
            answer.loading ? null : (
              <ErrorBlock
                status="disconnected"
                title={
                  answer.error instanceof ApiError
                    ? t({ zh: '暂时无法加载配额', en: 'Could not load the quotas' })
                    : t({ zh: '离线，暂无保存的配额', en: 'Offline, no quotas kept yet' })
                }
                description={
                  answer.error instanceof ApiError
                    ? t({ zh: answer.error.messageZh, en: answer.error.messageEn })
                    : t({ zh: '联网后自动显示', en: 'Shown once back online' })
                }
              />
            )
          ) : assignments.length === 0 ? (
            <ErrorBlock
              status="empty"
              title={t({ zh: '暂无分配给您的配额', en: 'No quotas assigned to you' })}
              description=""
            />
          ) : (
            assignments.map((a) => (
              <QuotaCard
                key={a.quotaId}
                a={a}
                pending={waitingFor(queued, a.quotaId)}
                onOpen={() => setActiveId(a.quotaId)}
              />
            ))
          )}
        </div>
      )}
    </div>
  );
}

function QuotaCard(props: { a: TGuideAssignment; pending: number; onOpen: () => void }) {
  const { t } = useI18n();
  const { a, pending } = props;
  const count = a.done + pending;
  const full = count >= a.target;
  return (
    <Card
      className="m-card m-quota"
      onClick={props.onOpen}
      data-testid={`quota-${a.quotaId}`}
      title={
        <span className="m-quota-title">
          <Tag color={a.mode === 'street' ? '#7c3aed' : 'primary'} fill="outline">
            {t(COLLECTION_MODE_LABELS[a.mode])}
          </Tag>
          {a.regionName} · {t(L.surveys.group)} {a.group} {a.questionnaire.groupLabel}
        </span>
      }
      extra={
        <Button size="small" color="primary" data-testid="quota-start">
          {t(L.common.start)}
        </Button>
      }
    >
      <div className="m-sub m-quota-survey">
        {a.surveyName} · {a.roundName}
      </div>
      <div className="m-line m-quota-progress">
        <ProgressBar
          className="m-grow"
          percent={a.target ? Math.min(100, (100 * count) / a.target) : 0}
        />
        <b data-testid="quota-count">
          {count}/{a.target}
        </b>
      </div>
      <div className="m-sub" data-testid="quota-mine">
        {t({ zh: `本人完成 ${a.mine} 份`, en: `${a.mine} by me` })}
        {pending > 0 && t({ zh: `，待同步 ${pending} 份`, en: `, ${pending} to sync` })}
        {full && (
          <Tag color="success" fill="outline" className="m-tag-gap" data-testid="quota-full">
            {t({ zh: '配额已满，可继续调查', en: 'Quota met; more still count' })}
          </Tag>
        )}
      </div>
    </Card>
  );
}

interface FormValues {
  householdCode?: string;
  spot?: string;
  age?: string;
  residentMonths?: string;
  answers?: Record<string, TAnswerValue | undefined>;
}

/** The server's field message "中文 / English" in the language shown. */
function fieldMessage(message: string, lang: Lang): string {
  const [zh, en] = message.split(' / ');
  return (lang === 'en' ? en : zh) ?? message;
}

/** Where a field error of the server belongs on the form. */
function fieldName(path: string): string | string[] {
  const p = path.replace(/^body\./, '');
  if (p.startsWith('answers.')) return ['answers', p.slice('answers.'.length)];
  if (p.startsWith('respondent.')) return p.slice('respondent.'.length);
  return p;
}

const WHOLE = /^\d{1,4}$/;

/** The questionnaire of one quota: the mode, the respondent, the questions, submit. */
function SurveyForm(props: {
  active: TGuideAssignment;
  choices: TGuideAssignment[];
  onMode: (a: TGuideAssignment) => void;
  onSubmitted: () => void;
}) {
  const { active, choices } = props;
  const { t, lang } = useI18n();
  const online = useOnline();
  const [form] = Form.useForm<FormValues>();
  const [startedAt, setStartedAt] = useState(() => new Date().toISOString());
  const [fix, setFix] = useState<Fix | null | undefined>(undefined);
  const [submitting, setSubmitting] = useState(false);
  const [done, setDone] = useState<{ sent: number; queued: number }>({ sent: 0, queued: 0 });
  const age = Form.useWatch('age', form);
  const months = Form.useWatch('residentMonths', form);
  const answers = Form.useWatch('answers', form);
  const qn = active.questionnaire;
  const rule = qn.eligibility;
  const asksResidence = rule.minResidentMonths !== null;
  const street = active.mode === 'street';
  const required = qn.questions.filter((q) => q.kind !== 'text');
  const answered = required.filter((q) => isAnswered(answers?.[q.id])).length;

  // Where the interview is: a fix as the form opens (shown), a fresh one at submit.
  useEffect(() => {
    let live = true;
    void fixWithin(8000).then((f) => live && setFix(f));
    return () => {
      live = false;
    };
  }, [startedAt]);

  // Known once the age (and, where asked, the residence) is filled in.
  const ineligible = useMemo(() => {
    if (!age || !WHOLE.test(age)) return [];
    if (asksResidence && (!months || !WHOLE.test(months))) return [];
    return ineligibleReasons(rule, {
      age: Number(age),
      residentMonths: asksResidence ? Number(months) : null,
    });
  }, [age, months, asksResidence, rule]);

  async function submit(v: FormValues) {
    setSubmitting(true);
    try {
      const at = (await fixWithin(5000, 30_000)) ?? fix ?? null;
      const spot = v.spot?.trim() ?? '';
      if (street && !spot && !at) {
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
      const given = Object.fromEntries(
        Object.entries(v.answers ?? {}).filter((e): e is [string, TAnswerValue] => {
          const x = e[1];
          return x !== undefined && x !== '' && !(Array.isArray(x) && x.length === 0);
        }),
      );
      const place = street ? `街访 ${spot || formatFix(at!)}` : (v.householdCode ?? '').trim();
      const outcome = await submitOrQueue(offlineQueue(), {
        clientId,
        label: t({
          zh: `问卷：${active.regionName} ${place}`,
          en: `Survey: ${active.regionName} ${street ? `street ${spot}` : place}`,
        }),
        endpoint: 'POST /api/survey-responses',
        body: {
          clientId,
          quotaId: active.quotaId,
          mode: active.mode,
          ...(street ? { spot: spot || null } : { householdCode: (v.householdCode ?? '').trim() }),
          respondent: {
            age: Number(v.age),
            ...(asksResidence ? { residentMonths: Number(v.residentMonths) } : {}),
          },
          answers: given,
          startedAt,
          submittedAt: new Date().toISOString(),
          lat: at?.lat ?? null,
          lng: at?.lng ?? null,
        },
      });
      Toast.show({
        icon: outcome === 'sent' ? 'success' : undefined,
        content:
          outcome === 'sent'
            ? t({ zh: '答卷已提交', en: 'Response submitted' })
            : t({ zh: '已离线保存，联网后自动同步', en: 'Saved offline; it syncs when online' }),
      });
      setDone((d) =>
        outcome === 'sent' ? { ...d, sent: d.sent + 1 } : { ...d, queued: d.queued + 1 },
      );
      form.resetFields();
      setStartedAt(new Date().toISOString());
      window.scrollTo?.(0, 0);
      props.onSubmitted();
    } catch (err) {
      showRefusal(err);
    } finally {
      setSubmitting(false);
    }
  }

  /** The server's refusal: on the fields it names, else in a dialog (round closed, not yours …). */
  function showRefusal(err: unknown) {
    const fields = err instanceof ApiError ? err.fields : [];
    const known = new Set([
      'householdCode',
      'spot',
      'age',
      'residentMonths',
      ...qn.questions.map((q) => q.id),
    ]);
    const onForm = fields.filter((f) => {
      const n = fieldName(f.path);
      return known.has(Array.isArray(n) ? n[1]! : n);
    });
    if (err instanceof ApiError && err.code === 'duplicate_household') {
      onForm.push({ path: 'householdCode', message: `${err.messageZh} / ${err.messageEn}` });
    }
    if (onForm.length) {
      form.setFields(
        onForm.map((f) => ({ name: fieldName(f.path), errors: [fieldMessage(f.message, lang)] })),
      );
      Toast.show({ icon: 'fail', content: errorText(err, lang) });
      scrollToError();
    } else {
      void Dialog.alert({
        title: t({ zh: '提交未成功', en: 'Not submitted' }),
        content: <span data-testid="survey-refused">{errorText(err, lang)}</span>,
        confirmText: t({ zh: '知道了', en: 'OK' }),
      });
    }
  }

  return (
    <div className="m-pad m-survey-form">
      {(done.sent > 0 || done.queued > 0) && (
        <NoticeBar
          className="m-notice"
          color="success"
          wrap
          data-testid="survey-done"
          content={t({
            zh: `本次已完成 ${done.sent + done.queued} 份${done.queued ? `（${done.queued} 份待同步）` : ''}，请继续下一位受访者`,
            en: `${done.sent + done.queued} done this time${done.queued ? ` (${done.queued} to sync)` : ''}; next respondent`,
          })}
        />
      )}
      <Card className="m-card" title={`${active.regionName} · ${qn.groupLabel}`}>
        {qn.intro && <p className="m-intro">{qn.intro}</p>}
        <div className="m-survey-meta" data-testid="survey-gps">
          <span>
            <ClockCircleOutline /> {t(L.common.started)} {formatTime(startedAt).slice(11)}
          </span>
          <span>
            <EnvironmentOutline />{' '}
            {fix === undefined
              ? t({ zh: '定位中…', en: 'Locating…' })
              : fix
                ? formatFix(fix)
                : t(L.common.noGps)}
          </span>
        </div>
      </Card>
      <Form
        form={form}
        layout="vertical"
        mode="card"
        className="m-form"
        onFinish={(v: FormValues) => void submit(v)}
        onFinishFailed={scrollToError}
        footer={
          <div className="m-form-foot">
            <div className="m-sub" data-testid="survey-answered">
              {t({
                zh: `已答 ${answered}/${required.length} 题`,
                en: `${answered}/${required.length} answered`,
              })}
            </div>
            <Button
              block
              type="submit"
              color="primary"
              size="large"
              loading={submitting}
              data-testid="survey-submit"
            >
              {online
                ? t({ zh: '提交答卷', en: 'Submit' })
                : t({ zh: '离线保存', en: 'Save offline' })}
            </Button>
          </div>
        }
      >
        <Form.Header>{t({ zh: '受访者', en: 'Respondent' })}</Form.Header>
        <Form.Item label={t(L.surveys.mode)}>
          <Selector
            columns={choices.length}
            value={[active.mode]}
            data-testid="survey-mode"
            onChange={(v) => {
              const next = choices.find((c) => c.mode === v[0]);
              // The same group's questionnaire: the answers given so far stay.
              if (next && next.mode !== active.mode) props.onMode(next);
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
            description={t({
              zh: '街访不记户码；填写地点，或允许手机定位',
              en: 'No household code in the street: name the spot, or allow the GPS',
            })}
          >
            <Input id="street-spot" placeholder="人民广场东门" maxLength={100} clearable />
          </Form.Item>
        ) : (
          <Form.Item
            name="householdCode"
            label={t({ zh: '户码（楼栋-门牌）', en: 'Household code' })}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t({ zh: '请填写户码', en: 'Enter the household' }),
              },
            ]}
          >
            <Input id="household-code" placeholder="3幢-101" maxLength={40} clearable />
          </Form.Item>
        )}
        <Form.Item
          name="age"
          label={t({ zh: '年龄（周岁）', en: 'Age' })}
          rules={wholeRules(t, { zh: '请填写年龄', en: 'Enter the age' }, 120)}
        >
          <Input id="respondent-age" type="number" inputMode="numeric" maxLength={3} />
        </Form.Item>
        {asksResidence && (
          <Form.Item
            name="residentMonths"
            label={t({ zh: '本地居住（月）', en: 'Resident (months)' })}
            rules={wholeRules(
              t,
              { zh: '请填写本地居住月数', en: 'Enter the months of residence' },
              1200,
            )}
          >
            <Input id="resident-months" type="number" inputMode="numeric" maxLength={4} />
          </Form.Item>
        )}
        <Form.Item>
          <div className="m-sub m-rule">
            {t({ zh: '调查对象：', en: 'Who counts: ' })}
            {t(describeRule(rule))}
          </div>
          {ineligible.length > 0 && (
            <NoticeBar
              className="m-notice"
              color="alert"
              wrap
              data-testid="ineligible"
              content={t({
                zh: `不符合调查对象条件（${ineligible.map((r) => r.zh).join('，')}），答卷将记录但不计入结果`,
                en: `Not eligible (${ineligible.map((r) => r.en).join(', ')}): recorded but not counted`,
              })}
            />
          )}
        </Form.Item>
        <Form.Header>{t(L.surveys.survey)}</Form.Header>
        {qn.questions.map((q, i) => (
          <QuestionItem key={q.id} q={q} index={i} />
        ))}
      </Form>
    </div>
  );
}

function isAnswered(v: TAnswerValue | undefined): boolean {
  return v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
}

/** A whole number 0…max, required. */
function wholeRules(t: (l: L) => string, missing: L, max: number) {
  return [
    { required: true, message: t(missing) },
    {
      validator: (_: unknown, v: string | undefined) =>
        !v || (WHOLE.test(v) && Number(v) <= max)
          ? Promise.resolve()
          : Promise.reject(
              new Error(t({ zh: `请填写 0—${max} 的整数`, en: `A whole number 0–${max}` })),
            ),
    },
  ];
}

/** Brings the first field in error into view (the questions run long on a phone). */
function scrollToError() {
  window.setTimeout(() => {
    document
      .querySelector('.m-survey-form .adm-form-item-has-error')
      ?.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
  }, 50);
}

/** One question, in the kind the questionnaire gives it; all but open text must be answered. */
function QuestionItem({ q, index }: { q: TQuestion; index: number }) {
  const { t } = useI18n();
  const label = (
    <span className="m-q-label">
      {index + 1}. {q.text}
      {q.dimension && (
        <Tag color="primary" fill="outline" className="m-tag-gap">
          {t(DIMENSION_LABELS[q.dimension])}
        </Tag>
      )}
      {q.kind === 'multiple' && (
        <span className="m-muted"> {t({ zh: '（可多选）', en: '(any number)' })}</span>
      )}
    </span>
  );
  const message = t({ zh: '请作答', en: 'Answer this' });
  // A multiple choice left with nothing ticked is an empty list: unanswered too.
  const rules =
    q.kind === 'text'
      ? []
      : [
          q.kind === 'multiple'
            ? { required: true, type: 'array' as const, message }
            : { required: true, message },
        ];
  return (
    <Form.Item name={['answers', q.id]} label={label} rules={rules} data-testid={`q-${q.id}`}>
      {q.kind === 'single' ? (
        <Radio.Group>
          <Space direction="vertical" block className="m-options">
            {q.options.map((o) => (
              <Radio key={o} value={o} block>
                {o}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      ) : q.kind === 'multiple' ? (
        <Checkbox.Group>
          <Space direction="vertical" block className="m-options">
            {q.options.map((o) => (
              <Checkbox key={o} value={o} block>
                {o}
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      ) : q.kind === 'rating' ? (
        <Rating scale={q.scale ?? 5} />
      ) : (
        <TextArea
          rows={2}
          maxLength={500}
          showCount
          placeholder={t({ zh: '选填', en: 'Optional' })}
        />
      )}
    </Form.Item>
  );
}

/** 1…scale as chips; the value is the number. */
function Rating(props: {
  scale: number;
  value?: number;
  onChange?: (v: number | undefined) => void;
}) {
  return (
    <Selector
      columns={Math.min(props.scale, 5)}
      value={props.value === undefined ? [] : [props.value]}
      onChange={(v) => props.onChange?.(v[0])}
      options={Array.from({ length: props.scale }, (_, i) => ({
        value: i + 1,
        label: String(i + 1),
      }))}
    />
  );
}
