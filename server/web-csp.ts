import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The CSP sources of the inline scripts in the built pages (`'sha256-…'`): the build writes
 * web/early-me.js into the admin's and the phone app's pages (vite.config.ts), and the policy
 * allows exactly that script, by its hash, and no other inline script. Read once when the server
 * starts; none without a built web app.
 */
export function inlineScriptSources(webDir: string): string[] {
  if (!fs.existsSync(webDir)) return [];
  const sources = new Set<string>();
  for (const file of fs.readdirSync(webDir)) {
    if (!file.endsWith('.html')) continue;
    const html = fs.readFileSync(path.join(webDir, file), 'utf8');
    for (const m of html.matchAll(/<script>([\s\S]*?)<\/script>/g)) {
      sources.add(`'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
    }
  }
  return [...sources].sort();
}
