// Side sheet: the navigation drawer on phones (a modal like the dialogs).
import { Dialog as DialogPrimitive } from 'radix-ui';
import type { ComponentProps } from 'react';
import { cn } from '@/lib/utils';
import { ModalContent } from './dialog';

export const Sheet = DialogPrimitive.Root;
export const SheetTrigger = DialogPrimitive.Trigger;
export const SheetClose = DialogPrimitive.Close;
export const SheetTitle = DialogPrimitive.Title;

export function SheetContent({ className, ...props }: ComponentProps<typeof DialogPrimitive.Content>) {
  return (
    <ModalContent
      overlayClassName="fixed inset-0 z-50 bg-black/50"
      closeClassName="absolute top-4 right-4 rounded-sm opacity-70 hover:opacity-100"
      closeLabel="Close navigation"
      aria-describedby={undefined}
      className={cn(
        'fixed inset-y-0 left-0 z-50 flex h-full w-72 max-w-[85vw] flex-col border-r bg-sidebar shadow-lg outline-none',
        className,
      )}
      {...props}
    />
  );
}
