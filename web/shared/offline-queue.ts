/**
 * The offline queue of the phone screens (DESIGN.md §1, §2.6): a submission made without a network
 * is kept in IndexedDB — photos included, as Blobs — and sent when the phone is online again.
 *
 * Every item carries a client-generated id, and the server treats a repeated id as the same
 * submission, so a retry after a lost response never creates a duplicate. Photos are uploaded
 * first; the body refers to them as the string `"$file:<key>"`, replaced by the uploaded file's id
 * just before sending. Uploaded ids are written back to the item, so a retry does not upload a
 * photo twice.
 *
 * Outcomes: 2xx → the item is done and removed; a network failure, 408, 429 or 5xx → it stays
 * queued and is retried with back-off; any other 4xx → it is marked failed with the server's
 * message, shown to the person, who can discard it (the server will never accept it as it is).
 */
import { ApiError, api, upload } from './api.js';

export interface QueuedFile {
  key: string;
  blob: Blob;
  name: string;
  /** Set once uploaded. */
  fileId?: string;
}

export interface QueuedItem {
  clientId: string;
  /** What the person sees in the queue, e.g. "点位检查：人民路农贸市场". */
  label: string;
  method: 'POST' | 'PUT' | 'PATCH';
  url: string;
  body: unknown;
  files: QueuedFile[];
  createdAt: string;
  attempts: number;
  /** Earliest time of the next attempt (ms since epoch). */
  nextAttemptAt: number;
  state: 'queued' | 'failed';
  error?: { zh: string; en: string };
  /** The refusal as the server gave it: the form that sent it puts it on the fields it names. */
  refusal?: { status: number; code: string; fields: { path: string; message: string }[] };
}

/** Where queued items live: IndexedDB in the browser, memory in tests. */
export interface QueueStore {
  all(): Promise<QueuedItem[]>;
  put(item: QueuedItem): Promise<void>;
  delete(clientId: string): Promise<void>;
}

/** How items are sent: the real API client in the browser, a fake in tests. */
export interface Transport {
  send(method: QueuedItem['method'], url: string, body: unknown): Promise<unknown>;
  upload(blob: Blob, name: string): Promise<{ id: string }>;
}

export const apiTransport: Transport = {
  send: (method, url, body) => api(method, url, body),
  upload: (blob, name) => upload<{ id: string }>('/api/files', blob, name),
};

export class MemoryQueueStore implements QueueStore {
  private items = new Map<string, QueuedItem>();
  all(): Promise<QueuedItem[]> {
    return Promise.resolve([...this.items.values()].map((i) => ({ ...i })));
  }
  put(item: QueuedItem): Promise<void> {
    this.items.set(item.clientId, { ...item });
    return Promise.resolve();
  }
  delete(clientId: string): Promise<void> {
    this.items.delete(clientId);
    return Promise.resolve();
  }
}

const DB_NAME = 'chuangcheng-offline';
const STORE = 'queue';

function promisify<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

export class IndexedDbQueueStore implements QueueStore {
  private db: Promise<IDBDatabase> | null = null;
  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'clientId' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB unavailable'));
    });
    return this.db;
  }
  private async store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.open()).transaction(STORE, mode).objectStore(STORE);
  }
  async all(): Promise<QueuedItem[]> {
    return promisify((await this.store('readonly')).getAll() as IDBRequest<QueuedItem[]>);
  }
  async put(item: QueuedItem): Promise<void> {
    await promisify((await this.store('readwrite')).put(item));
  }
  async delete(clientId: string): Promise<void> {
    await promisify((await this.store('readwrite')).delete(clientId));
  }
}

const FILE_REF = /^\$file:(.+)$/;

/** The body with every `"$file:<key>"` string replaced by the uploaded id of that file. */
export function resolveFileRefs(body: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof body === 'string') {
    const m = FILE_REF.exec(body);
    if (!m) return body;
    const id = ids.get(m[1]!);
    if (id === undefined) throw new Error(`queued file ${m[1]} was not uploaded`);
    return id;
  }
  if (Array.isArray(body)) return body.map((v) => resolveFileRefs(v, ids));
  if (body !== null && typeof body === 'object') {
    return Object.fromEntries(
      Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, resolveFileRefs(v, ids)]),
    );
  }
  return body;
}

/** Retry later: the network or the server failed, not the submission. */
function isTransient(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  return err.status === 408 || err.status === 429 || err.status >= 500 || err.status === 0;
}

/** Back-off after n failed attempts: 2 s, 4 s, … capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(1, attempts));
}

export interface FlushResult {
  sent: string[];
  failed: string[];
  waiting: number;
  /** The server's answer to each item sent in this run, by client id (e.g. the stored visit). */
  answers: Map<string, unknown>;
}

export class OfflineQueue {
  private listeners = new Set<(items: QueuedItem[]) => void>();
  private flushing: Promise<FlushResult> | null = null;

  constructor(
    private readonly store: QueueStore,
    private readonly transport: Transport = apiTransport,
    private readonly now: () => number = Date.now,
  ) {}

  subscribe(fn: (items: QueuedItem[]) => void): () => void {
    this.listeners.add(fn);
    void this.items().then(fn);
    return () => this.listeners.delete(fn);
  }

