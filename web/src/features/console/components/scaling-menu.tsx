// How the guest's screen fits the window: scaled to fit, 1:1 with scrolling, or the guest's
// resolution changed to the window (not for view-only consoles).
import { Scaling as ScalingIcon } from 'lucide-react';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
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
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Scale: ${value}`}>
          <ScalingIcon /> <span className="hidden md:inline">Scale</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>Scaling</DropdownMenuLabel>
        <DropdownMenuRadioGroup value={value} onValueChange={(v) => onChange(v as Scaling)}>
          <DropdownMenuRadioItem value="fit">Fit to window</DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="native">1:1 (scroll)</DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="remote" disabled={viewOnly}>
            Resize the guest’s screen
          </DropdownMenuRadioItem>
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
