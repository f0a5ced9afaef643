/**
 * The phone app's service worker (generated at build by vite-plugin-pwa/Workbox, vite.config.ts):
 * it precaches the app's shell and its flows, so /m/ opens with no network once opened online,
 * and keeps the last answers of the few GETs the task list reads (API_CACHE) for offline use.
 * Writes never go through it: the offline queue (web/shared/offline-queue.ts) keeps them.
 */
import { forgetPatrolGrids } from '../shared/patrol-walk.js';
import { forgetKept } from './phone-store.js';

/** The runtime cache of API answers (the name vite.config.ts gives Workbox). */
export const API_CACHE = 'cc-m-api';

/**
 * What the app reads before anything is opened, fetched again once the worker controls the page:
 * on the first visit these were answered before the worker existed, and without them in its
 * cache the app would open offline on the sign-in page, or the report sheet without categories.
 */
const WARM = ['/api/auth/me', '/api/problem-categories', '/api/grids'];

/** Registers /m-sw.js for /m/ (scope '/m/': '/m' alone would also take /mock-evaluation). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  const controlled = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (controlled) return;
    for (const url of WARM) void fetch(url, { credentials: 'same-origin' }).catch(() => undefined);
  });
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/m-sw.js', { scope: '/m/' }).catch(() => undefined);
  });
}

/**
 * Forgets the cached API answers and the work kept on the phone for offline use (the inspector's
 * rounds, the flows' kept lists, the patrol's grids: phone-store.ts, patrol-walk.ts): on signing out, and when the server says the session is gone,
 * so the next person on this phone (or this one, offline) is not shown the last one's tasks. What
 * is a person's own work stays theirs: their queued writes and a patrol under way, kept by user.
 */
export async function forgetCachedAnswers(): Promise<void> {
  forgetKept();
  forgetPatrolGrids();
  if (typeof caches === 'undefined') return;
  await caches.delete(API_CACHE).catch(() => false);
}
