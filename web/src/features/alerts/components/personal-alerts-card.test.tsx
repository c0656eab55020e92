import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IntlProvider } from 'react-intl';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PersonalAlertsCard } from './personal-alerts-card';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

afterEach(() => vi.unstubAllGlobals());

describe('PersonalAlertsCard', () => {
  it('saves a toggle, and says so when the server sends no mail', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(json({ guestPower: false, signIn: false }))
      .mockResolvedValueOnce(json({ guestPower: false, signIn: true }))
      .mockResolvedValueOnce(
        json(
          {
            error: {
              code: 'alerts.smtp_unconfigured',
              message: 'This server sends no mail: its operator has not set NEXUS_SMTP_URL',
            },
            requestId: 'r1',
          },
          400,
        ),
      );
    vi.stubGlobal('fetch', fetch);
    render(
      <IntlProvider locale="en" messages={{}}>
        <QueryClientProvider client={new QueryClient()}>
          <PersonalAlertsCard />
        </QueryClientProvider>
      </IntlProvider>,
    );
    const user = userEvent.setup();
    const signIn = screen.getByRole('switch', { name: 'Mail me when my account signs in from a new device' });
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));

    await user.click(signIn);
    await vi.waitFor(() => expect(signIn.getAttribute('aria-checked')).toBe('true'));
    const [url, init] = fetch.mock.calls[1] as [string, RequestInit];
    expect(url).toBe('/api/account/alerts');
    expect(init.method).toBe('PUT');
    expect(JSON.parse(String(init.body))).toEqual({ signIn: true });

    await user.click(screen.getByRole('switch', { name: 'Mail me when someone else powers a guest I can see' }));
    expect(await screen.findByText(/has not set NEXUS_SMTP_URL/)).toBeTruthy();
    expect(
      screen
        .getByRole('switch', { name: 'Mail me when someone else powers a guest I can see' })
        .getAttribute('aria-checked'),
    ).toBe('false');
  });
});
