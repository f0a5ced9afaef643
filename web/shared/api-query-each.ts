import { useQueries, type UseQueryResult } from '@tanstack/react-query';
import { apiCall, type ApiArgs, type ApiResponse, type ApiRest, type GetKey } from './api.js';
import { apiKey } from './api-query.js';

// A module of its own: useQueries stays out of the first loads (the admin's frame and the phone
// app import api-query.ts; only some pages read one endpoint many times).

/**
 * Reads one endpoint with each of these arguments (the rounds of each survey), in parallel;
 * one result per argument, in their order.
 */
export function useApiEach<K extends GetKey>(
  key: K,
  argsList: readonly ApiArgs<K>[],
): UseQueryResult<ApiResponse<K>, Error>[] {
  return useQueries({
    queries: argsList.map((args) => ({
      queryKey: apiKey(key, args),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        apiCall(key, ...([args, signal] as ApiRest<K>)),
    })),
  });
}
