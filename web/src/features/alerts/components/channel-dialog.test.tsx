import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IntlProvider } from 'react-intl';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeChannel } from '@/testing/factories';
import type { Channel } from '../api/alerts';
import { ChannelDialog } from './channel-dialog';

const SECRET = 'whsec-0123456789abcdef';

const hook: Channel = makeChannel({ preset: 'json' });

function renderDialog(editing: Channel | null) {
  const onClose = vi.fn();
  render(
    <IntlProvider locale="en" messages={{}}>
      <QueryClientProvider client={new QueryClient()}>
        <ChannelDialog tenantId="t-1" editing={editing} onClose={onClose} />
      </QueryClientProvider>
    </IntlProvider>,
  );
  return { onClose, user: userEvent.setup() };
}

const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;
const sentBody = (fetch: ReturnType<typeof vi.fn>) => {
  const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
  return JSON.parse(String(init.body));
};

afterEach(() => vi.unstubAllGlobals());

describe('ChannelDialog', () => {
  it('keeps a stored secret out of sight and wants it replaced or removed when the URL changes', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify(hook), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const { user, onClose } = renderDialog(hook);
    expect(screen.getByText('A secret is stored')).toBeTruthy();
    expect(screen.queryByLabelText('New secret')).toBeNull();
    expect(button('Save').disabled).toBe(false);

    await user.type(screen.getByLabelText('New URL'), 'https://elsewhere.example/hook');
    expect(screen.getByText(/a stored secret never follows a new URL/)).toBeTruthy();
    expect(button('Save').disabled).toBe(true);

    await user.click(button('Replace'));
    expect(button('Save').disabled).toBe(true);
    await user.type(screen.getByLabelText('New secret'), 'short');
    expect(screen.getByText('A secret has at least 16 characters.')).toBeTruthy();
    await user.clear(screen.getByLabelText('New secret'));
    await user.type(screen.getByLabelText('New secret'), SECRET);
    expect(button('Save').disabled).toBe(false);
    await user.click(button('Save'));

    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/tenants/t-1/notification-channels/c1');
    expect(init.method).toBe('PATCH');
    expect(sentBody(fetch)).toMatchObject({ url: 'https://elsewhere.example/hook', secret: SECRET });
  });

  it('removes a stored secret on request, and can take it back', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify(hook), { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    const { user } = renderDialog(hook);
    await user.click(button('Remove'));
    expect(screen.getByText(/The stored secret will be removed/)).toBeTruthy();
    await user.click(button('Keep it'));
    expect(screen.getByText('A secret is stored')).toBeTruthy();
    await user.click(button('Remove'));
    await user.click(button('Save'));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledOnce());
    const body = sentBody(fetch);
    expect(body.secret).toBeNull();
    expect(body).not.toHaveProperty('url');
  });

  it('shows the server’s field errors beside the fields and its other refusals above them', async () => {
    const refusal = (code: string, message: string, details?: unknown) =>
      new Response(JSON.stringify({ error: { code, message, details }, requestId: 'r1' }), { status: 400 });
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(
        refusal('validation.failed', 'Invalid request', [{ path: ['to', 0], message: 'Invalid email address' }]),
      )
      .mockResolvedValueOnce(
        refusal('alerts.smtp_unconfigured', 'This server sends no mail: its operator has not set NEXUS_SMTP_URL'),
      );
    vi.stubGlobal('fetch', fetch);
    const { user, onClose } = renderDialog(null);
    await user.type(screen.getByLabelText('Name'), 'Ops');
    await user.type(screen.getByLabelText('Addresses'), 'ops@example.com');
    await user.click(button('Add channel'));
    expect(await screen.findByText('Invalid email address')).toBeTruthy();
    expect(sentBody(fetch)).toMatchObject({ type: 'email', name: 'Ops', to: ['ops@example.com'] });

    await user.click(button('Add channel'));
    expect(await screen.findByText(/has not set NEXUS_SMTP_URL/)).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
  });
});
