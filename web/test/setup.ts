import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { currentApiMock, resetApiMock } from './mock-api.js';

// What antd needs from a browser that happy-dom leaves out or keeps minimal. Each shim only
// fills a gap, so a happy-dom that grows the real thing wins.
if (!('ResizeObserver' in window)) {
  // Assigned, not vi.stubGlobal: unstubAllGlobals after each test must not take it away.
  Object.assign(window, {
    ResizeObserver: class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  });
}

beforeEach(() => {
  localStorage.clear();
  document.documentElement.lang = 'zh-CN';
});

afterEach(() => {
  cleanup();
  const api = currentApiMock();
  resetApiMock();
  vi.unstubAllGlobals();
  if (api && api.unmocked.length > 0) {
    throw new Error(
      `requests no route of mockApi answered (add them to the test's routes):\n  ${api.unmocked.join('\n  ')}`,
    );
  }
});
