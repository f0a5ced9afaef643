import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { ConfigProvider } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { useEffect, useState, type ReactNode } from 'react';
import { AuthProvider, useAuth } from '../admin/auth.js';
import { createQueryClient, invalidateOnWrites } from '../shared/api-query.js';
import { useI18n } from '../shared/i18n.js';
import { setQueueUser } from '../shared/offline-queue.js';
import './react19-render.js';

/**
 * What every phone screen runs inside (under I18nProvider): antd-mobile in the chosen language,
 * the data layer's QueryClient (web/shared/api-query.ts; one per mount unless given) and the
 * signed-in user (the admin's AuthProvider: the same /api/auth endpoints, session cookie and
 * CSRF token), whom the offline queue sends for. main.tsx and the component tests
 * (web/test/render-mobile.tsx) both use it.
 */
export function MobileProviders({
  children,
  queryClient,
}: {
  children: ReactNode;
  queryClient?: QueryClient;
}) {
  const { lang } = useI18n();
  const [ownClient] = useState(createQueryClient);
  const client = queryClient ?? ownClient;
  useEffect(() => invalidateOnWrites(client), [client]);
  return (
    <QueryClientProvider client={client}>
      <ConfigProvider locale={lang === 'en' ? enUS : zhCN}>
        <AuthProvider>
          <QueueOwner />
          {children}
        </AuthProvider>
      </ConfigProvider>
    </QueryClientProvider>
  );
}

/**
 * Tells the offline queue who is signed in: it sends only their items, and what they queued
 * before signing out goes out when they sign in again (web/shared/offline-queue.ts).
 */
function QueueOwner() {
  const userId = useAuth().user?.id ?? null;
  useEffect(() => {
    setQueueUser(userId);
    return () => setQueueUser(null);
  }, [userId]);
  return null;
}
