// Text input, textarea and native select sharing one look.
import { Search } from 'lucide-react';
import type { ComponentProps, ReactNode } from 'react';
import { cn } from '@/lib/utils';

const field =
  'w-full min-w-0 rounded-md border border-input bg-card px-3 text-sm shadow-xs transition-colors placeholder:text-muted-foreground focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-ring disabled:cursor-not-allowed disabled:opacity-50 aria-invalid:border-destructive';

export function Input({ className, type = 'text', ...props }: ComponentProps<'input'>) {
  return <input type={type} className={cn(field, 'h-9 py-1', type === 'color' && 'w-14 p-1', className)} {...props} />;
}

export function Textarea({ className, ...props }: ComponentProps<'textarea'>) {
  return <textarea className={cn(field, 'min-h-20 py-2', className)} {...props} />;
}

/** A monospaced text area for code-like text (PEM, CSV, parameters, address lists). */
export function CodeTextarea({
  className,
  onValueChange,
  ...props
}: Omit<ComponentProps<'textarea'>, 'onChange' | 'value'> & { value: string; onValueChange: (value: string) => void }) {
  return (
    <Textarea
      className={cn('font-mono text-xs', className)}
      spellCheck={false}
      onChange={(e) => onValueChange(e.target.value)}
      {...props}
    />
  );
}

/** A styled native select: keyboard and screen-reader behaviour for free, and trivial to drive in tests. */
export function NativeSelect({ className, ...props }: ComponentProps<'select'>) {
  return <select className={cn(field, 'h-9 py-1 pr-8', className)} {...props} />;
}

/** One choice of a ChoiceSelect or a RadioMenu: its value and what it shows. */
export interface Choice<T extends string> {
  value: T;
  label: ReactNode;
  disabled?: boolean;
}

/** A native select over a fixed list of choices, typed by their values. */
export function ChoiceSelect<T extends string>({
  choices,
  onValueChange,
  ...props
}: Omit<ComponentProps<'select'>, 'value' | 'onChange'> & {
  value: T;
  choices: readonly Choice<T>[];
  onValueChange(value: T): void;
}) {
  return (
    <NativeSelect {...props} onChange={(e) => onValueChange(e.target.value as T)}>
      {choices.map((c) => (
        <option key={c.value} value={c.value} disabled={c.disabled}>
          {c.label}
        </option>
      ))}
    </NativeSelect>
  );
}

/** A search box with a magnifier inside it; `className` places the box (width, margins). */
export function SearchInput({ className, ...props }: Omit<ComponentProps<'input'>, 'type'>) {
  return (
    <div className={cn('relative', className)}>
      <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted-foreground" aria-hidden />
      <Input type="search" className="pl-8" {...props} />
    </div>
  );
}
