// Light / dark / system switcher for the header.
import { Laptop, Moon, Sun } from 'lucide-react';
import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { type ThemeChoice, useTheme } from '@/lib/theme';
import { cm, themeIs } from './messages';
import { Button } from './ui/button';
import { RadioMenu } from './ui/dropdown-menu';

export function ThemeToggle() {
  const { choice, resolved, setChoice } = useTheme();
  const t = useIntl().formatMessage;
  const themes: { value: ThemeChoice; label: string; icon: ReactNode }[] = [
    { value: 'light', label: t(cm.themeLight), icon: <Sun /> },
    { value: 'dark', label: t(cm.themeDark), icon: <Moon /> },
    { value: 'system', label: t(cm.themeSystem), icon: <Laptop /> },
  ];
  return (
    <RadioMenu
      trigger={
        <Button
          variant="ghost"
          size="icon"
          aria-label={t(themeIs, { theme: themes.find((c) => c.value === choice)?.label ?? choice })}
        >
          {resolved === 'dark' ? <Moon /> : <Sun />}
        </Button>
      }
      label={t(cm.theme)}
      value={choice}
      choices={themes}
      onValueChange={setChoice}
    />
  );
}
