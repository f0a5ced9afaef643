import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { forgetTileFailures } from '../shared/base-map.js';
import { forgetReferenceData } from '../shared/reference-data.js';
import { currentApiMock, resetApiMock } from './mock-api.js';
import { clearTestQueryClients } from './query-client.js';
import { DESKTOP_WIDTH, setViewportWidth } from './viewport.js';

// What antd needs from a browser, happy-dom has: matchMedia (following the window's width, see
// viewport.ts), getComputedStyle, ResizeObserver. Only ECharts' canvas is replaced (below).

// findBy… and waitFor wait up to 5 s (Testing Library's 1 s is short when the 2-core machine is
// busy with other tiers); a passing test returns as soon as the page shows what it waits for.
configure({ asyncUtilTimeout: 5000 });

// A page that saves with `void save()` and `await form.validateFields()` leaves antd's rejection
// (the field errors, already shown on the form) unhandled, as it does in the browser. Those are
// let go; any other unhandled rejection fails the test it happened in. (With a listener of ours
// Vitest leaves unhandled rejections to it; one listener per worker, whatever file set it up.)
interface Stray {
  errors: unknown[];
}
const g = globalThis as typeof globalThis & { __ccStrayRejections?: Stray };
if (!g.__ccStrayRejections) {
  const stray: Stray = { errors: [] };
  g.__ccStrayRejections = stray;
  // web/tsconfig.json has no Node types (the app runs in browsers); this much of process is used.
  const proc = (
    globalThis as unknown as {
      process: { on(event: 'unhandledRejection', fn: (reason: unknown) => void): void };
    }
  ).process;
  proc.on('unhandledRejection', (reason) => {
    if (reason !== null && typeof reason === 'object' && 'errorFields' in reason) return;
    stray.errors.push(reason);
  });
}
const stray = g.__ccStrayRejections;

vi.mock('echarts/core', async (importOriginal) => {
  const actual = await importOriginal<typeof import('echarts/core')>();
  const { stubChart } = await import('./charts.js');
  return {
    ...actual,
    init: ((el, theme, opts) =>
      el ? stubChart(el, theme) : actual.init(el, theme, opts)) as typeof actual.init,
  };
});

beforeEach(() => {
  stray.errors.length = 0;
  localStorage.clear();
  document.documentElement.lang = 'zh-CN';
});

afterEach(async () => {
  cleanup();
  // antd-mobile's Dialog.alert / Toast.show render into containers of their own on document.body,
  // outside the tested tree: cleanup() does not unmount them, and the next file's getByRole
  // ('dialog') would find them (CheckinFlow's refusal, then ImportButton's dialog: CI order).
  const strayOverlays = [...document.body.children].filter(
    (el) =>
      el.querySelector(
        ':scope > .adm-dialog, :scope > .adm-toast-mask, :scope > .adm-popup, :scope > .adm-mask',
      ) !== null,
  );
  if (strayOverlays.length > 0) {
    const { Dialog, Toast } = await import('antd-mobile');
    Dialog.clear();
    Toast.clear();
    for (const el of strayOverlays) el.remove();
  }
  // The files of a worker share one module graph (isolate: false), and each mocks its own
  // regions and categories: what one test fetched must not answer the next.
  forgetReferenceData();
  forgetTileFailures();
  // Each render had its own QueryClient; nothing cached outlives the test.
  clearTestQueryClients();
  setViewportWidth(DESKTOP_WIDTH);
  const api = currentApiMock();
  resetApiMock();
  vi.unstubAllGlobals();
  const rejected = stray.errors.splice(0);
  if (rejected.length > 0)
    throw rejected[0] instanceof Error ? rejected[0] : new Error(String(rejected[0]));
  if (api && api.unmocked.length > 0) {
    throw new Error(
      `requests no route of mockApi answered (add them to the test's routes):\n  ${api.unmocked.join('\n  ')}`,
    );
  }
});
