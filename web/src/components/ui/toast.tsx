// Toasts: transient messages (action results, health alerts). A tiny external store so any code,
// including the realtime provider, can raise one without threading callbacks through props.
import { CircleCheck, CircleExclamationPoint, Info, TriangleExclamationPoint, X } from 'lucide-react';
import { type ReactNode, useSyncExternalStore } from 'react';
import { useIntl } from 'react-intl';
import { errorMessage } from '@/lib/api-client';
import { cn } from '@/lib/utils';
import { cm } from '../messages';

export type ToastVariant = 'info' | 'success' | 'warning' | 'error';
export interface ToastItem {
  id: number;
  title: string;
  description?: string | undefined;
  variant: ToastVariant;
}

let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export function dismissToast(id: number): void {
  items = items.filter((t) => t.id !== id);
  emit();
}

export function toast(input: {
  title: string;
  description?: string | undefined;
  variant?: ToastVariant;
  durationMs?: number;
}): number {
  const id = nextId++;
  items = [
    ...items.slice(-4),
    { id, title: input.title, description: input.description, variant: input.variant ?? 'info' },
  ];
  emit();
  const ms = input.durationMs ?? (input.variant === 'error' || input.variant === 'warning' ? 8000 : 4000);
  setTimeout(() => dismissToast(id), ms);
  return id;
}

/** A mutation's onError that toasts the failure under `title`, with the error's message. */
export function toastError(title: string): (error: unknown) => void {
  return (error) => toast({ variant: 'error', title, description: errorMessage(error) });
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

const icons: Record<ToastVariant, ReactNode> = {
  info: <Info className="size-4 text-muted-foreground" aria-hidden />,
  success: <CircleCheck className="size-4 text-success-text" aria-hidden />,
  warning: <TriangleExclamationPoint className="size-4 text-warning-text" aria-hidden />,
  error: <CircleExclamationPoint className="size-4 text-destructive-text" aria-hidden />,
};

export function Toaster() {
  const list = useSyncExternalStore(subscribe, () => items);
  const tr = useIntl().formatMessage;
  return (
    <section
      aria-label={tr(cm.notifications)}
      aria-live="polite"
      className="pointer-events-none fixed right-0 bottom-0 z-[100] flex w-full max-w-sm flex-col gap-2 p-4"
    >
      {list.map((t) => (
        <div
          key={t.id}
          role={t.variant === 'error' ? 'alert' : 'status'}
          className={cn(
            'pointer-events-auto flex items-start gap-3 rounded-lg border bg-popover p-3 text-sm text-popover-foreground shadow-lg',
            t.variant === 'error' && 'border-destructive/50',
            t.variant === 'warning' && 'border-warning/50',
          )}
        >
          <span className="mt-0.5">{icons[t.variant]}</span>
          <div className="min-w-0 flex-1">
            <p className="font-medium break-words">{t.title}</p>
            {t.description ? <p className="mt-0.5 break-words text-muted-foreground">{t.description}</p> : null}
          </div>
          <button
            type="button"
            className="rounded-sm opacity-60 hover:opacity-100"
            aria-label={tr(cm.dismiss)}
            onClick={() => dismissToast(t.id)}
          >
            <X className="size-4" />
          </button>
        </div>
      ))}
    </section>
  );
}
