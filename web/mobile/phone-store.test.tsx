import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TOutreachPairing } from '../../core/contracts/outreach.js';
import { ApiError } from '../shared/api.js';
import { apiKey } from '../shared/api-query.js';
import { pairing } from '../test/mobile-fixtures.js';
import { apiError } from '../test/mock-api.js';
import { asUser } from '../test/render.js';
import { renderPhone } from '../test/render-mobile.js';
import { forgetKept, keep, readKept, updateKept, useKept, type KeptAnswer } from './phone-store.js';
import { forgetCachedAnswers } from './service-worker.js';

// The phone's one keeper of answers for offline use: per signed-in user and endpoint URL, with
// when each was loaded; forgotten on signing out; a full storage only means nothing new is kept.

const PAIRINGS = 'GET /api/outreach/pairings';
const offline = () => Promise.reject(new TypeError('Failed to fetch'));
const names = (list: TOutreachPairing[]) => list.map((p) => p.building).join(',');

/** Storage that refuses every write, as a full one does (what it holds can still be read). */
function fullStorage() {
  const real = localStorage;
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => real.getItem(k),
    removeItem: (k: string) => real.removeItem(k),
    key: (i: number) => real.key(i),
    get length() {
      return real.length;
    },
    setItem: () => {
      throw new DOMException('quota', 'QuotaExceededError');
    },
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('phone-store: keeping answers', () => {
  it('keeps an answer per user and URL, with when it was loaded', () => {
    keep(1, PAIRINGS, {}, [pairing({ building: '3幢' })], '2026-11-20T02:00:00.000Z');
    expect(readKept(1, PAIRINGS, {})).toEqual({
      data: [pairing({ building: '3幢' })],
      at: '2026-11-20T02:00:00.000Z',
    });
    // Another user on the same phone has nothing; another URL neither.
    expect(readKept(2, PAIRINGS, {})).toBeNull();
    expect(readKept(1, 'GET /api/outreach/visits', { query: { limit: 20 } })).toBeNull();
    // Each call by its URL: the query is part of it.
    keep(1, 'GET /api/outreach/visits', { query: { limit: 20 } }, []);
    expect(readKept(1, 'GET /api/outreach/visits', { query: { limit: 20 } })?.data).toEqual([]);
    expect(readKept(1, 'GET /api/outreach/visits', { query: { limit: 5 } })).toBeNull();
  });

  it('applies an accepted write to the kept answer, keeping when it was loaded', () => {
    expect(updateKept(1, PAIRINGS, {}, (l) => l.slice(1))).toBeNull();
    keep(1, PAIRINGS, {}, [pairing({ id: 1 }), pairing({ id: 2 })], '2026-11-20T02:00:00.000Z');
    updateKept(1, PAIRINGS, {}, (l) => l.map((p) => ({ ...p, visitedHouseholds: 9 })));
    const kept = readKept(1, PAIRINGS, {})!;
    expect(kept.at).toBe('2026-11-20T02:00:00.000Z');
    expect(kept.data.map((p) => p.visitedHouseholds)).toEqual([9, 9]);
  });

  it('forgets every user’s answers and the old keepers’ keys, nothing else', async () => {
    keep(1, PAIRINGS, {}, []);
    keep(2, PAIRINGS, {}, []);
    localStorage.setItem('cc-inspections-mine', '[]');
    localStorage.setItem('cc-m.survey.assignments', '{"data":[],"at":"2026-11-20T02:00:00Z"}');
    localStorage.setItem('cc.lang', 'en');
    await forgetCachedAnswers();
    expect(Object.keys(localStorage)).toEqual(['cc.lang']);
    forgetKept();
    expect(Object.keys(localStorage)).toEqual(['cc.lang']);
  });

  it('with the storage full: nothing new is kept, the older copy stays, nothing throws', () => {
    keep(1, PAIRINGS, {}, [pairing({ building: '旧' })], '2026-11-20T02:00:00.000Z');
    fullStorage();
    expect(keep(1, PAIRINGS, {}, [pairing({ building: '新' })]).data[0]!.building).toBe('新');
    expect(readKept(1, PAIRINGS, {})!.data[0]!.building).toBe('旧');
    expect(updateKept(1, PAIRINGS, {}, () => [])).toEqual({
      data: [],
      at: '2026-11-20T02:00:00.000Z',
    });
  });

  it('what the old keepers left under fixed keys moves to whoever is signed in', () => {
    const round = { id: 7, name: '12月模拟测评' };
    localStorage.setItem('cc-inspections-mine', JSON.stringify([round]));
    const ledger = { data: { totalMinutes: 90, entries: [] }, at: '2026-11-20T02:00:00.000Z' };
    localStorage.setItem('cc-m.volunteer.ledger', JSON.stringify(ledger));
    localStorage.setItem(
      'cc-m.volunteer.activity.12',
      JSON.stringify({ data: { id: 12 }, at: ledger.at }),
    );
    localStorage.setItem('cc-m.something.else', '{}');
    expect(readKept(5, 'GET /api/inspections/mine', {})?.data).toEqual({ items: [round] });
    expect(readKept(5, 'GET /api/volunteers/me/ledger', {})).toEqual(ledger);
    expect(readKept(5, 'GET /api/volunteer-activities/:id', { params: { id: 12 } })?.data).toEqual({
      id: 12,
    });
    // Moved, not copied: the next user finds none of it; unknown old keys are dropped.
    expect(readKept(6, 'GET /api/inspections/mine', {})).toBeNull();
    expect(Object.keys(localStorage).filter((k) => !k.startsWith('cc-m-kept:5:'))).toEqual([]);
  });
});

describe('useKept: reading through the phone', () => {
  let last: KeptAnswer<TOutreachPairing[]> | null = null;
  function Probe() {
    const a = useKept(PAIRINGS, {});
    last = a;
    return (
      <div data-testid="probe">
        {a.loading ? 'loading' : a.data ? names(a.data) : a.error ? 'error' : 'none'}
        {a.keptAt ? ` kept ${a.keptAt}` : ''}
      </div>
    );
  }
  const AT = '2026-11-20T02:00:00.000Z';

  it('shows the kept answer at once, then the server’s, and keeps that', async () => {
    keep(1, PAIRINGS, {}, [pairing({ building: '旧' })], AT);
    let answer: (v: unknown) => void = () => undefined;
    await renderPhone(<Probe />, {
      user: 'unit',
      api: { [PAIRINGS]: () => new Promise((r) => (answer = r)) },
    });
    expect(screen.getByTestId('probe')).toHaveTextContent(/^旧$/);
    expect(last!.at).toBe(AT);
    act(() => answer([pairing({ building: '新' })]));
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(/^新$/));
    await waitFor(() => expect(readKept(1, PAIRINGS, {})!.data[0]!.building).toBe('新'));
    expect(Date.parse(readKept(1, PAIRINGS, {})!.at)).toBeGreaterThan(Date.parse(AT));
  });

  it('offline: the kept answer, saying when it was loaded; nothing kept: the failure', async () => {
    keep(1, PAIRINGS, {}, [pairing({ building: '旧' })], AT);
    const p = await renderPhone(<Probe />, { user: 'unit', api: { [PAIRINGS]: offline } });
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(`旧 kept ${AT}`));
    p.unmount();
    forgetKept();
    await renderPhone(<Probe />, { user: 'unit', api: { [PAIRINGS]: offline } });
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(/^error$/));
  });

  it('a second user on the phone never sees the first one’s answer', async () => {
    keep(1, PAIRINGS, {}, [pairing({ building: '一号的' })], AT);
    await renderPhone(<Probe />, {
      user: asUser('unit', { id: 2 }),
      api: { [PAIRINGS]: offline },
    });
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(/^error$/));
    expect(readKept(1, PAIRINGS, {})).not.toBeNull();
  });

  it('update(): an accepted write changes what is shown, kept and held by the data layer', async () => {
    const p = await renderPhone(<Probe />, {
      user: 'unit',
      api: { [PAIRINGS]: [pairing({ building: '3幢', visitedHouseholds: 1 })] },
    });
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(/^3幢$/));
    await waitFor(() => expect(readKept(1, PAIRINGS, {})).not.toBeNull());
    const loadedAt = readKept(1, PAIRINGS, {})!.at;
    act(() => last!.update((l) => l.map((x) => ({ ...x, visitedHouseholds: 2 }))));
    expect(last!.data![0]!.visitedHouseholds).toBe(2);
    expect(readKept(1, PAIRINGS, {})).toEqual({
      data: [pairing({ building: '3幢', visitedHouseholds: 2 })],
      at: loadedAt,
    });
    const held = p.queryClient.getQueryData<TOutreachPairing[]>(apiKey(PAIRINGS, {}));
    expect(held![0]!.visitedHouseholds).toBe(2);
    // Offline after that: the updated copy is what the phone shows.
    p.unmount();
    await renderPhone(<Probe />, { user: 'unit', api: { [PAIRINGS]: offline } });
    await waitFor(() => expect(last!.keptAt).toBe(loadedAt));
    expect(last!.data![0]!.visitedHouseholds).toBe(2);
  });

  it('reload() asks the server again', async () => {
    let n = 0;
    const p = await renderPhone(<Probe />, {
      user: 'unit',
      api: { [PAIRINGS]: () => [pairing({ building: `第${++n}次` })] },
    });
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(/^第1次$/));
    act(() => last!.reload());
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(/^第2次$/));
    expect(p.api.callsTo(PAIRINGS)).toHaveLength(2);
  });

  it('with the storage full the server’s answer is still shown', async () => {
    fullStorage();
    await renderPhone(<Probe />, {
      user: 'unit',
      api: { [PAIRINGS]: [pairing({ building: '3幢' })] },
    });
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(/^3幢$/));
    expect(readKept(1, PAIRINGS, {})).toBeNull();
  });

  it('an accepted write after the answer came is kept even if the next read fails', async () => {
    await renderPhone(<Probe />, {
      user: 'unit',
      api: { [PAIRINGS]: [pairing({ building: '3幢', visitedHouseholds: 1 })] },
    });
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(/^3幢$/));
    act(() => last!.update((l) => l.map((x) => ({ ...x, visitedHouseholds: 5 }))));
    expect(readKept(1, PAIRINGS, {})!.data[0]!.visitedHouseholds).toBe(5);
  });

  it('a refusal with nothing kept is the error, the server’s own', async () => {
    await renderPhone(<Probe />, {
      user: 'unit',
      api: { [PAIRINGS]: apiError(403, 'forbidden', { zh: '无权限', en: 'Not allowed' }) },
    });
    await waitFor(() => expect(screen.getByTestId('probe')).toHaveTextContent(/^error$/));
    expect(last!.error).toBeInstanceOf(ApiError);
    expect(last!.data).toBeNull();
  });
});
