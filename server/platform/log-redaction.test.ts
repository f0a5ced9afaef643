import { describe, expect, it } from 'vitest';
import { logRequest } from '../app.js';

describe('the access log', () => {
  it('masks an Open311 api_key (and other keys) in the query string', () => {
    const out = logRequest({
      method: 'GET',
      url: '/open311/v2/requests.json?page=2&api_key=o311_secret&x=1&token=abc',
      ip: '10.0.0.1',
    });
    expect(out.url).toBe('/open311/v2/requests.json?page=2&api_key=***&x=1&token=***');
    expect(JSON.stringify(out)).not.toContain('o311_secret');
  });

  it('leaves ordinary URLs alone', () => {
    expect(logRequest({ method: 'GET', url: '/api/problems?q=key' }).url).toBe(
      '/api/problems?q=key',
    );
  });
});
