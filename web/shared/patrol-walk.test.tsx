import { describe, expect, it } from 'vitest';
import { forgetPatrolGrids, gridsKey, loadWalk, walkKey, type PatrolWalk } from './patrol-walk.js';

// The patrol under way is its walker's: kept on the phone under their user id, so another account
// signing in on the same phone neither sees nor continues it. (The flow: PatrolFlow.test.tsx.)

const walk = (over: Partial<PatrolWalk> = {}): PatrolWalk => ({
  clientId: 'w1',
  gridId: 5,
  gridName: '湖滨一网格',
  startedAt: '2026-11-23T02:00:00.000Z',
  nextSeq: 3,
  pending: [],
  path: [],
  reported: 0,
  ...over,
});

describe('patrol walk, kept per user', () => {
  it('each user has their own walk; another user has none', () => {
    localStorage.setItem(walkKey(1), JSON.stringify(walk()));
    expect(loadWalk(1)?.clientId).toBe('w1');
    expect(loadWalk(2)).toBeNull();
  });

  it('a walk kept by the phone (before walks had owners) goes to the first user who looks', () => {
    localStorage.setItem('cc-patrol-walk', JSON.stringify(walk({ clientId: 'old' })));
    expect(loadWalk(7)?.clientId).toBe('old');
    expect(localStorage.getItem('cc-patrol-walk')).toBeNull();
    expect(loadWalk(8)).toBeNull();
    expect(loadWalk(7)?.clientId).toBe('old');
  });

  it('signing out forgets every kept grid list, not the walks', () => {
    localStorage.setItem(gridsKey(1), '[]');
    localStorage.setItem(gridsKey(2), '[]');
    localStorage.setItem('cc-patrol-grids', '[]');
    localStorage.setItem(walkKey(1), JSON.stringify(walk()));
    forgetPatrolGrids();
    expect(localStorage.getItem(gridsKey(1))).toBeNull();
    expect(localStorage.getItem(gridsKey(2))).toBeNull();
    expect(localStorage.getItem('cc-patrol-grids')).toBeNull();
    expect(loadWalk(1)).not.toBeNull();
  });
});
