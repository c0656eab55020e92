import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { QueryView } from './query-view';

type Props = Omit<Parameters<typeof QueryView<string[]>>[0], 'query' | 'children'>;

/** A query whose answer the test settles: resolve(data) or reject(error). */
function controlled() {
  let settle: { resolve(v: string[]): void; reject(e: unknown): void } | undefined;
  const fn = () =>
    new Promise<string[]>((resolve, reject) => {
      settle = { resolve, reject };
    });
  return {
    fn,
    resolve: (v: string[]) => settle?.resolve(v),
    reject: (e: unknown) => settle?.reject(e),
  };
}

let client: QueryClient;
afterEach(() => client.clear());

function View({ fn, ...props }: Props & { fn(): Promise<string[]> }) {
  const query = useQuery({ queryKey: ['items'], queryFn: fn, retry: false });
  return (
    <QueryView query={query} {...props}>
      {(items) => (
        <ul>
          {items.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      )}
    </QueryView>
  );
}

function show(ui: ReactNode) {
  client = new QueryClient();
  return render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
}

describe('QueryView', () => {
  it('shows the pending view until the data arrives, then renders the data', async () => {
    const q = controlled();
    show(<View fn={q.fn} pending={<p>loading…</p>} />);
    expect(screen.getByText('loading…')).toBeTruthy();
    q.resolve(['alpha', 'beta']);
    expect((await screen.findAllByRole('listitem')).map((li) => li.textContent)).toEqual(['alpha', 'beta']);
    expect(screen.queryByText('loading…')).toBeNull();
  });

  it('shows the empty view when the data is empty by the page’s own test', async () => {
    const q = controlled();
    show(<View fn={q.fn} isEmpty={(d) => d.length === 0} empty={<p>No items yet</p>} />);
    q.resolve([]);
    expect(await screen.findByText('No items yet')).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('shows a failure as an alert with the error’s message and the given title', async () => {
    const q = controlled();
    show(<View fn={q.fn} errorTitle="Could not load items" empty={<p>No items yet</p>} />);
    q.reject(new ApiError(500, 'internal', 'The database is away'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not load items');
    expect(alert.textContent).toContain('The database is away');
    expect(screen.queryByText('No items yet')).toBeNull();
  });

  it('shows the not-found view for a 404 only', async () => {
    const missing = controlled();
    const { unmount } = show(<View fn={missing.fn} notFound={<p>Not on this server</p>} />);
    missing.reject(new ApiError(404, 'not_found', 'No such route'));
    expect(await screen.findByText('Not on this server')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    unmount();

    const forbidden = controlled();
    show(<View fn={forbidden.fn} notFound={<p>Not on this server</p>} />);
    forbidden.reject(new ApiError(403, 'forbidden', 'Not yours'));
    expect((await screen.findByRole('alert')).textContent).toContain('Not yours');
    expect(screen.queryByText('Not on this server')).toBeNull();
  });

  it('lets a page draw the error itself', async () => {
    const q = controlled();
    show(<View fn={q.fn} error={(e) => <p>failed: {e.message}</p>} />);
    q.reject(new Error('socket hang up'));
    expect(await screen.findByText('failed: socket hang up')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
