import { ERROR_STATUS } from '@common/errors';
import { createIntl } from 'react-intl';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, errorMessage, setErrorDescriber } from '@/lib/api-client';
import { setCurrentIntl } from './current-intl';
import { describeError, errorMessages, installErrorLanguage } from './error-messages';
import de from './messages/de.json';
import en from './messages/en.json';
import fr from './messages/fr.json';

const german = createIntl({ locale: 'de', messages: { ...en, ...de }, defaultLocale: 'en' });
const english = createIntl({ locale: 'en', messages: en, defaultLocale: 'en' });

describe('error messages', () => {
  afterEach(() => {
    setErrorDescriber(null);
    setCurrentIntl();
  });

  it('has a message for every code the API answers with, in English, German and French', () => {
    const codes = Object.keys(ERROR_STATUS);
    expect(codes.length).toBeGreaterThan(100);
    for (const code of codes) {
      const id = errorMessages[code as keyof typeof errorMessages]?.id;
      expect(id, code).toBe(`error.${code}`);
      for (const catalog of [en, de, fr] as Record<string, string>[]) expect(catalog[id ?? ''], code).toBeTruthy();
    }
  });

  it('keeps the API’s own words in English and speaks the code’s message in German', () => {
    const e = new ApiError(409, 'member.last_admin', 'A tenant needs at least one admin (tenant acme)');
    expect(describeError(e, english, true)).toBe('A tenant needs at least one admin (tenant acme)');
    expect(describeError(e, german, false)).toBe('Ein Mandant braucht mindestens einen Administrator.');
  });

  it('takes the message’s values from the error’s details, with plurals', () => {
    const one = new ApiError(403, 'share.pin_invalid', 'Wrong PIN (1 attempts left)', { attemptsLeft: 1 });
    const four = new ApiError(403, 'share.pin_invalid', 'Wrong PIN (4 attempts left)', { attemptsLeft: 4 });
    expect(describeError(one, german, false)).toBe('Falsche PIN (noch 1 Versuch)');
    expect(describeError(four, german, false)).toBe('Falsche PIN (noch 4 Versuche)');
    // Details without the value the message needs: the server's words rather than a broken sentence.
    const bare = new ApiError(403, 'share.pin_invalid', 'Wrong PIN');
    expect(describeError(bare, german, false)).toBe('Wrong PIN');
  });

  it('keeps the server’s words for a code it does not know, and translates the client’s own errors', () => {
    expect(describeError(new ApiError(400, 'future.code', 'Something new'), german, false)).toBe('Something new');
    const offline = new ApiError(0, 'network.unreachable', 'Nexus is unreachable. Check your connection.');
    expect(describeError(offline, german, false)).toBe('Nexus ist nicht erreichbar. Prüfen Sie Ihre Verbindung.');
    expect(describeError(new ApiError(502, 'http.unexpected', 'Request failed (502)'), german, false)).toBe(
      'Anfrage fehlgeschlagen (502)',
    );
    expect(describeError(undefined, german, false)).toBe('Etwas ist schiefgelaufen');
  });

  it('makes errorMessage() outside React follow the installed language', () => {
    const e = new ApiError(404, 'server.not_found', 'Server not found');
    expect(errorMessage(e)).toBe('Server not found');
    installErrorLanguage();
    expect(errorMessage(e)).toBe('Server not found');
    setCurrentIntl(german, 'de');
    expect(errorMessage(e)).toBe('Server nicht gefunden.');
  });
});
