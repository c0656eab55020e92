// Inline banners: errors, warnings and notices inside a page.
import { cva, type VariantProps } from 'class-variance-authority';
import { CircleExclamationPoint, Info, TriangleExclamationPoint } from 'lucide-react';
import type { ReactNode } from 'react';
import { errorMessage, fieldErrors } from '@/lib/api-client';
import { cn } from '@/lib/utils';

const alertVariants = cva(
  'flex items-start gap-3 rounded-lg border px-4 py-3 text-sm [&>svg]:mt-0.5 [&>svg]:size-4 [&>svg]:shrink-0',
  {
    variants: {
      variant: {
        info: 'border-border bg-card',
        warning: 'border-warning/40 bg-warning/10 text-foreground [&>svg]:text-warning-text',
        destructive: 'border-destructive/40 bg-destructive/10 text-foreground [&>svg]:text-destructive-text',
      },
    },
    defaultVariants: { variant: 'info' },
  },
);

export function Alert({
  variant,
  title,
  children,
  action,
  className,
}: VariantProps<typeof alertVariants> & {
  title?: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  const Icon =
    variant === 'destructive' ? CircleExclamationPoint : variant === 'warning' ? TriangleExclamationPoint : Info;
  return (
    <div role={variant === 'destructive' ? 'alert' : 'status'} className={cn(alertVariants({ variant }), className)}>
      <Icon aria-hidden />
      <div className="min-w-0 flex-1">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? (
          <div className={cn(title ? 'mt-0.5 text-muted-foreground' : '', 'break-words')}>{children}</div>
        ) : null}
      </div>
      {action}
    </div>
  );
}

export function ErrorAlert({
  error,
  title = 'Something went wrong',
  className,
}: {
  error: unknown;
  title?: string;
  className?: string;
}) {
  return (
    <Alert variant="destructive" title={title} className={className}>
      {errorMessage(error)}
    </Alert>
  );
}

/** A failed submit's error, unless it names fields: then those fields show it beside themselves. */
export function FormError({ error, title }: { error: unknown; title?: string }) {
  if (!error || Object.keys(fieldErrors(error)).length > 0) return null;
  return <ErrorAlert error={error} title={title} />;
}
