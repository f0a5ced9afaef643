import { describe, expect, it } from 'vitest';
import { ApiError } from './api.js';
import {
  MemoryQueueStore,
  OfflineQueue,
  backoffMs,
  resolveFileRefs,
  sendOrQueue,
  storedItem,
  type QueuedItem,
  type QueueView,
  type Transport,
} from './offline-queue.js';

/** A server that dedupes on clientId, like ours, and a network that can be switched off. */
function fakeServer() {
  const received = new Map<string, unknown>();
  const requests: string[] = [];
  const uploads: string[] = [];
  const state = { online: true, failNextResponse: false, reject: null as ApiError | null };
  const transport: Transport = {
    send(method, url, body) {
      if (!state.online) return Promise.reject(new TypeError('Failed to fetch'));
      if (state.reject) return Promise.reject(state.reject);
      requests.push(`${method} ${url}`);
      const b = body as { clientId: string };
      received.set(b.clientId, body);
      if (state.failNextResponse) {
        // The server stored it but the answer never arrived.
        state.failNextResponse = false;
        return Promise.reject(new TypeError('network connection lost'));
      }
      return Promise.resolve({ ok: true, stored: b.clientId });
    },
    upload(_blob, name) {
      if (!state.online) return Promise.reject(new TypeError('Failed to fetch'));
      uploads.push(name);
      return Promise.resolve({ id: `file-${uploads.length}` });
    },
  };
  return { received, requests, uploads, state, transport };
}

/** A queue on a phone where `userId` is signed in. */
function queueFor(transport: Transport, userId: number | null = 1, now?: () => number) {
  const q = new OfflineQueue(new MemoryQueueStore(), transport, now);
  q.setUser(userId);
  return q;
}

/** A batch of a patrol's track: the simplest write the phone queues. */
const track = (clientId: string) => ({
  clientId,
  label: clientId.toUpperCase(),
  endpoint: 'POST /api/patrols/:clientId/points' as const,
  params: { clientId: 'walk-1' },
  body: { clientId, points: [{ seq: 0, at: '2026-11-23T02:00:00.000Z', lat: 30.26, lng: 120.16 }] },
});

