// Service worker of the inspector's phone page (/inspect, its scope): once the page has been
// opened online, it opens again with no network. Plain JS served as is (web/public), no build step.
// - the page shell (/inspect → index.html) and every /assets/ file it references are cached at
//   install; a navigation goes to the network first and falls back to the shell;
// - /assets/ files are content-hashed, so cache-first is safe;
// - GET /api/auth/me is network-first with the last answer as the offline fallback (so the app
//   knows who is signed in); signing out or a 401 drops it. The rounds are not cached here: the
//   page keeps them in localStorage and says it is showing them offline. Submissions are not
//   touched: the page's IndexedDB queue handles them.
const VERSION = 'inspect-v1';
const SHELL = `${VERSION}-shell`;
const API = `${VERSION}-api`;
const API_CACHED = ['/api/auth/me'];

async function precache() {
  const cache = await caches.open(SHELL);
  const res = await fetch('/inspect', { credentials: 'same-origin' });
  if (!res.ok) return;
  const html = await res.clone().text();
  await cache.put('/inspect', res);
  const assets = [...new Set(html.match(/\/assets\/[^"'\s>]+/g) ?? [])];
  await cache.addAll(assets);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (!key.startsWith(VERSION)) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(request);
    if (res.ok) await cache.put(key, res.clone());
    else if (res.status === 401) await cache.delete(key);
    return res;
  } catch (err) {
    const hit = await cache.match(key);
    if (hit) return hit;
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === '/api/auth/logout') {
    event.waitUntil(caches.delete(API));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, SHELL, '/inspect'));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  } else if (API_CACHED.includes(url.pathname)) {
    event.respondWith(networkFirst(request, API, url.pathname));
  }
});
