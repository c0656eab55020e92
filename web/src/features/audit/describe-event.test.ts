import { AUDIT_ACTIONS } from '@common/schemas/audit';
import { describe, expect, it } from 'vitest';
import { actionChoices, actionLabel, actionText, targetText } from './describe-event';

describe('audit events in words', () => {
  it('names every action the server writes, and offers each (and each group) as a filter', () => {
    const all = Object.values(AUDIT_ACTIONS).flat();
    for (const a of all) expect(actionLabel(a), a).toMatch(/^[A-Z]/);
    const values = actionChoices().map((c) => c.value);
    expect(values).toEqual(expect.arrayContaining([...all, '', 'vm.power', 'server.', 'member.']));
    // Every choice is something the API's filter accepts: exact, or a prefix ending in '.'.
    for (const v of values) expect(v).toMatch(/^$|^[a-z_.]+$/);
  });

  it('says what a power action did to which guest on which server, by the names recorded then', () => {
    const e = {
      action: 'vm.power',
      targetType: 'vm',
      targetId: '541940d7-0000-4000-8000-000000000000:106',
      details: { action: 'stop', serverId: 'x', serverName: 'pve-a', vmid: 106, guestName: 'web-01' },
    };
    expect(actionText(e)).toBe('Stopped');
    expect(targetText(e)).toBe('web-01 (106) on pve-a');
    expect(targetText({ ...e, details: { vmid: 106 } })).toBe('guest 106');
  });

  it('names members, servers and tenants; falls back to a short id only without a recorded name', () => {
    expect(
      targetText({ targetType: 'user', targetId: 'u1', details: { email: 'ann@example.test', role: 'viewer' } }),
    ).toBe('ann@example.test');
    expect(targetText({ targetType: 'server', targetId: 's1', details: { name: 'pve-b' } })).toBe('server pve-b');
    expect(targetText({ targetType: 'api_token', targetId: '0123456789abcdef', details: null })).toBe(
      'api_token 01234567',
    );
    expect(targetText({ targetType: null, targetId: null, details: null })).toBe('–');
    expect(actionText({ action: 'member.role_changed', details: null })).toBe('Changed a member’s role');
    expect(actionText({ action: 'unknown.thing', details: null })).toBe('unknown.thing');
  });
});
