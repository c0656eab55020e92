// Light / dark / system switcher for the header.
import { Laptop, Moon, Sun } from 'lucide-react';
import type { ReactNode } from 'react';
import { type ThemeChoice, useTheme } from '@/lib/theme';
import { Button } from './ui/button';
import { RadioMenu } from './ui/dropdown-menu';

const THEMES: { value: ThemeChoice; label: string; icon: ReactNode }[] = [
  { value: 'light', label: 'Light', icon: <Sun /> },
  { value: 'dark', label: 'Dark', icon: <Moon /> },
  { value: 'system', label: 'System', icon: <Laptop /> },
];

export function ThemeToggle() {
  const { choice, resolved, setChoice } = useTheme();
  return (
    <RadioMenu
      trigger={
        <Button variant="ghost" size="icon" aria-label={`Theme: ${choice}`}>
          {resolved === 'dark' ? <Moon /> : <Sun />}
        </Button>
      }
      label="Theme"
      value={choice}
      choices={THEMES}
      onValueChange={setChoice}
    />
  );
}