describe('offline queue', () => {
  it('keeps submissions while offline and sends each once when back online', async () => {
    const server = fakeServer();
    let now = 1_000;
    const q = queueFor(server.transport, 1, () => now);
    server.state.online = false;
    await q.enqueue(track('a'));
    await q.enqueue(track('b'));
    const first = await q.flush();
    expect(first.sent).toEqual([]);
    expect(await q.items()).toHaveLength(2);
    expect((await q.items())[0]!.attempts).toBe(1);

    server.state.online = true;
    // Not yet due: back-off holds it unless forced.
    expect((await q.flush()).sent).toEqual([]);
    now += backoffMs(1);
    expect((await q.flush()).sent).toEqual(['a', 'b']);
    expect(await q.items()).toEqual([]);
    expect([...server.received.keys()]).toEqual(['a', 'b']);
  });

  it('sends the request its endpoint makes: the method, the path with its parameters', async () => {
    const server = fakeServer();
    const q = queueFor(server.transport);
    const item = await q.enqueue({
      clientId: 'v',
      label: 'V',
      endpoint: 'POST /api/visits/:id/corrections',
      params: { id: 42 },
      body: { clientId: 'v', reason: '看错了', items: [] },
    });
    expect(item).toMatchObject({
      method: 'POST',
      url: '/api/visits/42/corrections',
      endpoint: 'POST /api/visits/:id/corrections',
      params: { id: 42 },
      userId: 1,
    });
    // A write without a body sends {} (as apiCall does).
    await q.enqueue({
      clientId: 's',
      label: 'S',
      endpoint: 'POST /api/volunteer-activities/:id/sign-up',
      params: { id: 7 },
    });
    await q.flush({ force: true });
    expect(server.requests).toEqual([
      'POST /api/visits/42/corrections',
      'POST /api/volunteer-activities/7/sign-up',
    ]);
  });

  it('a lost response is retried with the same client id (the server dedupes)', async () => {
    const server = fakeServer();
    const q = queueFor(server.transport);
    server.state.failNextResponse = true;
    await q.enqueue(track('c'));
    expect((await q.flush({ force: true })).sent).toEqual([]);
    expect((await q.flush({ force: true })).sent).toEqual(['c']);
    expect(server.received.size).toBe(1);
  });

  it('uploads photos once, then refers to them by id', async () => {
    const server = fakeServer();
    const q = queueFor(server.transport);
    await q.enqueue({
      clientId: 'p',
      label: 'P',
      endpoint: 'POST /api/problems/:id/actions',
      params: { id: 3 },
      body: {
        clientId: 'p',
        action: 'submit',
        version: 2,
        note: '$notafile',
        photoIds: ['$file:one', '$file:two'],
      },
      files: [
        { key: 'one', blob: new Blob(['1']), name: '1.jpg' },
        { key: 'two', blob: new Blob(['2']), name: '2.jpg' },
      ],
    });
    server.state.reject = new ApiError(503, 'down', '维护中', 'maintenance');
    await q.flush({ force: true });
    expect(server.uploads).toEqual(['1.jpg', '2.jpg']);
    server.state.reject = null;
    await q.flush({ force: true });
    expect(server.uploads).toEqual(['1.jpg', '2.jpg']);
    expect(server.received.get('p')).toEqual({
      clientId: 'p',
      action: 'submit',
      version: 2,
      note: '$notafile',
      photoIds: ['file-1', 'file-2'],
    });
  });

  it('a refused submission is marked failed with the message and not retried', async () => {
    const server = fakeServer();
    const q = queueFor(server.transport);
    server.state.reject = new ApiError(409, 'conflict', '已提交', 'already submitted', [
      { path: 'householdCode', message: '户码重复 / taken' },
    ]);
    await q.enqueue(track('r'));
    expect((await q.flush({ force: true })).failed).toEqual(['r']);
    const [item] = (await q.items()) as [QueuedItem];
    expect(item.state).toBe('failed');
    expect(item.error).toEqual({ zh: '已提交', en: 'already submitted' });
    expect(item.refusal).toEqual({
      status: 409,
      code: 'conflict',
      fields: [{ path: 'householdCode', message: '户码重复 / taken' }],
    });
    server.state.reject = null;
    expect((await q.flush({ force: true })).sent).toEqual([]);
    await q.discard('r');
    expect(await q.items()).toEqual([]);
  });

  it('a session gone (401) keeps the item waiting, not refused', async () => {
    const server = fakeServer();
    const q = queueFor(server.transport);
    server.state.reject = new ApiError(401, 'unauthenticated', '请先登录', 'Sign in first');
    await q.enqueue(track('u'));
    const res = await q.flush({ force: true });
    expect(res).toMatchObject({ sent: [], failed: [], waiting: 1 });
    expect((await q.items())[0]).toMatchObject({ state: 'queued', attempts: 1 });
    server.state.reject = null;
    expect((await q.flush({ force: true })).sent).toEqual(['u']);
  });

  it('concurrent flushes never send twice; a flush asked during a run gets one more run after it', async () => {
    const server = fakeServer();
    let open!: () => void;
    let sending!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const inFlight = new Promise<void>((resolve) => (sending = resolve));
    const transport: Transport = {
      ...server.transport,
      send: (method, url, body) => {
        sending();
        return gate.then(() => server.transport.send(method, url, body));
      },
    };
    const q = queueFor(transport, 1);
    await q.enqueue(track('a1'));
    // The timer's run is sending the first person's item when the next person signs in.
    const first = q.flush();
    await inFlight;
    q.setUser(2);
    await q.enqueue(track('b1'));
    const signIn = q.flush({ force: true });
    const tick = q.flush();
    expect(tick).toBe(signIn);
    expect(signIn).not.toBe(first);
    open();
    expect((await first).sent).toEqual(['a1']);
    expect((await signIn).sent).toEqual(['b1']);
    expect(server.requests).toHaveLength(2);
    expect(await q.items()).toEqual([]);
    // Nothing under way: a flush starts its own run again.
    const [x, y] = [q.flush(), q.flush()];
    expect((await x).sent).toEqual([]);
    expect((await y).sent).toEqual([]);
  });

  it('sendOrQueue hands back the server’s answer when sent at once, none when it waits', async () => {
    const server = fakeServer();
    const q = queueFor(server.transport);
    const sent = await sendOrQueue(q, track('v'));
    expect(sent).toEqual({ outcome: 'sent', answer: { ok: true, stored: 'v' } });
    server.state.online = false;
    const waiting = await sendOrQueue(q, track('w'));
    expect(waiting).toEqual({ outcome: 'queued' });
    server.state.online = true;
    const later = await q.flush({ force: true });
    expect(later.sent).toEqual(['w']);
    expect(later.answers.get('w')).toMatchObject({ ok: true });
  });

  it('resolveFileRefs fails loudly on a missing upload and back-off is capped', () => {
    expect(() => resolveFileRefs({ p: '$file:gone' }, new Map())).toThrow(/gone/);
    expect(backoffMs(1)).toBe(2000);
    expect(backoffMs(100)).toBe(300_000);
  });
});