  async items(): Promise<QueuedItem[]> {
    return (await this.store.all()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private async changed(): Promise<void> {
    const items = await this.items();
    for (const fn of this.listeners) fn(items);
  }

  /** Keeps a submission; it is sent by the next flush. */
  async enqueue(input: {
    clientId: string;
    label: string;
    method?: QueuedItem['method'];
    url: string;
    body: unknown;
    files?: { key: string; blob: Blob; name: string }[];
  }): Promise<QueuedItem> {
    const item: QueuedItem = {
      clientId: input.clientId,
      label: input.label,
      method: input.method ?? 'POST',
      url: input.url,
      body: input.body,
      files: (input.files ?? []).map((f) => ({ ...f })),
      createdAt: new Date(this.now()).toISOString(),
      attempts: 0,
      nextAttemptAt: 0,
      state: 'queued',
    };
    await this.store.put(item);
    await this.changed();
    return item;
  }

  async discard(clientId: string): Promise<void> {
    await this.store.delete(clientId);
    await this.changed();
  }

  /** Sends what is due, one item at a time, first in first out. Concurrent calls share one run. */
  flush(options: { force?: boolean } = {}): Promise<FlushResult> {
    this.flushing ??= this.run(options.force ?? false).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async run(force: boolean): Promise<FlushResult> {
    const result: FlushResult = { sent: [], failed: [], waiting: 0, answers: new Map() };
    for (const item of await this.items()) {
      if (item.state === 'failed') continue;
      if (!force && item.nextAttemptAt > this.now()) {
        // In order: a later item never overtakes one that waits (a correction after its visit).
        result.waiting++;
        break;
      }
      const outcome = await this.sendOne(item);
      if (typeof outcome === 'object') {
        result.sent.push(item.clientId);
        result.answers.set(item.clientId, outcome.answer);
      } else if (outcome === 'failed') result.failed.push(item.clientId);
      else {
        result.waiting++;
        // The network is down: the rest would fail the same way.
        break;
      }
    }
    await this.changed();
    return result;
  }

  private async sendOne(item: QueuedItem): Promise<{ answer: unknown } | 'failed' | 'retry'> {
    try {
      for (const f of item.files) {
        if (f.fileId) continue;
        f.fileId = (await this.transport.upload(f.blob, f.name)).id;
        await this.store.put(item);
      }
      const ids = new Map(item.files.map((f) => [f.key, f.fileId!]));
      const answer = await this.transport.send(
        item.method,
        item.url,
        resolveFileRefs(item.body, ids),
      );
      await this.store.delete(item.clientId);
      return { answer };
    } catch (err) {
      item.attempts++;
      if (isTransient(err)) {
        item.nextAttemptAt = this.now() + backoffMs(item.attempts);
        await this.store.put(item);
        return 'retry';
      }
      const e = err as ApiError;
      item.state = 'failed';
      item.error = { zh: e.messageZh, en: e.messageEn };
      item.refusal = { status: e.status, code: e.code, fields: e.fields };
      await this.store.put(item);
      return 'failed';
    }
  }
}

let shared: OfflineQueue | null = null;

/**
 * The browser's queue, flushed when the phone comes back online and every 30 s. IndexedDB is
 * used where it exists; a private window without it falls back to memory (lost on reload).
 */
export function offlineQueue(): OfflineQueue {
  if (shared) return shared;
  const store: QueueStore =
    typeof indexedDB === 'undefined' ? new MemoryQueueStore() : new IndexedDbQueueStore();
  const queue = new OfflineQueue(store);
  shared = queue;
  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => void queue.flush({ force: true }));
    window.setInterval(() => {
      if (navigator.onLine) void queue.flush();
    }, 30_000);
  }
  return queue;
}

/**
 * Submit now when possible, otherwise queue: the common path of a phone form. Returns 'sent' or
 * 'queued'; a submission the server refuses (4xx) throws the server's error (status, code, message
 * and fields), so the form can show it where it belongs.
 */
export async function submitOrQueue(
  queue: OfflineQueue,
  input: Parameters<OfflineQueue['enqueue']>[0],
): Promise<'sent' | 'queued'> {
  return (await sendOrQueue(queue, input)).outcome;
}

/**
 * submitOrQueue, with the server's answer when it was sent at once (a visit submitted online
 * shows the problem its failed items raised); a queued item's answer is never seen.
 */
export async function sendOrQueue<T = unknown>(
  queue: OfflineQueue,
  input: Parameters<OfflineQueue['enqueue']>[0],
): Promise<{ outcome: 'sent'; answer: T } | { outcome: 'queued' }> {
  const item = await queue.enqueue(input);
  // `=== false`: Node 21+ has a navigator without onLine (the unit tests run there).
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return { outcome: 'queued' };
  const res = await queue.flush({ force: true });
  if (res.sent.includes(item.clientId))
    return { outcome: 'sent', answer: res.answers.get(item.clientId) as T };
  if (res.failed.includes(item.clientId)) {
    const failed = (await queue.items()).find((i) => i.clientId === item.clientId);
    await queue.discard(item.clientId);
    const r = failed?.refusal;
    throw new ApiError(
      r?.status ?? 400,
      r?.code ?? 'rejected',
      failed?.error?.zh ?? '提交被拒绝',
      failed?.error?.en ?? 'refused',
      r?.fields ?? [],
    );
  }
  return { outcome: 'queued' };
}
