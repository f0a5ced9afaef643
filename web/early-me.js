// Asks the server who is signed in while the app's scripts are still downloading: the app's first
// request, one round trip that would otherwise follow them (~0.6 s on a slow 4G phone). The app
// takes the answer once (web/shared/early.ts); without it the app asks itself. Plain JS written
// into the admin's and the phone app's pages at build (vite.config.ts, `inlineEarly`), so it runs
// as the page arrives, not one round trip later; the server allows it by its hash in the page's
// Content-Security-Policy (server/web-csp.ts).
globalThis.__ccEarly = {
  '/api/auth/me': fetch('/api/auth/me', { credentials: 'same-origin' }).catch(() => null),
};
