import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, useState, type ReactNode } from 'react';
import { Permission } from '../../core/permissions.js';
import { createQueryClient, invalidateOnWrites } from '../shared/api-query.js';
import { PHONE_APP_URL } from '../shared/field-roles.js';
import { useI18n } from '../shared/i18n.js';
import { BaseMapGrids } from '../shared/base-map-grids.js';
import { reducedMotion } from '../shared/motion.js';
import { AuthProvider, useAuth } from './auth.js';

/** antd's theme: the campaign's red, and no motion for a user who asked for less. */
const THEME = { token: { colorPrimary: '#c8102e', motion: !reducedMotion() } };

/**
 * What every admin page runs inside (under I18nProvider): antd and dayjs in the chosen language with the
 * campaign's red, antd's App context (message, modal), the data layer's QueryClient (one per
 * mount unless given: each component test passes its own) and the signed-in user. main.tsx and
 * the component tests (web/test/render.tsx) both use it, so tests render pages as the app does.
 */
export function AdminProviders({
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
  // dayjs names the months and weekdays in antd's calendars and date pickers (and starts the week
  // on Monday in Chinese): without its zh-cn locale they stay English under a Chinese antd.
  // Set before the pages render, as the language changes (idempotent).
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    <QueryClientProvider client={client}>
      <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={THEME}>
        <AntApp>
          <AuthProvider fieldUsersTo={PHONE_APP_URL}>
            <GridsOnMaps>{children}</GridsOnMaps>
          </AuthProvider>
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}

/** Maps without tiles draw the grids too (close in) for a user who may see grids. */
function GridsOnMaps({ children }: { children: ReactNode }) {
  const { can } = useAuth();
  return <BaseMapGrids value={can(Permission.GridRead)}>{children}</BaseMapGrids>;
}
