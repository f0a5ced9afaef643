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
import type { EndpointKey } from '../../core/contracts/api.gen.js';
import {
  ApiError,
  api,
  apiCall,
  apiUrl,
  fileForm,
  type ApiArgs,
  type ApiBody,
  type ApiParams,
  type ApiResponse,
} from './api.js';

/**
 * The writes the phone's flows send through the queue, by endpoint key: what a flow enqueues is
 * typed by the route's own schemas (`'POST /api/problems/:id/actions'` with `{ params, body }`).
 * An item queued by an older version of the app (method and URL only) is read back as one of
 * these by its URL (storedItem below).
 */
export const QUEUED_ENDPOINTS = [
  'POST /api/patrols',
  'POST /api/patrols/:clientId/points',
  'POST /api/patrols/:clientId/problems',
  'POST /api/patrols/:clientId/end',
  'POST /api/visits',
  'POST /api/visits/:id/corrections',
  'POST /api/problems/:id/actions',
  'POST /api/outreach/visits',
  'POST /api/star-households/:id/ratings',
  'POST /api/survey-responses',
  'POST /api/volunteer-activities/:id/sign-up',
  'POST /api/volunteer-activities/:id/cancel-sign-up',
  'POST /api/volunteer-activities/:id/check-in',
  'POST /api/volunteer-activities/:id/check-out',
  'POST /api/ad-carriers',
  'PATCH /api/ad-carriers/:id',
  'POST /api/service-orders',
  'POST /api/service-orders/:id/take',
  'POST /api/service-orders/:id/release',
  'POST /api/service-orders/:id/check-in',
  'POST /api/service-orders/:id/done',
] as const satisfies readonly EndpointKey[];

/** A write the queue takes. */
export type QueuedKey = (typeof QUEUED_ENDPOINTS)[number];

/**
 * A queued request by its endpoint: the path parameters and the body as the route reads them
 * (photos as `"$file:<key>"` where the route takes a file id). A union over the endpoints, so
 * `item.endpoint === 'POST /api/visits'` narrows the body to a visit's.
 */
export type QueuedRequest =
  | {
      [K in QueuedKey]: {
        endpoint: K;
        params: ApiParams<K> | undefined;
        body: ApiBody<K> | undefined;
      };
    }[QueuedKey]
  /** Queued by an older version of the app to a URL this one does not know: sent as it is. */
  | { endpoint: null; params: undefined; body: unknown };

/** What a flow gives to queue a write to endpoint K: its key, then `params` and `body`. */
export type QueueInput<K extends QueuedKey> = {
  clientId: string;
  /** What the person sees in the queue, e.g. "点位检查：人民路农贸市场". */
  label: string;
  endpoint: K;
  files?: { key: string; blob: Blob; name: string }[];
} & Pick<ApiArgs<K>, 'params' | 'body'>;

export interface QueuedFile {
  key: string;
  blob: Blob;
  name: string;
  /** Set once uploaded. */
  fileId?: string;
}

export type QueuedItem = QueuedRequest & {
  clientId: string;
  /** What the person sees in the queue, e.g. "点位检查：人民路农贸市场". */
  label: string;
  /**
   * Who queued it (the signed-in user's id): only they send it. Absent on an item queued before
   * the queue knew (sent by whoever is signed in, as it then was).
   */
  userId?: number;
  /** The request as sent: the endpoint's method and its path with the parameters filled in. */
  method: 'POST' | 'PUT' | 'PATCH';
  url: string;
  files: QueuedFile[];
  createdAt: string;
  attempts: number;
  /** Earliest time of the next attempt (ms since epoch). */
  nextAttemptAt: number;
  state: 'queued' | 'failed';
  error?: { zh: string; en: string };
  /** The refusal as the server gave it: the form that sent it puts it on the fields it names. */
  refusal?: { status: number; code: string; fields: { path: string; message: string }[] };
};

/** An endpoint's path as a pattern, its `:name` parameters as named groups. */
const PATTERNS = QUEUED_ENDPOINTS.map((key) => {
  const [method, path] = key.split(' ') as [string, string];
  const source = path.replace(/:(\w+)/g, '(?<$1>[^/]+)');
  return { key, method, pattern: new RegExp(`^${source}$`) };
});

