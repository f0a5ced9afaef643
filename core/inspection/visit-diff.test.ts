import { describe, expect, it } from 'vitest';
import { answerChanges } from './visit-diff.js';

describe('answerChanges', () => {
  it('lists changed results, notes and counts by item, and new items', () => {
    expect(
      answerChanges(
        [
          { index: 0, result: 'pass' },
          { index: 1, result: 'fail', note: '垃圾' },
          { index: 2, result: 'pass', count: 4 },
        ],
        [
          { index: 3, result: 'na' },
          { index: 2, result: 'pass', count: 5 },
          { index: 1, result: 'pass', note: null },
          { index: 0, result: 'pass' },
        ],
      ),
    ).toEqual([
      { index: 1, from: 'fail', to: 'pass', noteChanged: true, countChanged: false },
      { index: 2, from: 'pass', to: 'pass', noteChanged: false, countChanged: true },
      { index: 3, from: null, to: 'na', noteChanged: false, countChanged: false },
    ]);
  });

  it('is empty when nothing changed (undefined and null notes are the same)', () => {
    expect(
      answerChanges([{ index: 0, result: 'fail' }], [{ index: 0, result: 'fail', note: null }]),
    ).toEqual([]);
  });
});
