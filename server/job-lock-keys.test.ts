import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

// Each background job runs under its own PostgreSQL advisory lock (server/platform/jobs.ts): two
// jobs sharing a key would skip each other's turns on a shared database.
describe('the background jobs of server/main.ts', () => {
  it('each take their own advisory lock key', () => {
    const src = fs.readFileSync(new URL('./main.ts', import.meta.url), 'utf8');
    const keys = [...src.matchAll(/lockKey:\s*(\d+)/g)].map((m) => Number(m[1]));
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });
});
