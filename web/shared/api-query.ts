import {
  QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
  type Query,
  type UseMutationOptions,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { EndpointKey } from '../../core/contracts/api.gen.js';
import {
  ApiError,
  apiCall,
  callEndpoint,
  type ApiArgs,
  type ApiResponse,
  type ApiRest,
  type GetKey,
  type WriteKey,
  setOnWrite,
} from './api.js';
import { takeEarly } from './early.js';

// The web's data layer (issue #21): TanStack Query over the typed client (apiCall). A query's key
// is `[endpoint key, args]`, so an answer belongs to the arguments it was asked with (a page
// never shows the answer to an earlier filter that arrived late) and a write invalidates every
// query of an endpoint, or of all endpoints under a path, whatever their arguments.

/** Retries a failed read only when the network failed (no answer): an HTTP error is an answer. */
function retryNetwork(failures: number, error: unknown): boolean {
  return !(error instanceof ApiError) && failures < 2;
}

/**
 * The app's QueryClient. An answer is fresh for 10 s (pages opened again at once, and every
 * component asking the same thing, share one request); a page mounted later refetches in the
 * background while showing what it had. No refetch when the window regains focus: a form filled
 * from a query must not be reset under the user's hands. Writes are never retried.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, retry: retryNetwork, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/** The query key of an endpoint called with these arguments. */
export function apiKey<K extends GetKey>(
  key: K,
  args?: ApiArgs<K>,
): readonly [K, ApiArgs<K> | null] {
  return [key, args ?? null] as const;
}

/**
 * Whether a query belongs under an endpoint prefix: `'GET /api/problems'` covers itself,
 * `'GET /api/problems/:id'` and everything else below /api/problems (not /api/problems-x).
 */
export function underPrefix(prefix: string, query: Pick<Query, 'queryKey'>): boolean {
  const key = query.queryKey[0];
  return typeof key === 'string' && (key === prefix || key.startsWith(`${prefix}/`));
}

/** Marks every query under these endpoint prefixes stale and refetches the ones on screen. */
export function invalidateApi(client: QueryClient, prefixes: readonly string[]): Promise<void> {
  return client.invalidateQueries({
    predicate: (q) => prefixes.some((p) => underPrefix(p, q)),
  });
}

/**
 * The reads a write makes stale when it does not say: every GET under its first path segment
 * (`PATCH /api/units/:id` → `GET /api/units`, so the list and each unit).
 */
export function defaultInvalidation(key: WriteKey): string[] {
  return stalenedBy(key.slice(key.indexOf(' ') + 1));
}

/** The endpoint prefixes a write to this path makes stale: the GETs under its first segment. */
function stalenedBy(path: string): string[] {
  const first = /^\/api\/[^/]+/.exec(path)?.[0];
  return first ? [`GET ${first}`] : [];
}

/**
 * Every write made outside useApiMutation (apiCall(), the offline queue's sends) marks the reads
 * under its first path segment stale in this client, so a
 * page opened afterwards never shows what the write changed as it was. Returns the undo.
 */
export function invalidateOnWrites(client: QueryClient): () => void {
  setOnWrite((path) => void invalidateApi(client, stalenedBy(path)));
  return () => setOnWrite(null);
}

type ApiQueryOptions<K extends GetKey, TData> = Omit<
  UseQueryOptions<ApiResponse<K>, Error, TData, readonly [K, ApiArgs<K> | null]>,
  'queryKey' | 'queryFn'
>;

/**
 * Reads an endpoint: `useApi('GET /api/problems/:id', { params: { id } })`. Typed by the route's
 * schemas; `args` null waits (a query that cannot be asked yet, e.g. before a campaign is
 * chosen). The request is aborted when its answer is no longer wanted.
 */
export function useApi<K extends GetKey, TData = ApiResponse<K>>(
  key: K,
  args: ApiArgs<K> | null,
  options: ApiQueryOptions<K, TData> = {},
): UseQueryResult<TData, Error> {
  return useQuery({
    ...options,
    queryKey: apiKey(key, args ?? undefined),
    // What the page asked for before the app started (web/early-phone.js), else the server.
    queryFn: ({ signal }) =>
      takeEarly(key, args ?? undefined) ??
      apiCall(key, ...([args ?? undefined, signal] as ApiRest<K>)),
    enabled: args !== null && (options.enabled ?? true),
  });
}

export interface ApiMutationOptions<K extends WriteKey> extends Omit<
  UseMutationOptions<ApiResponse<K>, Error, ApiArgs<K>>,
  'mutationFn'
> {
  /**
   * Endpoint prefixes whose queries the write makes stale (`'GET /api/problems'`): after a
   * success they are refetched. By default every GET under the write's first path segment.
   */
  invalidates?: readonly string[];
}

/**
 * Writes through an endpoint: `useApiMutation('POST /api/problems').mutateAsync({ body })`. After
 * a success the reads it makes stale are invalidated (and refetched when on screen) before the
 * mutation settles, so what the page shows next is the server's new state.
 */
export function useApiMutation<K extends WriteKey>(key: K, options: ApiMutationOptions<K> = {}) {
  const client = useQueryClient();
  const { invalidates, onSuccess, ...rest } = options;
  return useMutation<ApiResponse<K>, Error, ApiArgs<K>>({
    ...rest,
    // Quiet: what it makes stale is its own `invalidates`, not the default of every write.
    mutationFn: (args) => callEndpoint(key, args, undefined, true),
    onSuccess: async (...a) => {
      await invalidateApi(client, invalidates ?? defaultInvalidation(key));
      await onSuccess?.(...a);
    },
  });
}

export type { EndpointKey };
