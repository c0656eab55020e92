// Unknown paths inside the app.

import { useIntl } from 'react-intl';
import { LinkButton } from '@/components/link-button';
import { EmptyState } from '@/components/ui/misc';
import { app } from '../messages';

export function Component() {
  const t = useIntl().formatMessage;
  return (
    <EmptyState
      title={t(app.notFound)}
      description={t(app.notFoundHint)}
      action={<LinkButton to="/" label={app.goHome} />}
    />
  );
}
