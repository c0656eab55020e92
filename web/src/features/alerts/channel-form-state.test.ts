import { describe, expect, it } from 'vitest';
import type { Channel } from './api/alerts';
import { channelBody, formProblem, initialForm, parseAddresses } from './channel-form-state';

const stored: Channel = {
  id: 'c1',
  name: 'Chat',
  type: 'webhook',
  to: null,
  url: 'https://hooks.example/…',
  preset: 'slack',
  hasSecret: true,
  events: ['server.offline'],
  enabled: true,
  maxPerHour: 20,
  quietHours: null,
  createdAt: '',
  updatedAt: '',
  health: { lastSuccessAt: null, lastFailureAt: null, lastError: null, failingSince: null, pending: 0 },
};

describe('the channel form', () => {
  it('parses addresses from free text and names a bad one', () => {
    expect(parseAddresses('a@x.io, b@y.io\nc@z.io;')).toEqual(['a@x.io', 'b@y.io', 'c@z.io']);
    const f = { ...initialForm(null), name: 'Ops', to: 'ops@example.com, nope' };
    expect(formProblem(f, null)).toBe('“nope” is not an e-mail address.');
    expect(formProblem({ ...f, to: 'ops@example.com' }, null)).toBeNull();
  });

  it('asks for the secret again when a webhook URL changes', () => {
    const f = { ...initialForm(stored), url: 'https://elsewhere.example/hook' };
    expect(f.secretMode).toBe('keep');
    expect(formProblem(f, stored)).toMatch(/enter the secret again/);
    expect(formProblem({ ...f, secretMode: 'none' }, stored)).toBeNull();
    expect(channelBody({ ...f, secretMode: 'none' }, stored)).toMatchObject({ url: f.url, secret: null });
    const set = { ...f, secretMode: 'set' as const, secret: 'short' };
    expect(formProblem(set, stored)).toMatch(/16 characters/);
    expect(channelBody({ ...set, secret: 'a-long-enough-secret' }, stored)).toMatchObject({
      secret: 'a-long-enough-secret',
    });
  });

  it('sends neither URL nor secret when an edit leaves them alone', () => {
    const body = channelBody({ ...initialForm(stored), name: 'Renamed' }, stored);
    expect(body).toMatchObject({ name: 'Renamed', preset: 'slack', quietHours: null });
    expect(body).not.toHaveProperty('url');
    expect(body).not.toHaveProperty('secret');
    expect(body).not.toHaveProperty('type');
  });

  it('makes a whole body for a new webhook with quiet hours', () => {
    const f = {
      ...initialForm(null),
      type: 'webhook' as const,
      name: 'Hook',
      url: 'https://h.example/x',
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
    });
  });
});
