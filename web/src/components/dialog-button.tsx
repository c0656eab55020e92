// A button that adds something through a dialog ("New token", "Add member"): the open state
// lives here, the dialog is whatever `dialog` renders with it.
import { Plus } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { Button } from '@/components/ui/button';
import type { DialogOpenProps } from '@/components/ui/dialog';

export function DialogButton({
  label,
  dialog,
}: {
  label: MessageDescriptor;
  dialog(props: DialogOpenProps): ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const t = useIntl().formatMessage;
  return (
    <>
      <Button onClick={() => setOpen(true)}>
        <Plus /> {t(label)}
      </Button>
      {dialog({ open, onOpenChange: setOpen })}
    </>
  );
}
