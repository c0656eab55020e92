// The states around one TanStack Query result: pending, failed (with an optional "not on this
// server" view for a 404), empty, and the data. Pages write only what they show with the data.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorAlert } from '@/components/ui/alert';
import { Skeleton } from '@/components/ui/misc';
import { isApiError } from '@/lib/api-client';

export function QueryView<T>({
  query,
  pending = <Skeleton className="h-40" />,
  errorTitle,
  errorClassName,
  error,
  notFound,
  isEmpty,
  empty = null,
  children,
}: {
  query: UseQueryResult<T>;
  /** Shown while there is no answer yet (a skeleton by default). */
  pending?: ReactNode;
  errorTitle?: string;
  errorClassName?: string;
  /** Replaces the error alert, for places where an alert does not fit. */
  error?: (error: Error) => ReactNode;
  /** Shown instead of the error when the API answers 404. */
  notFound?: ReactNode;
  isEmpty?(data: T): boolean;
  empty?: ReactNode;
  children(data: T): ReactNode;
}) {
  if (query.isPending) return pending;
  // A failed refetch shows the error too, as the pages always did.
  if (query.isError) {
    if (notFound !== undefined && isApiError(query.error) && query.error.status === 404) return notFound;
    if (error) return error(query.error);
    return <ErrorAlert error={query.error} title={errorTitle} className={errorClassName} />;
  }
  if (isEmpty?.(query.data)) return empty;
  return children(query.data);
}
