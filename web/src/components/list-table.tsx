// A list page's table: the column headers (and the unnamed actions column) over one row per
// item. Rows render their own cells; callers place it (in a Card, a scrolling box, …), or
// QueryTable shows a query's list in a card with the query's states.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ComponentProps, ReactNode } from 'react';
import { QueryView } from '@/components/query-view';
import { Card } from '@/components/ui/card';
import { ActionsHead, Table, TableBody, TableHead, TableHeader, TableRow } from '@/components/ui/table';

type RowAttributes = ComponentProps<'tr'> & { [data: `data-${string}`]: string | number | undefined };

export interface Column {
  label: ReactNode;
  className?: string;
}

interface ListTableProps<T> {
  /** A string is a plain header; null leaves a column out (one shown only to some). */
  columns: ReadonlyArray<string | Column | null | false>;
  /** An actions column at the end: true, or the class of its header. */
  actions?: boolean | string;
  items: readonly T[];
  rowKey(item: T): string;
  /** Attributes of an item's row (data-testid, data-*). */
  rowProps?(item: T): RowAttributes;
  /** The cells of one row. */
  children(item: T, index: number): ReactNode;
}

export function ListTable<T>({ columns, actions, items, rowKey, rowProps, children }: ListTableProps<T>) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          {columns.map((c, i) => {
            if (!c) return null;
            const col = typeof c === 'string' ? { label: c } : c;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for the table's life
              <TableHead key={i} className={col.className}>
                {col.label}
              </TableHead>
            );
          })}
          {actions ? <ActionsHead className={typeof actions === 'string' ? actions : undefined} /> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((item, i) => (
          <TableRow key={rowKey(item)} {...rowProps?.(item)}>
            {children(item, i)}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A query's list as a table in a card, with the query's pending, error and (when given) empty states. */
export function QueryTable<D, T>({
  query,
  rows,
  pending,
  empty,
  ...table
}: Omit<ListTableProps<T>, 'items'> & {
  query: UseQueryResult<D>;
  rows(data: D): readonly T[];
  pending?: ReactNode;
  /** Shown instead of an empty table. */
  empty?: ReactNode;
}) {
  return (
    <QueryView
      query={query}
      pending={pending}
      isEmpty={empty === undefined ? undefined : (d) => rows(d).length === 0}
      empty={empty}
    >
      {(data) => (
        <Card>
          <ListTable items={rows(data)} {...table} />
        </Card>
      )}
    </QueryView>
  );
}
