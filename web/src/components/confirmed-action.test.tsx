import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { defineMessages, IntlProvider } from 'react-intl';
import { describe, expect, it, vi } from 'vitest';
import { Toaster } from '@/components/ui/toast';
import { useConfirmedAction } from './confirmed-action';

const text = defineMessages({
  title: { id: 't.title', defaultMessage: 'Revoke the invitation for {email}?' },
  description: { id: 't.description', defaultMessage: 'Its link stops working.' },
  confirm: { id: 't.confirm', defaultMessage: 'Revoke' },
  done: { id: 't.done', defaultMessage: 'Revoked for {email}' },
  failed: { id: 't.failed', defaultMessage: 'Could not revoke for {email}' },
});

interface Row {
  id: string;
  email: string;
}

/** A stand-in for a TanStack mutation: pending until the test settles it. */
function useFakeMutation(outcome: 'ok' | 'fail', calls: string[]) {
  const [isPending, setPending] = useState(false);
  return {
    isPending,
    mutate(id: string, cb: { onSuccess(): void; onError(e: unknown): void }) {
      calls.push(id);
      setPending(true);
      setTimeout(() => {
        setPending(false);
        if (outcome === 'ok') cb.onSuccess();
        else cb.onError(new Error('nope'));
      }, 10);
    },
  };
}

function List({ outcome, calls }: { outcome: 'ok' | 'fail'; calls: string[] }) {
  const mutation = useFakeMutation(outcome, calls);
  const revoker = useConfirmedAction<Row>(text, mutation, 'id', 'email');
  const row = { id: 'inv-7', email: 'ana@example.test' };
  return (
    <>
      <button type="button" onClick={() => revoker.ask(row)}>
        ask
      </button>
      {revoker.dialog}
      <Toaster />
    </>
  );
}

function renderList(outcome: 'ok' | 'fail') {
  const calls: string[] = [];
  render(
    <IntlProvider
      locale="en"
      messages={{}}
      onError={(e) => {
        throw e;
      }}
    >
      <List outcome={outcome} calls={calls} />
    </IntlProvider>,
  );
  return { calls, user: userEvent.setup() };
}

describe('useConfirmedAction', () => {
  it('asks in the row’s words, runs the mutation with the row’s key, then closes and says so', async () => {
    const { calls, user } = renderList('ok');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'ask' }));
    expect(screen.getByRole('alertdialog')).toBeTruthy();
    expect(screen.getByText('Revoke the invitation for ana@example.test?')).toBeTruthy();
    expect(screen.getByText('Its link stops working.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Revoke' }));
    expect(calls).toEqual(['inv-7']);
    await vi.waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(screen.getByText('Revoked for ana@example.test')).toBeTruthy();
  });

  it('keeps the dialog open and names the row when the mutation fails', async () => {
    const { calls, user } = renderList('fail');
    await user.click(screen.getByRole('button', { name: 'ask' }));
    await user.click(screen.getByRole('button', { name: 'Revoke' }));
    await vi.waitFor(() => expect(screen.getByText('Could not revoke for ana@example.test')).toBeTruthy());
    expect(calls).toEqual(['inv-7']);
    expect(screen.getByRole('alertdialog')).toBeTruthy();
  });
});
