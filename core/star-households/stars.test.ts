import { describe, expect, it } from 'vitest';
import { currentStarYear, publicHouseholdName } from './stars.js';

describe('十星级文明户 rules', () => {
  it('names a household on the public board by its surname only', () => {
    expect(publicHouseholdName('张建国')).toBe('张**户');
    expect(publicHouseholdName(' 欧阳明 ')).toBe('欧**户');
    expect(publicHouseholdName('李')).toBe('李**户');
  });

  it('counts the year in Shanghai: 31 December 17:00 UTC is already the next year', () => {
    expect(currentStarYear(new Date('2026-12-31T15:59:00Z'))).toBe(2026);
    expect(currentStarYear(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
  });
});
