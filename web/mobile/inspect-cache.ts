import type { TMyRound } from '../../core/contracts/inspections.js';

/**
 * The inspector's rounds as last loaded online (GET /api/inspections/mine: the drawn points, their
 * checklists, the 随机查看 types), kept on the phone so 实地检查 opens with no network. The key is
 * the one the desktop's old /inspect page used, so a phone that had it keeps its rounds. Small and
 * free of UI code: the task list (first load) writes it too, and signing out clears it.
 */
export const ROUNDS_KEY = 'cc-inspections-mine';

/** The rounds kept on this phone, or null when none were ever loaded here. */
export function loadKeptRounds(): TMyRound[] | null {
  try {
    const v = JSON.parse(localStorage.getItem(ROUNDS_KEY) ?? 'null') as unknown;
    return Array.isArray(v) ? (v as TMyRound[]) : null;
  } catch {
    return null;
  }
}

/** Keeps the rounds just loaded (a full storage keeps the older copy: the flow still opens). */
export function keepRounds(rounds: TMyRound[]): void {
  try {
    localStorage.setItem(ROUNDS_KEY, JSON.stringify(rounds));
  } catch {
    // Quota exceeded: what was kept before stays.
  }
}

/** Forgets them: on signing out, so the next person on this phone never sees them. */
export function forgetKeptRounds(): void {
  try {
    localStorage.removeItem(ROUNDS_KEY);
  } catch {
    // No storage at all: nothing was kept.
  }
}
