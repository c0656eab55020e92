import type { Tenant } from '@common/schemas/tenants';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IntlProvider } from 'react-intl';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { qk } from '@/lib/query-keys';
import { makeServer } from '@/testing/factories';
import type { ProxmoxServer } from '../types';
import { ServerFormDialog } from './server-form-dialog';

const FP = Array.from({ length: 32 }, () => 'AB').join(':');
const TOKEN = 'nexus@pve!broker=1b2c3d4e-0000-4000-8000-123456789abc';

function renderForm(server: ProxmoxServer | null) {
  const qc = new QueryClient();
  qc.setQueryData(qk.tenantInfo('t-1'), { id: 't-1', can: { insecureTls: false } } as Tenant);
  const onOpenChange = vi.fn();
  render(
    <IntlProvider locale="en" messages={{}}>
      <QueryClientProvider client={qc}>
        <MemoryRouter initialEntries={['/tenants/t-1']}>
          <Routes>
            <Route
              path="/tenants/:tenantId"
              element={<ServerFormDialog tenantId="t-1" open onOpenChange={onOpenChange} server={server} />}
            />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </IntlProvider>,
  );
  return { onOpenChange, user: userEvent.setup() };
}

const submit = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

afterEach(() => vi.unstubAllGlobals());

describe('ServerFormDialog', () => {
  it('saves a new pinned server only with a valid token and a fingerprint the user trusts', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify(makeServer()), { status: 201 }));
    vi.stubGlobal('fetch', fetch);
    const { user, onOpenChange } = renderForm(null);

    await user.type(screen.getByLabelText('Name'), 'pve-a');
    await user.type(screen.getByLabelText('Host'), 'pve-a.lan');
    await user.type(screen.getByLabelText('API token'), 'root@pam');
    expect(screen.getByText(/The token must look like USER@REALM!TOKENID=SECRET/)).toBeTruthy();
    expect(submit('Add server').disabled).toBe(true);

    await user.clear(screen.getByLabelText('API token'));
    await user.type(screen.getByLabelText('API token'), TOKEN);
    expect(screen.queryByText(/The token must look like/)).toBeNull();
    expect(screen.getByText('Fetch and confirm the certificate fingerprint to save a pinned server.')).toBeTruthy();
    expect(submit('Add server').disabled).toBe(true);

    await user.type(screen.getByLabelText('SHA-256 fingerprint'), 'ab:cd');
    expect(screen.getByText('Expected 32 bytes of hex, AA:BB:…')).toBeTruthy();
    await user.clear(screen.getByLabelText('SHA-256 fingerprint'));
    await user.type(screen.getByLabelText('SHA-256 fingerprint'), FP.toLowerCase());
    expect(submit('Add server').disabled).toBe(true);

    await user.click(screen.getByRole('checkbox', { name: /I compared this fingerprint/ }));
    expect(submit('Add server').disabled).toBe(false);
    await user.click(submit('Add server'));

    await vi.waitFor(() => expect(onOpenChange).toHaveBeenCalledWith(false));
    expect(fetch).toHaveBeenCalledOnce();
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/tenants/t-1/servers');
    expect(JSON.parse(String(init.body))).toMatchObject({
      name: 'pve-a',
      host: 'pve-a.lan',
      port: 8006,
      apiToken: TOKEN,
      tlsMode: 'pinned',
      tlsFingerprint: FP,
    });
  });

  it('asks for the token again when an edit moves the server to another address', async () => {
    const { user } = renderForm(makeServer({ host: 'pve-a.lan', dialHost: 'pve-a.lan' }));
    const token = screen.getByLabelText('API token') as HTMLInputElement;
    expect(token.required).toBe(false);
    expect(screen.getByText('Leave empty to keep the stored token.')).toBeTruthy();
    expect(submit('Save server').disabled).toBe(false);

    await user.clear(screen.getByLabelText('Host'));
    await user.type(screen.getByLabelText('Host'), 'pve-b.lan');
    expect(token.required).toBe(true);
    expect(screen.getByText(/Required: the new address or certificate never gets the stored token/)).toBeTruthy();
  });
});
