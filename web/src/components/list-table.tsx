// A list page's table: the column headers (and the unnamed actions column) over one row per
// item. Rows render their own cells; callers place it (in a Card, a scrolling box, …).
import type { ComponentProps, ReactNode } from 'react';
import { ActionsHead, Table, TableBody, TableHead, TableHeader, TableRow } from '@/components/ui/table';

type RowAttributes = ComponentProps<'tr'> & { [data: `data-${string}`]: string | number | undefined };

export interface Column {
  label: ReactNode;
  className?: string;
}

export function ListTable<T>({
  columns,
  actions,
  items,
  rowKey,
  rowProps,
  children,
}: {
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
}) {
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
