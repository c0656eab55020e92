// How the guest's screen fits the window: scaled to fit, 1:1 with scrolling, or the guest's
// resolution changed to the window (not for view-only consoles).
import { Scaling as ScalingIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { RadioMenu } from '@/components/ui/dropdown-menu';
import type { Scaling } from '../hooks/use-vnc-session';

export function ScalingMenu({
  value,
  onChange,
  viewOnly,
}: {
  value: Scaling;
  onChange(s: Scaling): void;
  viewOnly: boolean;
}) {
  return (
    <RadioMenu
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Scale: ${value}`}>
          <ScalingIcon /> <span className="hidden md:inline">Scale</span>
        </Button>
      }
      label="Scaling"
      value={value}
      choices={[
        { value: 'fit', label: 'Fit to window' },
        { value: 'native', label: '1:1 (scroll)' },
        { value: 'remote', label: 'Resize the guest’s screen', disabled: viewOnly },
      ]}
      onValueChange={onChange}
    />
  );
}
