import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { makeGuest } from '@/testing/factories';
import { applyGuestFilters, type GuestFilters, useGuestFilters } from './use-guest-filters';

function renderFilters(url: string) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MemoryRouter initialEntries={[url]}>{children}</MemoryRouter>
  );
  return renderHook(() => ({ ...useGuestFilters(), search: useLocation().search }), { wrapper });
}

const NONE: GuestFilters = {
  q: '',
  server: '',
  status: '',
  tag: '',
  type: '',
  sort: 'name',
  dir: 'asc',
  view: 'table',
};

describe('useGuestFilters', () => {
  it('reads the filters from the URL, with defaults for what is missing or unknown', () => {
    expect(renderFilters('/t').result.current.filters).toEqual(NONE);
    const { result } = renderFilters(
      '/t?q=web&server=s2&status=running&tag=prod&type=lxc&sort=cpu&dir=desc&view=cards',
    );
    expect(result.current.filters).toEqual({
      q: 'web',
      server: 's2',
      status: 'running',
      tag: 'prod',
      type: 'lxc',
      sort: 'cpu',
      dir: 'desc',
      view: 'cards',
    });
    expect(renderFilters('/t?sort=evil&dir=up&view=list').result.current.filters).toEqual(NONE);
  });

  it('writes changes to the URL and leaves defaults and empty values out of it', () => {
    const { result } = renderFilters('/t?q=old&tag=prod');
    act(() => result.current.set({ q: 'db', sort: 'mem', dir: 'desc', view: 'cards' }));
    expect(new URLSearchParams(result.current.search).toString()).toBe('q=db&tag=prod&sort=mem&dir=desc&view=cards');
    expect(result.current.filters.sort).toBe('mem');

    act(() => result.current.set({ q: '', tag: '', sort: 'name', dir: 'asc', view: 'table' }));
    expect(result.current.search).toBe('');
    expect(result.current.filters).toEqual(NONE);
  });
});

describe('applyGuestFilters', () => {
  const guests = [
    makeGuest({ vmid: 100, name: 'web-10', status: 'running', cpu: 0.5, mem: 1, maxmem: 4, tags: ['prod'] }),
    makeGuest({ vmid: 101, name: 'web-9', status: 'stopped', cpu: 0, mem: 3, maxmem: 4, type: 'lxc' }),
    makeGuest({ vmid: 102, name: 'db', status: 'paused', cpu: null, mem: null, maxmem: null, node: 'pve2' }),
    makeGuest({ serverId: 'srv-2', vmid: 100, name: 'mail', status: 'running', cpu: 0.9, tags: ['prod', 'mx'] }),
  ];
  const names: Record<string, string> = { 'srv-1': 'alpha', 'srv-2': 'beta' };
  const serverName = (id: string) => names[id] ?? '?';
  const run = (f: Partial<GuestFilters>) =>
    applyGuestFilters(guests, { ...NONE, ...f }, serverName).map((g) => `${g.serverId}/${g.vmid}`);

  it('filters by server, status, type and tag together', () => {
    expect(run({ server: 'srv-2' })).toEqual(['srv-2/100']);
    expect(run({ status: 'running' })).toEqual(['srv-2/100', 'srv-1/100']);
    expect(run({ type: 'lxc' })).toEqual(['srv-1/101']);
    expect(run({ tag: 'prod', server: 'srv-1' })).toEqual(['srv-1/100']);
    expect(run({ tag: 'nope' })).toEqual([]);
  });

  it('searches name, ID, node, tags and server name, ignoring case and outer spaces', () => {
    expect(run({ q: '  WEB ' })).toEqual(['srv-1/101', 'srv-1/100']);
    expect(run({ q: '102' })).toEqual(['srv-1/102']);
    expect(run({ q: 'pve2' })).toEqual(['srv-1/102']);
    expect(run({ q: 'mx' })).toEqual(['srv-2/100']);
    expect(run({ q: 'beta' })).toEqual(['srv-2/100']);
  });

  it('sorts by each key in both directions; names compare numerically, ties go by ID', () => {
    expect(run({})).toEqual(['srv-1/102', 'srv-2/100', 'srv-1/101', 'srv-1/100']);
    expect(run({ sort: 'vmid' })).toEqual(['srv-1/100', 'srv-2/100', 'srv-1/101', 'srv-1/102']);
    expect(run({ sort: 'status' })).toEqual(['srv-1/100', 'srv-2/100', 'srv-1/102', 'srv-1/101']);
    expect(run({ sort: 'cpu', dir: 'desc' })).toEqual(['srv-2/100', 'srv-1/100', 'srv-1/101', 'srv-1/102']);
    expect(run({ sort: 'mem' })).toEqual(['srv-1/102', 'srv-1/100', 'srv-2/100', 'srv-1/101']);
    expect(run({ sort: 'server', dir: 'desc' })).toEqual(['srv-2/100', 'srv-1/100', 'srv-1/101', 'srv-1/102']);
  });

  it('leaves the given list as it was', () => {
    const before = guests.map((g) => g.vmid);
    run({ sort: 'vmid', dir: 'desc' });
    expect(guests.map((g) => g.vmid)).toEqual(before);
  });
});
