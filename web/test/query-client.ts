import type { QueryClient } from '@tanstack/react-query';
import { createQueryClient } from '../shared/api-query.js';

// Each rendered page gets a QueryClient of its own: the files of a worker share one module graph
// (vitest.config.ts, isolate: false), and an answer cached in one test must never answer the next.

const clients = new Set<QueryClient>();

/**
 * A fresh QueryClient as the app makes it (web/shared/api-query.ts), but with no retry (a failed
 * request fails the test at once) and no garbage-collection timers; cleared after the test.
 */
export function testQueryClient(): QueryClient {
  const client = createQueryClient();
  const d = client.getDefaultOptions();
  client.setDefaultOptions({
    queries: { ...d.queries, retry: false, gcTime: Infinity },
    mutations: { ...d.mutations, gcTime: Infinity },
  });
  clients.add(client);
  return client;
}

/** Empties and forgets the clients of the test that ended (web/test/setup.ts). */
export function clearTestQueryClients(): void {
  for (const c of clients) c.clear();
  clients.clear();
}
