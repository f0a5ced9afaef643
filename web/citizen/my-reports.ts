/** The reports filed from this browser, so the citizen finds their codes again. */
export interface MyReport {
  code: string;
  at: string;
  category: string;
}

const KEY = 'cc.myReports';

export function myReports(): MyReport[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as MyReport[]) : [];
  } catch {
    return [];
  }
}

export function rememberReport(r: MyReport): void {
  localStorage.setItem(KEY, JSON.stringify([r, ...myReports()].slice(0, 20)));
}
