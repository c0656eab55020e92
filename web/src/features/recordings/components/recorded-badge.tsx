// Told on screen: this console is being recorded (the tenant's setting, said by the ticket).
import { CircleDot } from 'lucide-react';
import { useIntl } from 'react-intl';
import { Badge } from '@/components/ui/badge';
import { m } from '../messages';

export function RecordedBadge({ recorded }: { recorded: boolean }) {
  const t = useIntl().formatMessage;
  if (!recorded) return null;
  return (
    <Badge variant="destructive" data-testid="recorded-badge" title={t(m.recordedTitle)}>
      <CircleDot /> {t(m.recordedBadge)}
    </Badge>
  );
}
