// One term and its value in a description list (<dl>): a server's health, a guest's configuration.
import type { ReactNode } from 'react';

export function Detail({ label, children, className }: { label: ReactNode; children: ReactNode; className?: string }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className={className}>{children}</dd>
    </>
  );
}
