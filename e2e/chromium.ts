import fs from 'node:fs';

// Chromium's path and flags, without vitest (the e2e harness and the phone-load benchmark).

/** Debian's chromium, or CHROMIUM_PATH. Missing: skip loudly, except under CI where it fails. */
export function chromiumPath(): string | null {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (fs.existsSync(p)) return p;
  const msg = `chromium not found at ${p}: install Debian's chromium or set CHROMIUM_PATH`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`\n!!! E2E TESTS SKIPPED: ${msg} !!!\n`);
  return null;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
