import { shanghaiDate } from '../calendar/working-days.js';

/** The month (YYYY-MM) an instant falls in, Beijing time. */
export function monthOf(at: Date): string {
  return shanghaiDate(at).slice(0, 7);
}

/** The month before `month` (YYYY-MM). */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
