import type { sessions } from '../../db/schema/index.js';
import { ShortCache } from '../../platform/short-cache.js';
import type { UserRow } from '../org/users.repo.js';

/**
 * Looked-up sessions (with their users) an app server reuses for SESSION_CACHE_MS. Every deletion
 * of sessions and every change to a user invalidates the cache on this server.
 */
export const sessionCache = new ShortCache<
  { session: typeof sessions.$inferSelect; user: UserRow } | undefined
>();

export const invalidateSessionCache = sessionCache.invalidate;
