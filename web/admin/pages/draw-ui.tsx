import { Alert } from 'antd';
import type { DrawRule } from '../../../core/draw/draw.js';
import { verifyDraw } from '../../../core/draw/draw.js';
import { useI18n } from '../../shared/i18n.js';

/** A revealed draw — a round's or one day's — as the browser re-runs it. */
export interface RevealedDraw {
  seed: string | null;
  commitment: string | null;
  fingerprint: string | null;
  frozenList: { id: number; type: string }[] | null;
  plan: DrawRule[] | null;
  drawnIds: number[] | null;
}

/** 在本机核验: re-runs a revealed draw here with the shared core/draw code. */
export async function verifyInBrowser(
  d: RevealedDraw,
): Promise<{ ok: boolean; reasons: string[] }> {
  const res = await verifyDraw(
    {
      seed: d.seed!,
      commitment: d.commitment!,
      fingerprint: d.fingerprint!,
      points: d.frozenList ?? [],
      plan: d.plan ?? [],
    },
    d.drawnIds ?? [],
  );
  return { ok: res.ok, reasons: res.reasons };
}

/** The warning every draw confirmation ends with: a draw cannot be undone. */
export function IrreversibleDrawAlert() {
  const { t } = useI18n();
  return (
    <Alert
      type="warning"
      showIcon
      title={t({
        zh: '抽签结果一经产生即记录在案，不能撤销，也不能重新抽取。',
        en: 'The result is recorded as soon as it is drawn: it cannot be undone or drawn again.',
      })}
    />
  );
}
