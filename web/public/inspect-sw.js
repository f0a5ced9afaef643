// Retired service worker of the desktop app's former inspection page (/inspect). The page moved to
// the phone app (/m/inspect, with its own worker); the server redirects /inspect there. A phone
// that once opened /inspect keeps the old worker until the browser fetches this script again (on
// its next visit in that scope) and finds it changed: this version then deletes the old caches and
// unregisters itself, and reloads any page it still controls, which lands in the phone app. Queued
// submissions are not touched: both apps share the same IndexedDB queue.
self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('inspect-')) await caches.delete(key);
      }
      await self.registration.unregister();
      const windows = await self.clients.matchAll({ type: 'window' });
      for (const w of windows) await w.navigate(w.url);
    })(),
  );
});
