// The pieces of the settings form: a titled section, a number field, an on/off setting and a
// colour field with "use default".

import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Field, Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { tm } from '../messages';

export function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <TitledCard title={title} description={description} contentClassName="grid gap-4 sm:grid-cols-2">
      {children}
    </TitledCard>
  );
}

/** An on/off setting across the form's width, its consequence under the label. */
export function ToggleSetting({
  id,
  label,
  hint,
  checked,
  onChange,
  disabled,
}: {
  id: string;
  label: string;
  hint: ReactNode;
  checked: boolean;
  onChange(value: boolean): void;
  disabled?: boolean;
}) {
  return (
    <div className="flex items-start gap-3 sm:col-span-2">
      <Switch id={id} checked={checked} onCheckedChange={onChange} disabled={disabled} />
      <div>
        <Label htmlFor={id}>{label}</Label>
        <p className="text-xs text-muted-foreground">{hint}</p>
      </div>
    </div>
  );
}

export function NumberField({
  id,
  label,
  value,
  onChange,
  min,
  max,
  hint,
  error,
  disabled,
}: {
  id: string;
  label: string;
  value: number;
  onChange(n: number): void;
  min: number;
  max: number;
  hint?: string;
  error?: string | undefined;
  disabled?: boolean;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <Input
        id={id}
        type="number"
        disabled={disabled}
        min={min}
        max={max}
        value={Number.isFinite(value) ? value : ''}
        onChange={(e) => onChange(e.target.valueAsNumber)}
      />
    </Field>
  );
}

export const DEFAULT_COLOURS = { primaryColor: '#e57000', secondaryColor: '#1f2937', accentColor: '#f59e0b' } as const;

export function ColourField({
  id,
  label,
  value,
  onChange,
  error,
}: {
  id: keyof typeof DEFAULT_COLOURS;
  label: string;
  value: string | null;
  onChange(v: string | null): void;
  error?: string | undefined;
}) {
  const t = useIntl().formatMessage;
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={`brand-${id}`}>{label}</Label>
      <div className="flex items-center gap-2">
        <Input
          id={`brand-${id}`}
          type="color"
          value={value ?? DEFAULT_COLOURS[id]}
          onChange={(e) => onChange(e.target.value)}
        />
        <code className="text-xs text-muted-foreground">{value ?? t(tm.defaultColour)}</code>
        {value ? (
          <Button variant="ghost" size="sm" onClick={() => onChange(null)}>
            {t(tm.useDefault)}
          </Button>
        ) : null}
      </div>
      {error ? <p className="text-xs text-destructive-text">{error}</p> : null}
    </div>
  );
}