/**
 * An item as stored, read back. The queue keeps the request as it was asked (method and URL: an
 * item may wait days, across an update of the app), so an item from before the queue kept its
 * endpoint is named by its URL; its parameters are read from the URL (`id` as a number).
 */
export function storedItem(raw: QueuedItem): QueuedItem {
  if ((raw as { endpoint?: unknown }).endpoint) return raw;
  for (const { key, method, pattern } of PATTERNS) {
    const m = method === raw.method ? pattern.exec(raw.url) : null;
    if (!m) continue;
    const params = m.groups
      ? Object.fromEntries(
          Object.entries(m.groups).map(([k, v]) => [k, k === 'id' ? Number(v) : v]),
        )
      : undefined;
    // Read from storage: the body is what the older app queued for this endpoint.
    return { ...raw, endpoint: key, params, body: raw.body } as QueuedItem;
  }
  return { ...raw, endpoint: null, params: undefined };
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

/**
 * The API client: an item is sent as the request it was queued as (method, URL and body, the
 * photos' ids in place); an upload is the files endpoint's.
 */
export const apiTransport: Transport = {
  send: (method, url, body) => api(method, url, body),
  upload: (blob, name) => apiCall('POST /api/files', { body: fileForm(blob, name) }),
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

/**
 * Retry later: the network or the server failed, not the submission — or the session is gone
 * (401): the item waits for its person to sign in again rather than being refused.
 */
function isTransient(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  return (
    err.status === 401 ||
    err.status === 408 ||
    err.status === 429 ||
    err.status >= 500 ||
    err.status === 0
  );
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

/** The queue as the signed-in person sees it. */
export interface QueueView {
  /** Their items (and any queued before items had an owner), oldest first. */
  mine: QueuedItem[];
  /** Items another account queued on this phone: sent when that account signs in again. */
  others: QueuedItem[];
}

/**
 * The phone's queue of writes. It belongs to the phone, its items to the person who queued them:
 * each item is tagged with the signed-in user (setUser), and a flush sends only the current
 * user's — another's would go out under the wrong session, which the server refuses. Nothing is
 * sent while no one is signed in.
 */
export class OfflineQueue {
  private listeners = new Set<(view: QueueView) => void>();
  private flushing: Promise<FlushResult> | null = null;
  /** The run asked for while one was under way. */
  private again: { force: boolean; promise: Promise<FlushResult> } | null = null;
  private userId: number | null = null;

  constructor(
    private readonly store: QueueStore,
    private readonly transport: Transport = apiTransport,
    private readonly now: () => number = Date.now,
  ) {}

  /** Who is signed in (null: no one). Their items are the ones a flush sends. */
  setUser(userId: number | null): void {
    if (userId === this.userId) return;
    this.userId = userId;
    void this.changed();
  }

  /** The signed-in user the queue sends for. */
  get user(): number | null {
    return this.userId;
  }

  /** Whether an item is the signed-in person's to send (one queued before owners was). */
  isMine(item: Pick<QueuedItem, 'userId'>): boolean {
    return this.userId !== null && (item.userId === undefined || item.userId === this.userId);
  }

  subscribe(fn: (view: QueueView) => void): () => void {
    this.listeners.add(fn);
    void this.view().then(fn);
    return () => this.listeners.delete(fn);
  }

  /** Every item on the phone, whoever queued it, oldest first. */
  async items(): Promise<QueuedItem[]> {
    return (await this.store.all())
      .map(storedItem)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** The items split into the signed-in person's and other accounts'. */
  async view(): Promise<QueueView> {
    const all = await this.items();
    return {
      mine: all.filter((i) => this.isMine(i)),
      others: all.filter((i) => !this.isMine(i)),
    };
  }

  private async changed(): Promise<void> {
    const view = await this.view();
    for (const fn of this.listeners) fn(view);
  }

  /**
   * Keeps a submission, as the signed-in person's; it is sent by the next flush. Typed by the
   * endpoint: `{ endpoint: 'POST /api/visits/:id/corrections', params: { id }, body }`.
   */
  async enqueue<K extends QueuedKey>(input: QueueInput<K>): Promise<QueuedItem> {
    if (this.userId === null) throw new Error('offline queue: no one is signed in');
    const method = input.endpoint.slice(0, input.endpoint.indexOf(' ')) as QueuedItem['method'];
    const item = {
      clientId: input.clientId,
      label: input.label,
      userId: this.userId,
      endpoint: input.endpoint,
      params: input.params,
      // As apiCall sends a POST without a body.
      body: input.body ?? (method === 'POST' ? {} : undefined),
      method,
      url: apiUrl(input.endpoint, { params: input.params } as ApiArgs<K>),
      files: (input.files ?? []).map((f) => ({ ...f })),
      createdAt: new Date(this.now()).toISOString(),
      attempts: 0,
      nextAttemptAt: 0,
      state: 'queued',
    } as QueuedItem;
    await this.store.put(item);
    await this.changed();
    return item;
  }

  async discard(clientId: string): Promise<void> {
    await this.store.delete(clientId);
    await this.changed();
  }

  /** Throws away what other accounts queued on this phone (the signed-in person confirmed). */
  async discardOthers(): Promise<number> {
    const { others } = await this.view();
    for (const i of others) await this.store.delete(i.clientId);
    await this.changed();
    return others.length;
  }

  /**
   * Sends the signed-in person's items that are due, one at a time, first in first out; other
   * accounts' items wait for their own sign-in. A call while a run is under way gets one more run
   * after it, shared by every such call (forced if any asked): the run under way read the queue
   * and the user before the call's reason arose — a sign-in while the 30 s timer's run was going
   * would otherwise wait for the next tick, behind that run's back-off.
   */
  flush(options: { force?: boolean } = {}): Promise<FlushResult> {
    const force = options.force ?? false;
    if (!this.flushing) return this.start(force);
    if (this.again) {
      this.again.force ||= force;
      return this.again.promise;
    }
    const again = { force, promise: Promise.resolve() as unknown as Promise<FlushResult> };
    const go = () => {
      this.again = null;
      return this.start(again.force);
    };
    again.promise = this.flushing.then(go, go);
    this.again = again;
    return again.promise;
  }

  private start(force: boolean): Promise<FlushResult> {
    const run: Promise<FlushResult> = this.run(force).finally(() => {
      if (this.flushing === run) this.flushing = null;
    });
    this.flushing = run;
    return run;
  }

  private async run(force: boolean): Promise<FlushResult> {
    const result: FlushResult = { sent: [], failed: [], waiting: 0, answers: new Map() };
    for (const item of await this.items()) {
      if (item.state === 'failed' || !this.isMine(item)) continue;
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
        // The network is down (or the session gone): the rest would fail the same way.
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
 * Tells the queue who is signed in (null: no one), as the app learns it: their items waiting on
 * the phone go out at once when online — those queued before they signed out, too.
 */
export function setQueueUser(userId: number | null, queue: OfflineQueue = offlineQueue()): void {
  const changed = queue.user !== userId;
  queue.setUser(userId);
  // `!== false`: see sendOrQueue.
  if (changed && userId !== null && navigator.onLine !== false) void queue.flush({ force: true });
}

/**
 * Submit now when possible, otherwise queue: the common path of a phone form. Returns 'sent' or
 * 'queued'; a submission the server refuses (4xx) throws the server's error (status, code, message
 * and fields), so the form can show it where it belongs.
 */
export async function submitOrQueue<K extends QueuedKey>(
  queue: OfflineQueue,
  input: QueueInput<K>,
): Promise<'sent' | 'queued'> {
  return (await sendOrQueue(queue, input)).outcome;
}

/**
 * submitOrQueue, with the server's answer when it was sent at once (a visit submitted online
 * shows the problem its failed items raised), typed by the endpoint; a queued item's answer is
 * never seen.
 */
export async function sendOrQueue<K extends QueuedKey>(
  queue: OfflineQueue,
  input: QueueInput<K>,
): Promise<{ outcome: 'sent'; answer: ApiResponse<K> } | { outcome: 'queued' }> {
  const item = await queue.enqueue(input);
  // `=== false`: Node 21+ has a navigator without onLine (the unit tests run there).
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return { outcome: 'queued' };
  const res = await queue.flush({ force: true });
  if (res.sent.includes(item.clientId))
    // The answer of the request this endpoint's item made.
    return { outcome: 'sent', answer: res.answers.get(item.clientId) as ApiResponse<K> };
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