describe('offline queue: the items are their person’s, the queue the phone’s', () => {
  it('tags each item with who queued it; nothing is queued with no one signed in', async () => {
    const q = queueFor(fakeServer().transport, 7);
    expect((await q.enqueue(track('a'))).userId).toBe(7);
    q.setUser(null);
    await expect(q.enqueue(track('b'))).rejects.toThrow(/no one is signed in/);
  });

  it('sends only the signed-in user’s items; another’s wait for them to sign in again', async () => {
    const server = fakeServer();
    const q = queueFor(server.transport, 1);
    server.state.online = false;
    await q.enqueue(track('a1'));
    await q.enqueue(track('a2'));
    // A signs out, B signs in on the same phone, online, and submits something of their own.
    q.setUser(null);
    expect((await q.flush({ force: true })).sent).toEqual([]);
    q.setUser(2);
    server.state.online = true;
    const b = await sendOrQueue(q, track('b1'));
    expect(b.outcome).toBe('sent');
    expect((await q.flush({ force: true })).sent).toEqual([]);
    expect([...server.received.keys()]).toEqual(['b1']);
    const view = await q.view();
    expect(view.mine).toEqual([]);
    expect(view.others.map((i) => i.clientId)).toEqual(['a1', 'a2']);
    // A signs in again: their items go, in order.
    q.setUser(1);
    expect((await q.view()).mine.map((i) => i.clientId)).toEqual(['a1', 'a2']);
    expect((await q.flush({ force: true })).sent).toEqual(['a1', 'a2']);
    expect([...server.received.keys()]).toEqual(['b1', 'a1', 'a2']);
  });

  it('another account’s waiting item does not hold the signed-in user’s back', async () => {
    const server = fakeServer();
    let now = 1_000;
    const q = queueFor(server.transport, 1, () => now);
    server.state.online = false;
    await q.enqueue(track('a'));
    await q.flush();
    // A's item now waits out its back-off; B's, queued after it, is due.
    q.setUser(2);
    server.state.online = true;
    now += 10;
    await q.enqueue(track('b'));
    expect((await q.flush()).sent).toEqual(['b']);
  });

  it('subscribers see the split, again when the user changes; others can be discarded', async () => {
    const q = queueFor(fakeServer().transport, 1);
    const seen: QueueView[] = [];
    q.subscribe((v) => seen.push(v));
    q.setUser(null);
    q.setUser(1);
    await q.enqueue({ ...track('a'), label: '巡查轨迹' });
    q.setUser(2);
    await q.enqueue(track('b'));
    await new Promise((r) => setTimeout(r, 0));
    const last = seen.at(-1)!;
    expect(last.mine.map((i) => i.clientId)).toEqual(['b']);
    expect(last.others.map((i) => i.clientId)).toEqual(['a']);
    expect(await q.discardOthers()).toBe(1);
    expect((await q.items()).map((i) => i.clientId)).toEqual(['b']);
    expect(seen.at(-1)!.others).toEqual([]);
  });

  it('an item queued before items had owners is sent by whoever is signed in, named by its URL', async () => {
    const server = fakeServer();
    const store = new MemoryQueueStore();
    const old = {
      clientId: 'old',
      label: '整改上报：井盖',
      method: 'POST',
      url: '/api/problems/12/actions',
      body: { clientId: 'old', action: 'submit', version: 3 },
      files: [],
      createdAt: '2026-11-01T00:00:00.000Z',
      attempts: 0,
      nextAttemptAt: 0,
      state: 'queued',
    };
    // As an older version of the app stored it: no endpoint, no owner.
    await store.put(old as unknown as QueuedItem);
    const q = new OfflineQueue(store, server.transport);
    const [read] = await q.items();
    expect(read).toMatchObject({
      endpoint: 'POST /api/problems/:id/actions',
      params: { id: 12 },
      body: { action: 'submit' },
    });
    expect(read!.userId).toBeUndefined();
    // Nobody signed in: not sent.
    expect((await q.flush({ force: true })).sent).toEqual([]);
    q.setUser(5);
    expect((await q.view()).mine).toHaveLength(1);
    expect((await q.flush({ force: true })).sent).toEqual(['old']);
    expect(server.requests).toEqual(['POST /api/problems/12/actions']);
  });

  it('storedItem reads patrol ids as text and leaves a URL it does not know unnamed', () => {
    const base = {
      clientId: 'x',
      label: 'x',
      method: 'POST' as const,
      body: {},
      files: [],
      createdAt: '',
      attempts: 0,
      nextAttemptAt: 0,
      state: 'queued' as const,
    };
    const patrol = storedItem({ ...base, url: '/api/patrols/abc-1/end' } as unknown as QueuedItem);
    expect(patrol).toMatchObject({
      endpoint: 'POST /api/patrols/:clientId/end',
      params: { clientId: 'abc-1' },
    });
    const unknown = storedItem({ ...base, url: '/api/whatever/1' } as unknown as QueuedItem);
    expect(unknown).toMatchObject({ endpoint: null, url: '/api/whatever/1' });
  });
});
