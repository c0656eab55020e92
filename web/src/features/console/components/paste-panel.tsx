// Paste into the guest: as clipboard (ClientCutText, for guests with a clipboard agent) or typed
// as keystrokes (for consoles, BIOS screens and guests without clipboard support).
import { ClipboardPaste } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { CodeTextarea } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover';

export type PasteMode = 'clipboard' | 'type';

const MODES: { value: PasteMode; label: string }[] = [
  { value: 'clipboard', label: 'Clipboard (guest agent or VNC clipboard)' },
  { value: 'type', label: 'Keystrokes (typed into the guest)' },
];

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
  return (
    <Popover open={open} onOpenChange={onOpenChange}>
      <PopoverTrigger asChild>
        <Button variant="ghost" size="sm" disabled={disabled} aria-label="Paste" title="Paste (Ctrl+Shift+V)">
          <ClipboardPaste /> <span className="hidden md:inline">Paste</span>
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
          <Field id="paste-text" label="Text to send">
            <CodeTextarea id="paste-text" rows={4} value={text} onValueChange={setText} autoFocus />
          </Field>
          <fieldset className="grid gap-1.5 text-sm">
            <legend className="mb-1 text-xs font-medium text-muted-foreground">Send as</legend>
            {MODES.map((m) => (
              <label key={m.value} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="paste-mode"
                  value={m.value}
                  checked={mode === m.value}
                  onChange={() => onModeChange(m.value)}
                />
                {m.label}
              </label>
            ))}
          </fieldset>
          <Button type="submit" disabled={!text}>
            Send to guest
          </Button>
          {remoteClipboard ? (
            <div className="grid gap-1 border-t pt-2">
              <p className="text-xs font-medium text-muted-foreground">Guest clipboard</p>
              <pre
                className="max-h-24 overflow-auto rounded-md bg-muted p-2 text-xs break-all whitespace-pre-wrap"
                data-testid="guest-clipboard"
              >
                {remoteClipboard}
              </pre>
              <Button variant="outline" size="sm" onClick={() => void navigator.clipboard?.writeText(remoteClipboard)}>
                Copy to my clipboard
              </Button>
            </div>
          ) : null}
        </form>
      </PopoverContent>
    </Popover>
  );
}
