// One figure of a dashboard (servers, guests, consoles, …) with its icon and an optional detail.
import type { ReactNode } from 'react';
import { Card } from '@/components/ui/card';
import { cn } from '@/lib/utils';

export function StatCard({
  label,
  value,
  detail,
  icon,
  className,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  icon: ReactNode;
  className?: string;
}) {
  return (
    <Card className={cn('flex items-start justify-between gap-3 p-4', className)}>
      <div>
        <p className="text-xs font-medium text-muted-foreground">{label}</p>
        <p className="mt-1 text-2xl font-semibold tabular-nums">{value}</p>
        {detail ? <p className="mt-0.5 text-xs text-muted-foreground">{detail}</p> : null}
      </div>
      <span className="rounded-md bg-brand/10 p-2 text-brand-text [&_svg]:size-5">{icon}</span>
    </Card>
  );
}
