// Confirms deleting one row of a list, then toasts the outcome: the list pages' delete flow.
import { type ReactNode, useState } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toast, toastError } from '@/components/ui/toast';

interface DeleteMutation {
  isPending: boolean;
  mutate(id: string, callbacks: { onSuccess(): void; onError(e: unknown): void }): void;
}

export function DeleteDialog<T extends { id: string }>({
  target,
  name,
  onClose,
  description,
  confirmLabel,
  remove,
}: {
  /** What to delete; null while the dialog is closed. */
  target: T | null;
  /** How the title and the toast call it. */
  name(t: T): string;
  onClose(): void;
  description: string;
  confirmLabel: string;
  remove: DeleteMutation;
}) {
  return (
    <ConfirmDialog
      open={target !== null}
      onOpenChange={(o) => !o && onClose()}
      title={`Delete ${target ? name(target) : ''}?`}
      description={description}
      confirmLabel={confirmLabel}
      pending={remove.isPending}
      onConfirm={() =>
        target &&
        remove.mutate(target.id, {
          onSuccess: () => {
            toast({ variant: 'success', title: `Deleted ${name(target)}` });
            onClose();
          },
          onError: toastError('Delete failed'),
        })
      }
    />
  );
}

/** The delete flow of a list: `ask(row)` from the row's button, `dialog` rendered once. */
export function useDeleteDialog<T extends { id: string }>(
  props: Omit<Parameters<typeof DeleteDialog<T>>[0], 'target' | 'onClose'>,
): { ask(target: T): void; dialog: ReactNode } {
  const [target, setTarget] = useState<T | null>(null);
  return { ask: setTarget, dialog: <DeleteDialog target={target} onClose={() => setTarget(null)} {...props} /> };
}
