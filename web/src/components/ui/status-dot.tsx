// Coloured dot for a server's or guest's state, always paired with text for screen readers.
import { translate } from '@/i18n/current-intl';
import { cn } from '@/lib/utils';
import { statusLabels } from '../messages';

const colours: Record<string, string> = {
  online: 'bg-success',
  running: 'bg-success',
  degraded: 'bg-warning',
  paused: 'bg-warning',
  suspended: 'bg-warning',
  offline: 'bg-destructive',
  auth_error: 'bg-destructive',
  tls_error: 'bg-destructive',
  refused: 'bg-destructive',
  stopped: 'bg-muted-foreground/60',
  unknown: 'bg-muted-foreground/40',
};

export function StatusDot({ status, pulse, className }: { status: string; pulse?: boolean; className?: string }) {
  return (
    <span
      aria-hidden
      className={cn(
        'inline-block size-2.5 shrink-0 rounded-full',
        colours[status] ?? 'bg-muted-foreground/40',
        pulse && 'animate-status-pulse',
        className,
      )}
    />
  );
}

/** A server's or guest's state in words, in the app's language (a state it does not know as is). */
export function statusLabel(status: string): string {
  const label = Object.hasOwn(statusLabels, status) ? statusLabels[status] : undefined;
  return label ? translate(label) : status;
}
