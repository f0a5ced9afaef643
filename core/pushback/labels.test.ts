import { describe, expect, it } from 'vitest';
import { pushbackKindLabel, pushbackState } from './labels.js';

describe('结果回传 labels', () => {
  it('names a 12345 result, an Open311 step, and anything else as it is', () => {
    expect(pushbackKindLabel('hotline', 'deferred').zh).toBe('缓办');
    expect(pushbackKindLabel('open311', 'dispatch').zh).toBe('派遣');
    // A hotline result word is not an Open311 step, and an unknown kind is shown raw.
    expect(pushbackKindLabel('open311', 'deferred')).toEqual({ zh: 'deferred', en: 'deferred' });
    expect(pushbackKindLabel('hotline', 'merged')).toEqual({ zh: 'merged', en: 'merged' });
  });

  it('reads the state from the stamps: acknowledged before given up', () => {
    const at = new Date();
    expect(pushbackState({ ackedAt: null, failedAt: null })).toBe('pending');
    expect(pushbackState({ ackedAt: null, failedAt: at })).toBe('failed');
    expect(pushbackState({ ackedAt: at, failedAt: null })).toBe('delivered');
  });
});
