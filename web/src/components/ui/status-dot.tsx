// Coloured dot for a server's or guest's state, always paired with text for screen readers.
import { cn } from '@/lib/utils';

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

const labels: Record<string, string> = {
  online: 'Online',
  degraded: 'Degraded',
  offline: 'Offline',
  auth_error: 'Auth error',
  tls_error: 'TLS error',
  refused: 'Refused by policy',
  unknown: 'Unknown',
  running: 'Running',
  stopped: 'Stopped',
  paused: 'Paused',
  suspended: 'Suspended',
};

export function statusLabel(status: string): string {
  return labels[status] ?? status;
}
