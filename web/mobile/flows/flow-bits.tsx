import { Button, NoticeBar, Popup } from 'antd-mobile';
import { AddOutline, CameraOutline, CloseCircleFill } from 'antd-mobile-icons';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import type { KeptAnswer } from '../phone-store.js';
import './flow-bits.css';

// Pieces the rectification and visit flows share: a bottom sheet with its form, photos taken on
// the phone (kept as files until the offline queue uploads them), a field's error, and the note
// that a list is the one kept on the phone.

/** A bottom sheet: a title, the form's fields, and its submit button at the foot. */
export function Sheet(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  testId: string;
  foot: ReactNode;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Popup
      visible={props.open}
      onMaskClick={props.onClose}
      onClose={props.onClose}
      position="bottom"
      bodyClassName="m-sheet"
      destroyOnClose
    >
      <div className="m-sheet-inner" data-testid={props.testId}>
        <div className="m-sheet-head">
          <span>{props.title}</span>
          <Button fill="none" size="small" onClick={props.onClose}>
            {t(L.common.cancel)}
          </Button>
        </div>
        <div className="m-sheet-body">{props.children}</div>
        <div className="m-sheet-foot">{props.foot}</div>
      </div>
    </Popup>
  );
}

/** What is wrong with a field, under it (in the language chosen). */
export function FieldError({ error, testId }: { error?: string | undefined; testId: string }) {
  if (!error) return null;
  return (
    <div className="m-field-error" data-testid={testId}>
      {error}
    </div>
  );
}

/** The server's refusal (or a failure) of a form, above its button. */
export function FormError({ error }: { error: unknown }) {
  const { lang } = useI18n();
  if (!error) return null;
  return (
    <NoticeBar
      color="error"
      wrap
      className="m-form-error"
      content={<span data-testid="m-form-error">{errorText(error, lang)}</span>}
    />
  );
}

/** Up to `max` photos taken with the camera (or picked), shown as thumbnails, removable. */
export function PhotoPicker(props: {
  value: File[];
  onChange: (files: File[]) => void;
  max?: number;
  testId: string;
}) {
  const { t } = useI18n();
  const max = props.max ?? 9;
  const input = useRef<HTMLInputElement>(null);
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    const made = props.value.map((f) => URL.createObjectURL(f));
    setUrls(made);
    return () => made.forEach((u) => URL.revokeObjectURL(u));
  }, [props.value]);
  return (
    <div className="m-photos" data-testid={props.testId}>
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        hidden
        data-testid={`${props.testId}-input`}
        onChange={(e) => {
          const picked = [...(e.target.files ?? [])];
          e.target.value = '';
          if (picked.length) props.onChange([...props.value, ...picked].slice(0, max));
        }}
      />
      {urls.map((u, i) => (
        <div key={u} className="m-thumb">
          <img src={u} alt="" />
          <button
            type="button"
            className="m-thumb-remove"
            aria-label={t(L.common.deletePhoto)}
            onClick={() => props.onChange(props.value.filter((_, j) => j !== i))}
          >
            <CloseCircleFill />
          </button>
        </div>
      ))}
      {props.value.length < max && (
        <button
          type="button"
          className="m-thumb m-thumb-add"
          onClick={() => input.current?.click()}
          data-testid={`${props.testId}-add`}
        >
          {props.value.length ? <AddOutline fontSize={24} /> : <CameraOutline fontSize={28} />}
          <span>
            {props.value.length ? t({ zh: '再拍一张', en: 'Another' }) : t(L.common.takePhoto)}
          </span>
        </button>
      )}
    </div>
  );
}

/**
 * A list's state for the person: loaded, shown from the phone (offline, with when it was kept), or
 * not available (offline with nothing kept, or the server's refusal).
 */
export function KeptNote<T>({ answer }: { answer: KeptAnswer<T> }) {
  const { t, lang } = useI18n();
  if (answer.keptAt) {
    return (
      <div className="m-kept" data-testid="m-kept">
        {t({
          zh: `离线：显示 ${formatTime(answer.keptAt)} 保存在手机上的数据`,
          en: `Offline: as saved on the phone at ${formatTime(answer.keptAt)}`,
        })}
      </div>
    );
  }
  if (!answer.data && !answer.loading && answer.error) {
    return (
      <div className="m-kept m-danger" data-testid="m-not-loaded">
        {answer.error instanceof ApiError
          ? `${t({ zh: '暂时无法加载：', en: 'Could not load: ' })}${errorText(answer.error, lang)}`
          : t({
              zh: '离线，手机上还没有保存的数据；联网后自动显示',
              en: 'Offline and nothing saved on the phone yet; shown once back online',
            })}
      </div>
    );
  }
  return null;
}
