import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { TMeResponse, TSessionUser } from '../../core/contracts/auth.js';
import { QueryClientContext } from '@tanstack/react-query';
import { ApiError, apiCall, setCsrfToken, setOnUnauthenticated } from '../shared/api.js';
import { takeEarly } from '../shared/early.js';
import { isFieldUser } from '../shared/field-roles.js';

interface AuthState {
  user: TSessionUser | null;
  loading: boolean;
  can: (permission: string) => boolean;
  /**
   * The office and leader roles are held at the city (or nowhere in particular): false for a
   * district or street 创建办, whose pages leave out the city-level settings and views.
   */
  cityLevel: boolean;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  refresh: () => Promise<void>;
}

const Ctx = createContext<AuthState | null>(null);

export function AuthProvider({
  children,
  fieldUsersTo,
}: {
  children: ReactNode;
  /**
   * Where a field user (测评员, 网格员, 调查员, 志愿者 only) goes on signing in here: the admin
   * sends them to the phone app, their task list, rather than the city's ledger. A page load,
   * not a route: the phone app is a bundle of its own.
   */
  fieldUsersTo?: string;
}) {
  const [user, setUser] = useState<TSessionUser | null>(null);
  const [loading, setLoading] = useState(true);
  // The data layer's cache, when the app has one (AdminProviders and MobileProviders do).
  const client = useContext(QueryClientContext);

  const apply = (me: TMeResponse | null) => {
    setCsrfToken(me?.csrfToken ?? '');
    setUser(me?.user ?? null);
  };
  /** Signed out, or someone signs in: nothing read for the last user is shown to the next. */
  const forget = () => client?.clear();

  const refresh = useCallback(async () => {
    try {
      // The page's own early request (web/early-me.js) the first time, the server after.
      apply(await (takeEarly('GET /api/auth/me') ?? apiCall('GET /api/auth/me')));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) apply(null);
      else throw err;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    setOnUnauthenticated(() => {
      forget();
      apply(null);
    });
    void refresh();
  }, [refresh]);

  const value: AuthState = {
    user,
    loading,
    can: (p) => user?.permissions.includes(p) ?? false,
    cityLevel: isCityLevel(user),
    signIn: async (username, password) => {
      const me = await apiCall('POST /api/auth/login', { body: { username, password } });
      forget();
      if (fieldUsersTo && isFieldUser(me.user)) {
        window.location.assign(fieldUsersTo);
        return;
      }
      apply(me);
    },
    signOut: async () => {
      try {
        await apiCall('POST /api/auth/logout');
      } finally {
        forget();
        apply(null);
      }
    },
    refresh,
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** True when a user's office and leader roles are held at the city (see AuthState.cityLevel). */
export function isCityLevel(user: TSessionUser | null): boolean {
  return user !== null && (user.regionId === null || user.regionLevel === 'city');
}
