// The language picker (profile page, sign-in page): each language named in itself.
import { LOCALES, type Locale } from '@common/locales';
import { defineMessages, useIntl } from 'react-intl';
import { ChoiceSelect } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { useLocale } from './i18n-provider';

/** Each language named in itself (the same in every language). */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  'en-XA': 'Ƥšéúðó (pseudo)',
};

const m = defineMessages({
  label: { id: 'language.label', defaultMessage: 'Language' },
});

/** Changes the app's language at once; `onPick` also keeps it elsewhere (the profile). */
export function LanguagePicker({ id, onPick, hint }: { id: string; onPick?(locale: Locale): void; hint?: string }) {
  const { locale, setLocale } = useLocale();
  const t = useIntl().formatMessage;
  return (
    <Field id={id} label={t(m.label)} hint={hint}>
      <ChoiceSelect
        id={id}
        value={locale}
        onValueChange={(next) => {
          setLocale(next);
          onPick?.(next);
        }}
        choices={LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
      />
    </Field>
  );
}
