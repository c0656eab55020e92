// An action on one row that asks first (delete, revoke, remove): `ask(row)` from the row's button
// opens the confirmation, `dialog` is rendered once; confirming runs the mutation, keeps the
// dialog open (busy) until it answers, then closes it and says how it went.
import { type ReactNode, useState } from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { toast, toastError } from '@/components/ui/toast';
import { deleteText } from './messages';

/** What confirming runs, given the row's key (a TanStack mutation). */
interface Mutation {
  isPending: boolean;
  mutate(key: string, callbacks: { onSuccess(): void; onError(e: unknown): void }): void;
}

/** The dialog's words, each formatted with the row's values: the question, what it means, the
 * button; the toasts when it worked and when it failed (none where absent). */
export interface ConfirmText {
  title: MessageDescriptor;
  description?: MessageDescriptor;
  confirm: MessageDescriptor;
  done?: MessageDescriptor;
  failed?: MessageDescriptor;
}

/** Asks `text.title` about a row, then runs `mutation` with the row's `key` (its id); the words
 * take the row's `named` fields as values (`{email}`, `{name}`). */
export function useConfirmedAction<T extends object>(
  text: ConfirmText,
  mutation: Mutation,
  key: keyof T & string,
  ...named: (keyof T & string)[]
): ConfirmFlow<T> {
  return useConfirmFlow(text, mutation, key, (row) => Object.fromEntries(named.map((n) => [n, String(row[n])])));
}

interface ConfirmFlow<T> {
  ask(target: T): void;
  dialog: ReactNode;
}

function useConfirmFlow<T extends object>(
  text: ConfirmText,
  mutation: Mutation,
  key: keyof T & string,
  values: (row: T) => Record<string, string>,
): ConfirmFlow<T> {
  const [target, setTarget] = useState<T | null>(null);
  const t = useIntl().formatMessage;
  // Words only for a row (a closed dialog has none to fill its placeholders with).
  const say = (m: MessageDescriptor | undefined) => (m && target !== null ? t(m, values(target)) : undefined);
  const dialog = (
    <ConfirmDialog
      open={target !== null}
      onOpenChange={(o) => !o && setTarget(null)}
      title={say(text.title) ?? ''}
      description={say(text.description)}
      confirmLabel={say(text.confirm)}
      pending={mutation.isPending}
      onConfirm={() => {
        if (target === null) return;
        const done = say(text.done);
        const failed = say(text.failed);
        mutation.mutate(String(target[key]), {
          onSuccess: () => {
            if (done) toast({ variant: 'success', title: done });
            setTarget(null);
          },
          onError: failed ? toastError(failed) : () => {},
        });
      }}
    />
  );
  return { ask: setTarget, dialog };
}

/** Deleting one row of a list: "Delete {name}?", the list's own warning and button, then
 * "{name} deleted". */
export function useDeleteDialog<T extends { id: string }>(
  text: Pick<ConfirmText, 'description' | 'confirm'>,
  remove: Mutation,
  /** The field the title and the toast call the row by. */
  name: keyof T & string,
): ConfirmFlow<T> {
  return useConfirmFlow<T>({ ...deleteText, ...text }, remove, 'id', (row) => ({ name: String(row[name]) }));
}
