// A dialog around one small form: title, description, the fields, a submit-failure banner and the
// submit button. Once the form has done its work a dialog may show a result in its place.
import type { ReactNode } from 'react';
import { FormattedMessage, type MessageDescriptor } from 'react-intl';
import { FormError } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter, DialogHeading } from '@/components/ui/dialog';

/** A form dialog's words: its title, the line under it, its submit button. */
export interface FormDialogText {
  title: MessageDescriptor;
  description: MessageDescriptor;
  submit: MessageDescriptor;
}

export function FormDialog({
  open,
  onOpenChange,
  text,
  title = text && <FormattedMessage {...text.title} />,
  description = text && <FormattedMessage {...text.description} />,
  submitLabel = text && <FormattedMessage {...text.submit} />,
  mutation,
  ready = true,
  onSubmit,
  result,
  children,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  /** The words, unless `title`, `description` or `submitLabel` say otherwise. */
  text?: FormDialogText;
  title?: ReactNode;
  description?: ReactNode;
  submitLabel?: ReactNode;
  /** What submitting runs: its error is shown (one that names fields is shown by those fields
   * instead), and submitting waits while it is pending. */
  mutation: { error: unknown; isPending: boolean };
  /** Whether the fields are complete enough to submit. */
  ready?: boolean;
  onSubmit(): void;
  /** Shown instead of the form once set (a link or a secret shown only once). */
  result?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeading title={title} description={description} />
        {result ?? (
          <form
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              onSubmit();
            }}
          >
            <FormError error={mutation.error} />
            {children}
            <DialogFooter>
              <Button type="submit" disabled={!ready || mutation.isPending}>
                {submitLabel}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
