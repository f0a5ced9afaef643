import { Button, TextArea } from 'antd-mobile';
import { EnvironmentOutline } from 'antd-mobile-icons';
import { useEffect, useState } from 'react';
import type { TProblem } from '../../../core/contracts/problems.js';
import { L, useI18n } from '../../shared/i18n.js';
import { shanghaiToday } from '../tasks.js';
import { FieldError, FormError, PhotoPicker, Sheet } from './flow-bits.js';
import { takeStep, type TUnitStep } from './rectify-step.js';

const TITLES: Record<TUnitStep, L> = {
  submit: { zh: '上报整改', en: 'Report the rectification' },
  request_extension: L.problems.requestExtension,
  return: { zh: '退回问题', en: 'Return the problem' },
};

type Errors = Partial<Record<'photos' | 'note' | 'until', string>>;

/**
 * The form of one unit step, in a bottom sheet: after-photos and what was done (the position is
 * taken on sending); the day asked for and why; why it is not the unit's. Checked here first, in
 * the person's language; what the server refuses is shown above the button.
 */
export function StepSheet(props: {
  step: TUnitStep | null;
  problem: TProblem;
  onClose: () => void;
  onDone: (outcome: 'sent' | 'queued') => void;
  /** The server refused the step (stale, wrong state…): the page loads the problem again. */
  onRefused: () => void;
}) {
  const { t } = useI18n();
  const { step, problem } = props;
  const [photos, setPhotos] = useState<File[]>([]);
  const [note, setNote] = useState('');
  const [until, setUntil] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [refusal, setRefusal] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setPhotos([]);
    setNote('');
    setUntil('');
    setErrors({});
    setRefusal(null);
  }, [step]);

  // Shanghai day of the current deadline: the day asked for must come after it (and after today).
  const deadlineDay = problem.deadline ? shanghaiToday(new Date(problem.deadline)) : null;
  const today = shanghaiToday();
  const earliest = deadlineDay && deadlineDay > today ? deadlineDay : today;

  const check = (): Errors => {
    const e: Errors = {};
    if (step === 'submit' && photos.length === 0)
      e.photos = t({ zh: '请拍摄整改后照片', en: 'Take a photo of the fix' });
    if (!note.trim())
      e.note =
        step === 'submit'
          ? t({ zh: '请填写整改情况', en: 'Say what was done' })
          : step === 'return'
            ? t({ zh: '请填写退回理由', en: 'Give the reason for returning it' })
            : t({ zh: '请填写申请延期的理由', en: 'Give the reason for more time' });
    if (step === 'request_extension') {
      if (!until) e.until = t({ zh: '请选择申请延期到的日期', en: 'Choose the day you ask for' });
      else if (until <= earliest)
        e.until = t({
          zh: `申请的期限必须晚于 ${earliest}`,
          en: `The day asked for must be after ${earliest}`,
        });
    }
    return e;
  };

  const send = () => {
    if (!step) return;
    const e = check();
    setErrors(e);
    setRefusal(null);
    if (Object.keys(e).length) return;
    setBusy(true);
    takeStep(problem, step, { note, photos, until }, t)
      .then(props.onDone, (err: unknown) => {
        setRefusal(err);
        props.onRefused();
      })
      .finally(() => setBusy(false));
  };

  return (
    <Sheet
      open={step !== null}
      title={step ? t(TITLES[step]) : ''}
      onClose={props.onClose}
      testId="m-step-sheet"
      foot={
        <>
          <FormError error={refusal} />
          <Button
            block
            color={step === 'return' ? 'danger' : 'primary'}
            size="large"
            loading={busy}
            onClick={send}
            data-testid="m-step-send"
          >
            {step ? t(TITLES[step]) : ''}
          </Button>
        </>
      }
    >
      <div className="m-sheet-problem">{problem.title}</div>
      {step === 'submit' && (
        <>
          <div className="m-field-label">{t(L.problems.afterPhotos)}</div>
          <PhotoPicker value={photos} onChange={setPhotos} testId="m-step-photos" />
          <FieldError error={errors.photos} testId="m-error-photos" />
          <div className="m-gps">
            <EnvironmentOutline />{' '}
            {t({ zh: '提交时记录当前位置', en: 'Your position is recorded on sending' })}
          </div>
        </>
      )}
      {step === 'request_extension' && (
        <>
          <div className="m-field-label">{t(L.problems.extendTo)}</div>
          <input
            type="date"
            className="m-date"
            min={earliest}
            value={until}
            onChange={(e) => setUntil(e.target.value)}
            data-testid="m-step-until"
          />
          <FieldError error={errors.until} testId="m-error-until" />
        </>
      )}
      <div className="m-field-label">
        {step === 'submit' ? t(L.problems.whatWasDone) : t({ zh: '理由', en: 'Reason' })}
      </div>
      <TextArea
        className="m-note"
        placeholder={
          step === 'submit'
            ? t({ zh: '如：已清运垃圾并设置警示牌', en: 'e.g. cleared and signposted' })
            : t({ zh: '请说明理由', en: 'Explain why' })
        }
        value={note}
        onChange={setNote}
        rows={3}
        maxLength={2000}
        data-testid="m-step-note"
      />
      <FieldError error={errors.note} testId="m-error-note" />
    </Sheet>
  );
}
