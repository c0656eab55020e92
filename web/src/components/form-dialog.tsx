// A dialog around one small form: title, description, the fields, a submit-failure banner and the
// submit button. Once the form has done its work a dialog may show a result in its place.
import type { ReactNode } from 'react';
import { FormError } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter, DialogHeading } from '@/components/ui/dialog';

export function FormDialog({
  open,
  onOpenChange,
  title,
  description,
  error,
  onSubmit,
  submitLabel,
  submitDisabled,
  result,
  children,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: ReactNode;
  description: ReactNode;
  /** The submit's error; one that names fields is shown by those fields instead. */
  error: unknown;
  onSubmit(): void;
  submitLabel: string;
  submitDisabled: boolean;
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
            <FormError error={error} />
            {children}
            <DialogFooter>
              <Button type="submit" disabled={submitDisabled}>
                {submitLabel}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
