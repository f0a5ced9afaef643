import type { TProblem } from '../../../core/contracts/problems.js';
import { L } from '../../shared/i18n.js';
import { offlineQueue, submitOrQueue, type OfflineQueue } from '../../shared/offline-queue.js';
import { positionNow } from '../../shared/patrol-walk.js';
import type { QueuedStep } from '../problem-bits.js';

/** The steps a unit takes on the phone (core/problems/lifecycle.ts: the unit's party). */
export const UNIT_STEPS = ['submit', 'request_extension', 'return'] as const;
export type TUnitStep = (typeof UNIT_STEPS)[number];

export interface StepInput {
  note: string;
  /** submit: the after-photos. */
  photos?: File[];
  /** request_extension: the day asked for (YYYY-MM-DD, Shanghai). */
  until?: string;
}

/** A step as the queue and the page name it. */
export const STEP_LABELS: Record<TUnitStep, L> = {
  submit: { zh: '整改上报', en: 'Rectification' },
  request_extension: L.problems.requestExtension,
  return: L.problems.returned,
};

/**
 * Takes a unit's step on a problem through the offline queue: sent at once when online, kept on
 * the phone (with its photos) otherwise. The client id makes the queue's retries harmless (the
 * server answers a repeated id with the problem as it is); a rectification carries where the
 * phone is. Resolves 'sent' or 'queued'; a refusal by the server throws (ApiError).
 */
export async function takeStep(
  problem: Pick<TProblem, 'id' | 'version' | 'title'>,
  step: TUnitStep,
  input: StepInput,
  t: (l: L) => string,
  queue: OfflineQueue = offlineQueue(),
): Promise<'sent' | 'queued'> {
  const clientId = crypto.randomUUID();
  const files = (input.photos ?? []).map((blob, i) => ({
    key: crypto.randomUUID(),
    blob,
    name: blob.name || `after-${i + 1}.jpg`,
  }));
  const here = step === 'submit' ? await positionNow() : null;
  return submitOrQueue(queue, {
    clientId,
    label: `${t(STEP_LABELS[step])}：${problem.title}`,
    endpoint: 'POST /api/problems/:id/actions',
    params: { id: problem.id },
    body: {
      action: step,
      version: problem.version,
      note: input.note.trim(),
      clientId,
      ...(files.length ? { photoIds: files.map((f) => `$file:${f.key}`) } : {}),
      ...(input.until ? { extensionDeadline: `${input.until}T23:59:59+08:00` } : {}),
      ...(here ? { lat: here.lat, lng: here.lng } : {}),
    },
    files,
  });
}

/**
 * Sends a step the server refused again, at the problem's current version (its photos are kept,
 * uploaded ones not uploaded twice): the person read the refusal and chose to. The refused item
 * goes once the new one is accepted or queued.
 */
export async function retryStep(
  item: QueuedStep,
  version: number,
  queue: OfflineQueue = offlineQueue(),
): Promise<'sent' | 'queued'> {
  if (!item.body || !item.params) throw new Error('a queued step names its problem and action');
  const clientId = crypto.randomUUID();
  const outcome = await submitOrQueue(queue, {
    clientId,
    label: item.label,
    endpoint: item.endpoint,
    params: item.params,
    body: { ...item.body, version, clientId },
    files: item.files,
  });
  await queue.discard(item.clientId);
  return outcome;
}

/** The step a queued item takes, if it is a unit's step. */
export function stepOf(item: QueuedStep): TUnitStep | null {
  const action = item.body?.action;
  return UNIT_STEPS.find((s) => s === action) ?? null;
}
