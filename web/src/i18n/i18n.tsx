import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import en from './en.json';
import zhCN from './zh-CN.json';

// Every string the UI shows lives in a catalogue: zh-CN (the default) and en. Keys are flat
// ("portal.search"); `{name}` placeholders are filled from `vars`.
export const CATALOGUES = { 'zh-CN': zhCN, en } as const;
export type Lang = keyof typeof CATALOGUES;
export type MessageKey = keyof typeof zhCN;

const LANG_KEY = 'kuaiji.lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

export function translate(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const catalogue = CATALOGUES[lang] as Record<string, string>;
  const text = catalogue[key] ?? (CATALOGUES['zh-CN'] as Record<string, string>)[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

type I18n = {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** A problem+json code as a sentence of the current language. */
  error(code: string): string;
  /** The label of a national code the API sends in both languages. */
  label(coded: { zh: string; en: string } | undefined, fallback?: string): string;
  number(n: number | null | undefined, digits?: number): string;
  percent(ratio: number | null | undefined): string;
  dateTime(iso: string): string;
};

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(LANG_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const locale = lang === 'en' ? 'en-US' : 'zh-CN';
    return {
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      error: (code) => {
        const key = `errors.${code}`;
        const text = translate(lang, key);
        return text === key ? translate(lang, 'errors.INTERNAL') : text;
      },
      label: (coded, fallback = '—') => (coded ? (lang === 'en' ? coded.en : coded.zh) : fallback),
      number: (n, digits = 0) => (n === null || n === undefined ? '—' : n.toLocaleString(locale, { maximumFractionDigits: digits })),
      dateTime: (iso) => new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'medium', hour12: false }),
      percent: (ratio) => (ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toLocaleString(locale, { maximumFractionDigits: 1 })}%`),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
