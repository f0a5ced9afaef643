import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has laptop defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.seed).toBe('demo');
    expect(c.pgliteDurability).toBe('strict');
    expect(c.cookieSecure).toBe(false);
    expect(c.dataDir).toMatch(/data$/);
  });

  it('turns on secure cookies for an https public URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://cc.example.gov.cn' }).cookieSecure).toBe(true);
  });

  it('refuses bad values with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ SEED: 'yes' })).toThrow(/SEED/);
    expect(() => loadConfig({ PGLITE_DURABILITY: 'maybe' })).toThrow(/PGLITE_DURABILITY/);
  });
});
