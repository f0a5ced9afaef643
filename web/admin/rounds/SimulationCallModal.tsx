import { PhoneOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Checkbox,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Typography,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import type { TRound } from '../../../core/contracts/inspections.js';
import type {
  TSimulationCheck,
  TSimulationCheckInput,
  TSimulationTarget,
} from '../../../core/contracts/simulations.js';
import {
  ANSWER_QUALITIES,
  ANSWER_QUALITY_LABELS,
  SECONDS_PER_RING,
} from '../../../core/inspection/simulation.js';
import { apiCall, fileForm } from '../../shared/api.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';

interface CallValues {
  calledAt: Dayjs;
  callerName?: string;
  roundId?: number | null;
  answered: boolean;
  rings?: number | null;
  waitSeconds?: number | null;
  answer?: (typeof ANSWER_QUALITIES)[number] | null;
  callbackPromised?: boolean;
  /** 'yes' | 'no' | 'waiting': whether the promised call-back came within the limit. */
  callback?: 'yes' | 'no' | 'waiting';
  notes?: string;
  raiseProblem: boolean;
  reason?: string;
}

/** The request body for the form's values: nothing about an answer that did not come. */
export function callBody(v: CallValues, fileIds: string[]) {
  const answered = v.answered;
  const promised = answered && v.callbackPromised === true;
  return {
    calledAt: v.calledAt.toISOString(),
    ...(v.callerName?.trim() ? { callerName: v.callerName.trim() } : {}),
    roundId: v.roundId ?? null,
    answered,
    rings: answered ? (v.rings ?? null) : null,
    waitSeconds: answered ? (v.waitSeconds ?? null) : null,
    answer: answered ? (v.answer ?? null) : null,
    callbackPromised: answered ? (v.callbackPromised ?? null) : null,
    callbackOnTime:
      promised && v.callback && v.callback !== 'waiting' ? v.callback === 'yes' : null,
    notes: v.notes?.trim() ? v.notes.trim() : null,
    fileIds,
    raiseProblem: v.raiseProblem,
  };
}

/**
 * 记录拨打: the quick form a caller fills while dialling — a stopwatch from dialling to a person
 * answering (5 s a ring), answered or not, the answer, a promised call-back — or the correction of
 * a recorded call, with its reason. `clock` is the stopwatch's time source (tests pass their own).
 */
export function SimulationCallModal(props: {
  target: TSimulationTarget;
  rounds: TRound[];
  /** The check being corrected; absent for a new call. */
  check?: TSimulationCheck;
  onClose: (changed: boolean) => void;
  clock?: () => number;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { target, check } = props;
  const clock = props.clock ?? (() => Date.now());
  const [form] = Form.useForm<CallValues>();
  const [fileIds, setFileIds] = useState<string[]>(check?.fileIds ?? []);
  const [saving, setSaving] = useState(false);
  // One client id per form: pressing OK twice (or a retry) never records two calls.
  const [clientId] = useState(() => crypto.randomUUID());
  const started = useRef<number | null>(null);
  const [timing, setTiming] = useState(false);
  const answered = Form.useWatch('answered', form) ?? true;
  const promised = Form.useWatch('callbackPromised', form) === true;
  const waitSeconds = Form.useWatch('waitSeconds', form);

  const startTimer = () => {
    started.current = clock();
    setTiming(true);
    form.setFieldsValue({ calledAt: dayjs(started.current) });
  };
  const stopTimer = (picked: boolean) => {
    const seconds =
      started.current === null ? null : Math.round((clock() - started.current) / 1000);
    started.current = null;
    setTiming(false);
    form.setFieldsValue(
      picked ? { answered: true, waitSeconds: seconds } : { answered: false, waitSeconds: null },
    );
  };

  const submit = async () => {
    const v = await form.validateFields();
    const body = callBody(v, fileIds);
    setSaving(true);
    try {
      if (check) {
        await apiCall('PATCH /api/simulation-checks/:id', {
          params: { id: check.id },
          // The form requires the reason of a correction.
          body: { ...body, reason: v.reason ?? '', version: check.version },
        });
        message.success(t(L.common.corrected));
      } else {
        const input: TSimulationCheckInput = { ...body, clientId, targetId: target.id };
        const saved = await apiCall('POST /api/simulation-checks', { body: input });
        message.success(
          saved.problemCode
            ? t({
                zh: `已记录：不合格，已立案 ${saved.problemCode} 派往${target.unitName}`,
                en: `Recorded: failed, problem ${saved.problemCode} sent to ${target.unitName}`,
              })
            : t({ zh: '已记录', en: 'Recorded' }),
        );
      }
      props.onClose(true);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    } finally {
      setSaving(false);
    }
  };

  const initial: Partial<CallValues> = check
    ? {
        calledAt: dayjs(check.calledAt),
        callerName: check.callerName,
        roundId: check.roundId,
        answered: check.answered,
        rings: check.rings,
        waitSeconds: check.waitSeconds,
        answer: check.answer,
        callbackPromised: check.callbackPromised === true,
        callback: check.callbackOnTime === null ? 'waiting' : check.callbackOnTime ? 'yes' : 'no',
        notes: check.notes ?? '',
        raiseProblem: true,
      }
    : { calledAt: dayjs(clock()), answered: true, raiseProblem: true, callback: 'waiting' };

  return (
    <Modal
      open
      width={600}
      destroyOnHidden
      title={`${check ? t({ zh: '更正拨打记录', en: 'Correct a call' }) : t({ zh: '记录拨打', en: 'Record a call' })}：${target.name}`}
      okText={check ? t(L.common.submitCorrection) : t({ zh: '记录', en: 'Record' })}
      okButtonProps={{ loading: saving, id: 'call-save' }}
      onOk={() => void submit()}
      onCancel={() => props.onClose(false)}
    >
      <Typography.Paragraph type="secondary" data-testid="call-criteria">
        {target.contact} · {target.unitName} · {t(L.points.passCriteria)}：{t(target.criteria)}
        {target.script ? ` · ${t({ zh: '情景', en: 'Scenario' })}：${target.script}` : ''}
      </Typography.Paragraph>
      {!check && (
        <Space style={{ marginBottom: 12 }}>
          {timing ? (
            <>
              <Button type="primary" onClick={() => stopTimer(true)} data-testid="timer-answered">
                {t({ zh: '有人接听', en: 'Answered' })}
              </Button>
              <Button danger onClick={() => stopTimer(false)} data-testid="timer-unanswered">
                {t({ zh: '无人接听', en: 'No answer' })}
              </Button>
            </>
          ) : (
            <Button icon={<PhoneOutlined />} onClick={startTimer} data-testid="timer-start">
              {t({ zh: '开始拨打（计时）', en: 'Dial (start timer)' })}
            </Button>
          )}
        </Space>
      )}
      <Form form={form} layout="vertical" initialValues={initial}>
        <Space wrap>
          <Form.Item
            name="calledAt"
            label={t({ zh: '拨打时间', en: 'Called at' })}
            rules={[{ required: true }]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="callerName" label={t({ zh: '拨打人', en: 'Caller' })}>
            <Input
              style={{ width: 140 }}
              placeholder={t({ zh: '默认本人', en: 'You' })}
              data-testid="call-caller"
            />
          </Form.Item>
          <Form.Item name="roundId" label={t({ zh: '测评轮次（可选）', en: 'Round (optional)' })}>
            <Select
              allowClear
              style={{ width: 180 }}
              options={props.rounds.map((r) => ({ value: r.id, label: r.name }))}
              data-testid="call-round"
            />
          </Form.Item>
        </Space>
        <Form.Item name="answered" label={t({ zh: '是否接通', en: 'Answered?' })}>
          <Radio.Group data-testid="call-answered">
            <Radio.Button value={true}>{t(L.framework.answered)}</Radio.Button>
            <Radio.Button value={false}>{t(L.framework.notAnswered)}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        {answered && (
          <>
            <Space wrap>
              <Form.Item name="rings" label={t({ zh: '响铃声数', en: 'Rings' })}>
                <InputNumber min={0} max={100} data-testid="call-rings" />
              </Form.Item>
              <Form.Item
                name="waitSeconds"
                label={t({ zh: '等待秒数', en: 'Seconds waited' })}
                extra={
                  typeof waitSeconds === 'number'
                    ? t({
                        zh: `约 ${Math.ceil(waitSeconds / SECONDS_PER_RING)} 声`,
                        en: `about ${Math.ceil(waitSeconds / SECONDS_PER_RING)} rings`,
                      })
                    : undefined
                }
              >
                <InputNumber min={0} max={3600} data-testid="call-seconds" />
              </Form.Item>
            </Space>
            <Form.Item
              name="answer"
              label={t({ zh: '答复是否准确', en: 'Answer correct?' })}
              rules={
                target.requireCorrect
                  ? [{ required: true, message: t({ zh: '请选择', en: 'Choose one' }) }]
                  : []
              }
            >
              <Radio.Group data-testid="call-answer">
                {ANSWER_QUALITIES.map((a) => (
                  <Radio.Button key={a} value={a}>
                    {t(ANSWER_QUALITY_LABELS[a])}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            {target.callbackDays !== null && (
              <Space wrap align="start">
                <Form.Item name="callbackPromised" valuePropName="checked">
                  <Checkbox data-testid="call-callback">
                    {t({
                      zh: `承诺回复（时限 ${target.callbackDays} 个工作日）`,
                      en: `Call-back promised (${target.callbackDays} working days)`,
                    })}
                  </Checkbox>
                </Form.Item>
                {promised && (
                  <Form.Item name="callback">
                    <Radio.Group data-testid="call-callback-state">
                      <Radio value="waiting">{t({ zh: '等待中', en: 'Awaited' })}</Radio>
                      <Radio value="yes">{t({ zh: '按时回复', en: 'On time' })}</Radio>
                      <Radio value="no">{t({ zh: '超时未复', en: 'Late' })}</Radio>
                    </Radio.Group>
                  </Form.Item>
                )}
              </Space>
            )}
          </>
        )}
        <Form.Item name="notes" label={t({ zh: '记录', en: 'Notes' })}>
          <Input.TextArea rows={2} maxLength={1000} data-testid="call-notes" />
        </Form.Item>
        <Form.Item name="raiseProblem" valuePropName="checked">
          <Checkbox data-testid="call-raise">
            {t({
              zh: `不合格时立案并派往${target.unitName}`,
              en: `If it fails, register a problem for ${target.unitName}`,
            })}
          </Checkbox>
        </Form.Item>
        {check && (
          <Form.Item
            name="reason"
            label={t(L.common.correctionReason)}
            rules={[
              {
                required: true,
                min: 2,
                message: t(L.common.giveCorrectionReason),
              },
            ]}
          >
            <Input data-testid="call-reason" />
          </Form.Item>
        )}
        <Upload
          accept="image/*"
          maxCount={3}
          customRequest={({ file, onSuccess, onError }) => {
            apiCall('POST /api/files', { body: fileForm(file as File, (file as File).name) })
              .then((r) => {
                setFileIds((ids) => [...ids, r.id]);
                onSuccess?.(r);
              })
              .catch((err: unknown) => {
                message.error(errorText(err, lang));
                onError?.(err as Error);
              });
          }}
        >
          <Button icon={<UploadOutlined />}>
            {t({ zh: '上传通话记录截图（可选）', en: 'Call-log screenshot (optional)' })}
          </Button>
        </Upload>
      </Form>
    </Modal>
  );
}
