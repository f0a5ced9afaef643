import { describe, expect, it } from 'vitest';
import { ApiError } from './api.js';
import {
  MemoryQueueStore,
  OfflineQueue,
  backoffMs,
  resolveFileRefs,
  sendOrQueue,
  type QueuedItem,
  type Transport,
} from './offline-queue.js';

/** A server that dedupes on clientId, like ours, and a network that can be switched off. */
function fakeServer() {
  const received = new Map<string, unknown>();
  const uploads: string[] = [];
  const state = { online: true, failNextResponse: false, reject: null as ApiError | null };
  const transport: Transport = {
    send(_method, _url, body) {
      if (!state.online) return Promise.reject(new TypeError('Failed to fetch'));
      if (state.reject) return Promise.reject(state.reject);
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
  return { received, uploads, state, transport };
}

describe('offline queue', () => {
  it('keeps submissions while offline and sends each once when back online', async () => {
    const server = fakeServer();
    let now = 1_000;
    const q = new OfflineQueue(new MemoryQueueStore(), server.transport, () => now);
    server.state.online = false;
    await q.enqueue({ clientId: 'a', label: 'A', url: '/x', body: { clientId: 'a' } });
    await q.enqueue({ clientId: 'b', label: 'B', url: '/x', body: { clientId: 'b' } });
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

  it('a lost response is retried with the same client id (the server dedupes)', async () => {
    const server = fakeServer();
    const q = new OfflineQueue(new MemoryQueueStore(), server.transport);
    server.state.failNextResponse = true;
    await q.enqueue({ clientId: 'c', label: 'C', url: '/x', body: { clientId: 'c', n: 1 } });
    expect((await q.flush({ force: true })).sent).toEqual([]);
    expect((await q.flush({ force: true })).sent).toEqual(['c']);
    expect(server.received.size).toBe(1);
  });

  it('uploads photos once, then refers to them by id', async () => {
    const server = fakeServer();
    const q = new OfflineQueue(new MemoryQueueStore(), server.transport);
    await q.enqueue({
      clientId: 'p',
      label: 'P',
      url: '/x',
      body: { clientId: 'p', photos: ['$file:one', '$file:two'], note: '$notafile' },
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
      photos: ['file-1', 'file-2'],
      note: '$notafile',
    });
  });

  it('a refused submission is marked failed with the message and not retried', async () => {
    const server = fakeServer();
    const q = new OfflineQueue(new MemoryQueueStore(), server.transport);
    server.state.reject = new ApiError(409, 'conflict', '已提交', 'already submitted', [
      { path: 'householdCode', message: '户码重复 / taken' },
    ]);
    await q.enqueue({ clientId: 'r', label: 'R', url: '/x', body: { clientId: 'r' } });
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

  it('concurrent flushes share one run', async () => {
    const server = fakeServer();
    const q = new OfflineQueue(new MemoryQueueStore(), server.transport);
    await q.enqueue({ clientId: 'x', label: 'X', url: '/x', body: { clientId: 'x' } });
    const [a, b] = await Promise.all([q.flush(), q.flush()]);
    expect(a).toBe(b);
    expect(a.sent).toEqual(['x']);
  });

  it('sendOrQueue hands back the server’s answer when sent at once, none when it waits', async () => {
    const server = fakeServer();
    const q = new OfflineQueue(new MemoryQueueStore(), server.transport);
    const sent = await sendOrQueue<{ stored: string }>(q, {
      clientId: 'v',
      label: 'V',
      url: '/x',
      body: { clientId: 'v' },
    });
    expect(sent).toEqual({ outcome: 'sent', answer: { ok: true, stored: 'v' } });
    server.state.online = false;
    const waiting = await sendOrQueue(q, { clientId: 'w', label: 'W', url: '/x', body: {} });
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
