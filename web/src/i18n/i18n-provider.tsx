// The web app's language (issue 24): react-intl (FormatJS) with ICU messages. The locale is the
// user's choice (profile, or the sign-in page's picker, kept in this browser), else the browser's
// languages; English is the source and the fallback for any message not translated yet. Catalogs
// load per language on demand; `en-XA` is the pseudo-locale built from English.
// Why react-intl over Lingui and i18next: ICU MessageFormat is its own format (FormatJS is the
// reference ICU implementation in JavaScript, and `@formatjs/cli` extracts with the same parser),
// messages are plain `defineMessages` objects with explicit ids that work outside React too (toasts,
// close reasons), and it needs no compile step — Lingui's macros need a Babel/SWC plugin in the
// build, i18next speaks ICU only through a plugin and its own format otherwise.
import { type Locale, pickLocale } from '@common/locales';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { createIntl, createIntlCache, type IntlShape, RawIntlProvider } from 'react-intl';
import { setFormatLocale } from '@/lib/format';
import { setCurrentIntl } from './current-intl';
import { installErrorLanguage } from './error-messages';
import en from './messages/en.json';
import { pseudoLocalize } from './pseudo';

const STORAGE_KEY = 'nexus.locale';

const CATALOGS: Record<Exclude<Locale, 'en' | 'en-XA'>, () => Promise<{ default: Record<string, string> }>> = {
  de: () => import('./messages/de.json'),
  fr: () => import('./messages/fr.json'),
  es: () => import('./messages/es.json'),
};

async function loadMessages(locale: Locale): Promise<Record<string, string>> {
  if (locale === 'en') return en;
  if (locale === 'en-XA') return pseudoLocalize(en);
  return { ...en, ...(await CATALOGS[locale]()).default };
}

const cache = createIntlCache();
installErrorLanguage();

/** English text, but dates and numbers as this browser's English is written (en-GB: 24 h). */
function formattingLocale(locale: Locale): string {
  if (locale !== 'en' && locale !== 'en-XA') return locale;
  return navigator.languages.find((l) => /^en(-|$)/i.test(l)) ?? 'en';
}

function intlFor(locale: Locale, messages: Record<string, string>): IntlShape {
  const intl = createIntl({ locale: locale === 'en-XA' ? 'en' : locale, messages, defaultLocale: 'en' }, cache);
  // Code outside React (toasts, errors, close reasons, formatted figures) follows the same language.
  setCurrentIntl(intl, locale);
  setFormatLocale(formattingLocale(locale));
  return intl;
}

function storedLocale(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

interface LocaleState {
  locale: Locale;
  /** Changes the language now and remembers it in this browser. */
  setLocale(locale: Locale): void;
}

const LocaleContext = createContext<LocaleState>({ locale: 'en', setLocale: () => {} });

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => pickLocale([storedLocale(), ...navigator.languages]));
  const [intl, setIntl] = useState<IntlShape | null>(() => (locale === 'en' ? intlFor('en', en) : null));
  useEffect(() => {
    let live = true;
    void loadMessages(locale).then((m) => {
      if (!live) return;
      document.documentElement.lang = locale;
      setIntl(intlFor(locale, m));
    });
    return () => {
      live = false;
    };
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {}
    setLocaleState(next);
  }, []);
  const state = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  if (!intl) return null;
  return (
    <LocaleContext.Provider value={state}>
      <RawIntlProvider value={intl}>{children}</RawIntlProvider>
    </LocaleContext.Provider>
  );
}

/** A signed-in user's language from their profile wins over this browser's (when they set one),
 * each time the profile's choice changes; a picker may change the locale in between. */
export function useProfileLocale(profile: Locale | null): void {
  const { locale, setLocale } = useLocale();
  const current = useRef(locale);
  current.current = locale;
  useEffect(() => {
    if (profile && profile !== current.current) setLocale(profile);
  }, [profile, setLocale]);
}
