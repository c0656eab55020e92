// Plain semantic table with a horizontally scrolling wrapper for phones, and the pieces of a
// list page's action column.

import { Trash } from 'lucide-react';
import type { ComponentProps, ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { cm } from '@/components/messages';
import { cn } from '@/lib/utils';
import { Button } from './button';

export function Table({ className, ...props }: ComponentProps<'table'>) {
  return (
    <div className="relative w-full overflow-x-auto">
      <table className={cn('w-full caption-bottom text-sm', className)} {...props} />
    </div>
  );
}

export function TableHeader({ className, ...props }: ComponentProps<'thead'>) {
  return <thead className={cn('[&_tr]:border-b', className)} {...props} />;
}

export function TableBody({ className, ...props }: ComponentProps<'tbody'>) {
  return <tbody className={cn('[&_tr:last-child]:border-0', className)} {...props} />;
}

export function TableRow({ className, ...props }: ComponentProps<'tr'>) {
  return <tr className={cn('border-b transition-colors hover:bg-muted/40', className)} {...props} />;
}

export function TableHead({ className, ...props }: ComponentProps<'th'>) {
  return (
    <th
      className={cn(
        'h-10 whitespace-nowrap px-3 text-left align-middle text-xs font-medium text-muted-foreground',
        className,
      )}
      {...props}
    />
  );
}

export function TableCell({ className, ...props }: ComponentProps<'td'>) {
  return <td className={cn('px-3 py-2.5 align-middle', className)} {...props} />;
}

/** The header of the row-actions column: named for screen readers, blank on screen. */
export function ActionsHead({ className }: { className?: string }) {
  return (
    <TableHead className={className}>
      <span className="sr-only">{useIntl().formatMessage(cm.actions)}</span>
    </TableHead>
  );
}

/** A row's action buttons, at the end of the row. */
export function RowActions({ children }: { children: ReactNode }) {
  return <div className="flex justify-end gap-1">{children}</div>;
}

/** An icon-only row action (edit, delete); `label` names it with the row, e.g. "Delete pve-a". */
export function RowIconButton({
  label,
  onClick,
  disabled,
  children,
}: {
  label: string;
  onClick(): void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <Button variant="ghost" size="icon-sm" aria-label={label} disabled={disabled} onClick={onClick}>
      {children}
    </Button>
  );
}

/** The row action that deletes (or removes) the row's item, after its own confirmation. */
export function DeleteRowButton({ label, onClick, disabled }: { label: string; onClick(): void; disabled?: boolean }) {
  return (
    <RowIconButton label={label} onClick={onClick} disabled={disabled}>
      <Trash />
    </RowIconButton>
  );
}
