// Paste into the guest: as clipboard (ClientCutText, for guests with a clipboard agent) or typed
// as keystrokes (for consoles, BIOS screens and guests without clipboard support).
import { ClipboardPaste } from 'lucide-react';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { Button } from '@/components/ui/button';
import { CodeTextarea } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover';
import { m } from '../messages';

export type PasteMode = 'clipboard' | 'type';

const MODES = [
  { value: 'clipboard', label: m.asClipboard },
  { value: 'type', label: m.asKeystrokes },
] as const;

export function PastePanel({
  disabled,
  mode,
  onModeChange,
  onPaste,
  remoteClipboard,
  open,
  onOpenChange,
}: {
  disabled: boolean;
  mode: PasteMode;
  onModeChange(m: PasteMode): void;
  onPaste(text: string, mode: PasteMode): void;
  remoteClipboard: string | null;
  open: boolean;
  onOpenChange(o: boolean): void;
}) {
  const [text, setText] = useState('');
  const t = useIntl().formatMessage;
  return (
    <Popover open={open} onOpenChange={onOpenChange}>
      <PopoverTrigger asChild>
        <Button variant="ghost" size="sm" disabled={disabled} aria-label={t(m.paste)} title={t(m.pasteTitle)}>
          <ClipboardPaste /> <span className="hidden md:inline">{t(m.paste)}</span>
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-96">
        <form
          className="grid gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (!text) return;
            onPaste(text, mode);
            setText('');
            onOpenChange(false);
          }}
        >
          <Field id="paste-text" label={t(m.textToSend)}>
            <CodeTextarea id="paste-text" rows={4} value={text} onValueChange={setText} autoFocus />
          </Field>
          <fieldset className="grid gap-1.5 text-sm">
            <legend className="mb-1 text-xs font-medium text-muted-foreground">{t(m.sendAs)}</legend>
            {MODES.map((choice) => (
              <label key={choice.value} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="paste-mode"
                  value={choice.value}
                  checked={mode === choice.value}
                  onChange={() => onModeChange(choice.value)}
                />
                {t(choice.label)}
              </label>
            ))}
          </fieldset>
          <Button type="submit" disabled={!text}>
            {t(m.sendToGuest)}
          </Button>
          {remoteClipboard ? (
            <div className="grid gap-1 border-t pt-2">
              <p className="text-xs font-medium text-muted-foreground">{t(m.guestClipboard)}</p>
              <pre
                className="max-h-24 overflow-auto rounded-md bg-muted p-2 text-xs break-all whitespace-pre-wrap"
                data-testid="guest-clipboard"
              >
                {remoteClipboard}
              </pre>
              <Button variant="outline" size="sm" onClick={() => void navigator.clipboard?.writeText(remoteClipboard)}>
                {t(m.copyToMine)}
              </Button>
            </div>
          ) : null}
        </form>
      </PopoverContent>
    </Popover>
  );
}
