import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'zh' | 'en';

/** A bilingual label: Chinese first, English beside it. */
export type L = { zh: string; en: string };

/**
 * The shared vocabulary, by domain (./terms/): `t(L.common.save)`. Every entry is an L, so `L` is
 * both the label's type and the catalogs. A namespace: a bundle keeps only the domains it reads.
 */
export * as L from './terms/index.js';

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  /** Picks the text for the current language. */
  t: (l: L) => string;
}

const Ctx = createContext<I18n>({ lang: 'zh', setLang: () => undefined, t: (l) => l.zh });

const STORAGE_KEY = 'cc.lang';

/** The language the app was last set to (for code outside React: form errors, messages). */
export function currentLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() =>
    localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh',
  );
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang: (l) => {
        localStorage.setItem(STORAGE_KEY, l);
        document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
        setLangState(l);
      },
      t: (l) => (lang === 'en' ? l.en : l.zh),
    }),
    [lang],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}

/** Formats a timestamp in Asia/Shanghai as 2026-11-23 14:05. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

export { inLanguage } from '../../core/i18n/bilingual.js';
