// What a console's toolbar says about the session itself: view-only, and recorded.
import { Eye } from 'lucide-react';
import { defineMessage, useIntl } from 'react-intl';
import { Badge } from '@/components/ui/badge';
import { RecordedBadge } from '@/features/recordings/components/recorded-badge';

const viewOnlyLabel = defineMessage({ id: 'console.viewOnly', defaultMessage: 'View only' });

export function SessionBadges({ viewOnly, recorded }: { viewOnly: boolean; recorded: boolean }) {
  const t = useIntl().formatMessage;
  return (
    <>
      {viewOnly ? (
        <Badge variant="warning" data-testid="view-only-badge">
          <Eye /> {t(viewOnlyLabel)}
        </Badge>
      ) : null}
      <RecordedBadge recorded={recorded} />
    </>
  );
}
