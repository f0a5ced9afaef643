import type { TErrorResponse, TRowError } from '../../core/contracts/common.js';

/** An API error carrying both languages, the field list and the row list of imports. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    public readonly messageZh: string,
    public readonly messageEn: string,
    public readonly fields: { path: string; message: string }[] = [],
    public readonly rows: TRowError[] = [],
  ) {
    super(messageZh);
  }
}

let csrfToken = '';
/** Set after sign-in and after /api/auth/me; sent on every write. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

let onUnauthenticated: () => void = () => undefined;
export function setOnUnauthenticated(fn: () => void): void {
  onUnauthenticated = fn;
}

export async function toError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as TErrorResponse;
    const e = body.error;
    return new ApiError(res.status, e.code, e.messageZh, e.messageEn, e.fields ?? [], e.rows ?? []);
  } catch {
    return new ApiError(
      res.status,
      'http',
      `请求失败（${res.status}）`,
      `request failed (${res.status})`,
    );
  }
}

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : '';
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined && !(body instanceof FormData))
    headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
  if (res.status === 401 && !url.endsWith('/api/auth/login')) onUnauthenticated();
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const patch = <T>(url: string, body: unknown) => api<T>('PATCH', url, body);
export const put = <T>(url: string, body: unknown) => api<T>('PUT', url, body);
export const del = <T = void>(url: string) => api<T>('DELETE', url);

/** Uploads one file as multipart form data. */
export function upload<T>(url: string, file: File | Blob, name = 'upload.xlsx'): Promise<T> {
  const form = new FormData();
  form.append('file', file, name);
  return api<T>('POST', url, form);
}

/**
 * Uploads one file and saves the file the server answers with (an import's error sheet): the
 * browser downloads it under the name the server gives.
 */
export async function uploadAndSave(url: string, file: File | Blob, name: string): Promise<void> {
  const form = new FormData();
  form.append('file', file, name);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'x-csrf-token': csrfToken },
    credentials: 'same-origin',
    body: form,
  });
  if (!res.ok) throw await toError(res);
  const disposition = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const filename = m ? decodeURIComponent(m[1]!) : 'download.xlsx';
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(href);
}
