// A link that looks like a button ("Manage tenants", "Go home"): an in-app route, its words a message.
import { type MessageDescriptor, useIntl } from 'react-intl';
import { Link } from 'react-router';
import { Button, type ButtonProps } from '@/components/ui/button';

export function LinkButton({
  to,
  label,
  variant = 'outline',
  size,
}: {
  to: string;
  label: MessageDescriptor;
  variant?: ButtonProps['variant'];
  size?: ButtonProps['size'];
}) {
  const t = useIntl().formatMessage;
  return (
    <Button asChild variant={variant} size={size}>
      <Link to={to}>{t(label)}</Link>
    </Button>
  );
}
