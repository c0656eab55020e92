// Small status and role labels.
import { cva, type VariantProps } from 'class-variance-authority';
import type { ComponentProps } from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { cn } from '@/lib/utils';

const badgeVariants = cva(
  'inline-flex items-center gap-1 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium [&_svg]:size-3',
  {
    variants: {
      variant: {
        default: 'border-transparent bg-brand/15 text-brand-text',
        secondary: 'border-transparent bg-muted text-muted-foreground',
        success: 'border-transparent bg-success/15 text-success-text',
        warning: 'border-transparent bg-warning/15 text-warning-text',
        destructive: 'border-transparent bg-destructive/15 text-destructive-text',
        outline: 'text-foreground',
      },
    },
    defaultVariants: { variant: 'default' },
  },
);

export function Badge({ className, variant, ...props }: ComponentProps<'span'> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ variant }), className)} {...props} />;
}

/** A word beside a row's name that says something about it ("Disabled", "Share link"), shown
 * only `when` it holds. */
export function Marker({
  when,
  label,
  variant = 'secondary',
}: {
  when: boolean;
  label: MessageDescriptor;
  variant?: VariantProps<typeof badgeVariants>['variant'];
}) {
  const t = useIntl().formatMessage;
  if (!when) return null;
  return (
    <Badge variant={variant} className="ml-2">
      {t(label)}
    </Badge>
  );
}
