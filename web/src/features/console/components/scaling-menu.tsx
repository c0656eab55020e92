// How the guest's screen fits the window: scaled to fit, 1:1 with scrolling, or the guest's
// resolution changed to the window (not for view-only consoles).
import { Scaling as ScalingIcon } from 'lucide-react';
import { useIntl } from 'react-intl';
import { Button } from '@/components/ui/button';
import { RadioMenu } from '@/components/ui/dropdown-menu';
import type { Scaling } from '../hooks/use-vnc-session';
import { m, scaleLabel } from '../messages';

export function ScalingMenu({
  value,
  onChange,
  viewOnly,
}: {
  value: Scaling;
  onChange(s: Scaling): void;
  viewOnly: boolean;
}) {
  const t = useIntl().formatMessage;
  return (
    <RadioMenu
      trigger={
        <Button variant="ghost" size="sm" aria-label={t(scaleLabel, { value })}>
          <ScalingIcon /> <span className="hidden md:inline">{t(m.scale)}</span>
        </Button>
      }
      label={t(m.scaling)}
      value={value}
      choices={[
        { value: 'fit', label: t(m.fit) },
        { value: 'native', label: t(m.native) },
        { value: 'remote', label: t(m.remote), disabled: viewOnly },
      ]}
      onValueChange={onChange}
    />
  );
}
