import { describe, expect, it } from 'vitest';
import { makeChannel } from '@/testing/factories';
import {
  channelBody,
  channelTarget,
  errorAt,
  formProblem,
  hasUnplacedError,
  initialForm,
  parseAddresses,
  secretMustChange,
} from './channel-form-state';

const stored = makeChannel();
const SECRET = 'a-long-enough-secret';

describe('the channel form', () => {
  it('parses addresses from free text and names a bad one', () => {
    expect(parseAddresses('a@x.io, b@y.io\nc@z.io;')).toEqual(['a@x.io', 'b@y.io', 'c@z.io']);
    const f = { ...initialForm(null), name: 'Ops', to: 'ops@example.com, nope' };
    expect(formProblem(f, null)).toBe('“nope” is not an e-mail address.');
    expect(formProblem({ ...f, to: 'ops@example.com' }, null)).toBeNull();
    expect(formProblem({ ...f, to: ' , \n' }, null)).toBe('Give at least one address.');
    const many = Array.from({ length: 21 }, (_, i) => `u${i}@example.com`).join('\n');
    expect(formProblem({ ...f, to: many }, null)).toBe('At most 20 addresses.');
  });

  it('builds an e-mail body with the parsed addresses, without a type on an edit', () => {
    const f = { ...initialForm(null), name: ' Ops ', to: 'a@x.io\nb@y.io' };
    expect(channelBody(f, null)).toMatchObject({ type: 'email', name: 'Ops', to: ['a@x.io', 'b@y.io'] });
    const mail = makeChannel({ type: 'email', to: ['a@x.io'], url: null, preset: null, hasSecret: false });
    const body = channelBody({ ...initialForm(mail), to: 'c@z.io' }, mail);
    expect(body).toMatchObject({ to: ['c@z.io'] });
    expect(body).not.toHaveProperty('type');
    expect(body).not.toHaveProperty('secret');
  });

  it('needs a name, an event, an hourly limit in range and a valid URL', () => {
    const hook = { ...initialForm(null), type: 'webhook' as const, name: 'Hook', url: 'https://h.example/x' };
    expect(formProblem({ ...hook, name: '  ' }, null)).toBe('Give the channel a name.');
    expect(formProblem({ ...hook, events: [] }, null)).toBe('Choose at least one event.');
    expect(formProblem({ ...hook, maxPerHour: Number.NaN }, null)).toMatch(/hourly limit/);
    expect(formProblem({ ...hook, maxPerHour: 1001 }, null)).toMatch(/hourly limit/);
    expect(formProblem({ ...hook, url: '' }, null)).toBe('Give the webhook URL.');
    expect(formProblem({ ...hook, url: 'ftp://h.example/x' }, null)).toMatch(/http:\/\/ or https:\/\//);
    expect(formProblem({ ...hook, url: 'javascript:alert(1)' }, null)).toMatch(/http:\/\/ or https:\/\//);
    expect(formProblem(hook, null)).toBeNull();
  });

  it('checks quiet hours: HH:MM, different ends, a real time zone', () => {
    const f = { ...initialForm(null), name: 'Ops', to: 'ops@example.com', quiet: true, timeZone: 'Europe/Vienna' };
    expect(formProblem(f, null)).toBeNull();
    expect(formProblem({ ...f, quietTo: '22:00' }, null)).toMatch(/different times/);
    expect(formProblem({ ...f, quietFrom: '25:00' }, null)).toMatch(/HH:MM/);
    expect(formProblem({ ...f, timeZone: 'Mars/Olympus' }, null)).toMatch(/not a time zone/);
    // Off: the fields do not matter and are not sent.
    expect(formProblem({ ...f, quiet: false, timeZone: 'Mars/Olympus' }, null)).toBeNull();
    expect(channelBody({ ...f, quiet: false }, null)).toMatchObject({ quietHours: null });
  });

  it('asks for the secret again (or its removal) when a webhook URL changes', () => {
    const f = { ...initialForm(stored), url: 'https://elsewhere.example/hook' };
    expect(f.secretMode).toBe('keep');
    expect(secretMustChange(f, stored)).toBe(true);
    expect(formProblem(f, stored)).toMatch(/enter the secret again, or remove it/);
    // Removed: sent as null with the new URL.
    expect(formProblem({ ...f, secretMode: 'none' }, stored)).toBeNull();
    expect(channelBody({ ...f, secretMode: 'none' }, stored)).toMatchObject({ url: f.url, secret: null });
    // Replaced: a new one, long enough and printable, is needed; an empty field is not "none".
    const set = { ...f, secretMode: 'set' as const };
    expect(formProblem(set, stored)).toMatch(/Enter the new secret, or keep the stored one/);
    expect(formProblem({ ...set, secret: 'short' }, stored)).toMatch(/16 characters/);
    expect(formProblem({ ...set, secret: 'has a space in it here' }, stored)).toMatch(/printable ASCII/);
    expect(formProblem({ ...set, secret: SECRET }, stored)).toBeNull();
    expect(channelBody({ ...set, secret: SECRET }, stored)).toMatchObject({ url: f.url, secret: SECRET });
  });

  it('lets a channel without a stored secret change its URL with or without one', () => {
    const plain = makeChannel({ hasSecret: false });
    const f = { ...initialForm(plain), url: 'https://elsewhere.example/hook' };
    expect(f.secretMode).toBe('set');
    expect(secretMustChange(f, plain)).toBe(false);
    expect(formProblem(f, plain)).toBeNull();
    expect(channelBody(f, plain)).toMatchObject({ url: f.url, secret: null });
    expect(channelBody({ ...f, secret: SECRET }, plain)).toMatchObject({ secret: SECRET });
  });

  it('sends neither URL nor secret when an edit leaves them alone', () => {
    for (const c of [stored, makeChannel({ hasSecret: false })]) {
      const body = channelBody({ ...initialForm(c), name: 'Renamed' }, c);
      expect(body).toMatchObject({ name: 'Renamed', preset: 'slack', quietHours: null });
      expect(body).not.toHaveProperty('url');
      expect(body).not.toHaveProperty('secret');
      expect(body).not.toHaveProperty('type');
    }
    // Removing the stored secret alone is sent, without a URL.
    const removed = channelBody({ ...initialForm(stored), secretMode: 'none' }, stored);
    expect(removed).toMatchObject({ secret: null });
    expect(removed).not.toHaveProperty('url');
  });

  it('makes a whole body for a new webhook with quiet hours, the secret optional', () => {
    const f = {
      ...initialForm(null),
      type: 'webhook' as const,
      name: 'Hook',
      url: ' https://h.example/x ',
      quiet: true,
      timeZone: 'Europe/Vienna',
    };
    expect(formProblem(f, null)).toBeNull();
    expect(channelBody(f, null)).toEqual({
      type: 'webhook',
      name: 'Hook',
      url: 'https://h.example/x',
      preset: 'json',
      secret: null,
      events: f.events,
      enabled: true,
      maxPerHour: 20,
      quietHours: { from: '22:00', to: '07:00', timeZone: 'Europe/Vienna' },
      // A new channel writes in the app's language (English here).
      language: 'en',
    });
    expect(formProblem({ ...f, secret: 'short' }, null)).toMatch(/16 characters/);
    expect(channelBody({ ...f, secret: SECRET }, null)).toMatchObject({ secret: SECRET });
  });

  it('starts quiet hours in the browser’s time zone', () => {
    expect(initialForm(null).timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('shows a webhook by its host and an e-mail channel by its addresses', () => {
    expect(channelTarget(makeChannel({ url: 'https://hooks.slack.com/…' }))).toBe('hooks.slack.com');
    expect(channelTarget(makeChannel({ url: 'http://127.0.0.1:9000' }))).toBe('127.0.0.1:9000');
    expect(channelTarget(makeChannel({ type: 'email', to: ['a@x.io', 'b@y.io'], url: null }))).toBe('a@x.io, b@y.io');
  });

  it('places a failed save’s field errors by their fields', () => {
    const errs = { 'to.1': 'Invalid email address', 'quietHours.timeZone': 'must be an IANA time zone' };
    expect(errorAt(errs, 'to')).toBe('Invalid email address');
    expect(errorAt(errs, 'quietHours.timeZone')).toBe('must be an IANA time zone');
    expect(errorAt(errs, 'url')).toBeUndefined();
    expect(hasUnplacedError(errs)).toBe(false);
    expect(hasUnplacedError({ type: 'Invalid input' })).toBe(true);
  });
});
