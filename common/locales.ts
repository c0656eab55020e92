// The languages of the web app (issue 24): English is the source; `en-XA` is the pseudo-locale
// (accented and longer) that shows untranslated or truncated text.
export const LOCALES = ['en', 'de', 'fr', 'es', 'en-XA'] as const;
export type Locale = (typeof LOCALES)[number];

/** The first supported language in a preference list (a profile's, then Accept-Language or the
 * browser's), by full tag then by its language; English when none matches. */
export function pickLocale(preferences: readonly (string | null | undefined)[]): Locale {
  for (const pref of preferences) {
    if (!pref) continue;
    const tag = pref.trim();
    const exact = LOCALES.find((l) => l.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const language = tag.split(/[-_]/)[0]?.toLowerCase();
    const byLanguage = LOCALES.find((l) => l === language);
    if (byLanguage) return byLanguage;
  }
  return 'en';
}
