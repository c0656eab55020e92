// Small presentational pieces: skeleton, spinner, separator, empty state, page header, meter.
import { LoaderCircle } from 'lucide-react';
import { type ComponentProps, type ReactNode, useEffect } from 'react';
import { translate } from '@/i18n/current-intl';
import { cn } from '@/lib/utils';
import { cm } from '../messages';

export function Skeleton({ className, ...props }: ComponentProps<'div'>) {
  return <div className={cn('animate-pulse rounded-md bg-muted', className)} {...props} />;
}

export function Spinner({ className, label }: { className?: string; label?: string }) {
  return (
    <span role="status" className="inline-flex items-center">
      <LoaderCircle className={cn('size-4 animate-spin text-muted-foreground', className)} aria-hidden />
      <span className="sr-only">{label ?? translate(cm.loading)}</span>
    </span>
  );
}

export function Separator({ className }: { className?: string }) {
  return <hr className={cn('border-border', className)} />;
}

export function EmptyState({
  icon,
  title,
  description,
  action,
  className,
}: {
  icon?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  return (
    <div
      className={cn(
        'flex flex-col items-center justify-center gap-2 rounded-xl border border-dashed p-10 text-center',
        className,
      )}
    >
      {icon ? <div className="text-muted-foreground [&_svg]:size-8">{icon}</div> : null}
      <p className="font-medium">{title}</p>
      {description ? <p className="max-w-md text-sm text-muted-foreground">{description}</p> : null}
      {action ? <div className="mt-2">{action}</div> : null}
    </div>
  );
}

export function PageHeader({
  title,
  description,
  actions,
  className,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  // The tab and history entry name the page (a title from Proxmox stays text: document.title is text).
  useEffect(() => {
    if (typeof title !== 'string') return;
    document.title = `${title} · Nexus`;
    return () => {
      document.title = 'Nexus';
    };
  }, [title]);
  return (
    <div className={cn('mb-6 flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between', className)}>
      <div className="min-w-0">
        <h1 className="truncate text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 text-sm text-muted-foreground">{description}</p> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}

/** A horizontal usage bar (CPU, memory, disk), coloured by how full it is. */
export function Meter({
  value,
  label,
  detail,
  hideLabel,
  className,
}: {
  value: number | null;
  label: string;
  detail?: string;
  /** In a table whose column header already names it. */
  hideLabel?: boolean;
  className?: string;
}) {
  const pct = value == null ? 0 : Math.round(value * 100);
  const colour = value == null ? 'bg-muted' : value > 0.9 ? 'bg-destructive' : value > 0.7 ? 'bg-warning' : 'bg-brand';
  return (
    <div className={cn('grid gap-1', className)}>
      <div className="flex items-baseline justify-between gap-2 text-xs">
        <span className={hideLabel ? 'sr-only' : 'text-muted-foreground'}>{label}</span>
        <span className="tabular-nums">{detail ?? (value == null ? '–' : `${pct}%`)}</span>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a native <meter> cannot be styled alike in every browser */}
      <div
        className="h-1.5 overflow-hidden rounded-full bg-muted"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value == null ? undefined : pct}
      >
        <div className={cn('h-full rounded-full transition-[width]', colour)} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
