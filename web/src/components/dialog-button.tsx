// A button that opens a dialog ("New token", "Add member"): the open state lives here, the
// dialog is whatever `dialog` renders with it.
import { type ReactNode, useState } from 'react';
import { Button } from '@/components/ui/button';
import type { DialogOpenProps } from '@/components/ui/dialog';

export function DialogButton({ children, dialog }: { children: ReactNode; dialog(props: DialogOpenProps): ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>{children}</Button>
      {dialog({ open, onOpenChange: setOpen })}
    </>
  );
}
