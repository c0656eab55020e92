// The app's current language for code outside React (close reasons, formatted figures, errors in
// toasts): the i18n provider installs it; before that, English from the messages' own defaults.
import { createIntl, type IntlShape, type MessageDescriptor } from 'react-intl';

const ENGLISH = createIntl({ locale: 'en', defaultLocale: 'en', messages: {} });
let current: IntlShape = ENGLISH;
let currentTag = 'en';

export function setCurrentIntl(intl: IntlShape = ENGLISH, tag: string = intl.locale): void {
  current = intl;
  currentTag = tag;
}

/** The current language's formatter (for helpers that take one, like describeError). */
export function currentIntl(): IntlShape {
  return current;
}

/** One message in the current language. */
export function translate(message: MessageDescriptor, values?: Record<string, string | number>): string {
  return current.formatMessage(message, values);
}

/** The current language's tag (`de`, `fr`, `en-XA`…). */
export function currentLocale(): string {
  return currentTag;
}
