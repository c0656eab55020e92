// The explorer's request line: method (GET only for those who may not write), the path under
// /api2/json/ and parameters as key=value lines.

import { Play } from 'lucide-react';
import type { FormEvent } from 'react';
import { useIntl } from 'react-intl';
import { Button } from '@/components/ui/button';
import { ChoiceSelect, CodeTextarea, Input } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { Spinner } from '@/components/ui/misc';
import type { PveMethod } from '../api/pve-request';
import { ex } from '../messages';

const METHODS: PveMethod[] = ['GET', 'POST', 'PUT', 'DELETE'];

/** key=value per line; blank lines and # comments are skipped. */
export function parseParams(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const i = t.indexOf('=');
    if (i > 0) out[t.slice(0, i).trim()] = t.slice(i + 1).trim();
  }
  return out;
}

export function RequestForm({
  method,
  onMethod,
  path,
  onPath,
  params,
  onParams,
  canWrite,
  pending,
  onSubmit,
}: {
  method: PveMethod;
  onMethod(m: PveMethod): void;
  path: string;
  onPath(p: string): void;
  params: string;
  onParams(text: string): void;
  canWrite: boolean;
  pending: boolean;
  onSubmit(): void;
}) {
  const t = useIntl().formatMessage;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className="grid gap-3" onSubmit={submit} aria-label={t(ex.request)}>
      <div className="flex flex-wrap items-end gap-2">
        <Field id="ex-method" label={t(ex.method)}>
          <ChoiceSelect
            id="ex-method"
            className="w-28"
            value={method}
            onValueChange={onMethod}
            choices={(canWrite ? METHODS : METHODS.slice(0, 1)).map((m) => ({ value: m, label: m }))}
          />
        </Field>
        <Field id="ex-path" label={t(ex.path)} className="min-w-48 flex-1">
          <div className="flex items-center rounded-md border border-input bg-card pl-3 text-sm">
            <span className="text-muted-foreground">/api2/json/</span>
            <Input
              id="ex-path"
              className="border-0 pl-0.5 shadow-none"
              value={path}
              onChange={(e) => onPath(e.target.value.replace(/^\/+/, ''))}
              spellCheck={false}
            />
          </div>
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? <Spinner /> : <Play />} {t(ex.send)}
        </Button>
      </div>
      <Field id="ex-params" label={t(ex.params)}>
        <CodeTextarea id="ex-params" rows={3} value={params} onValueChange={onParams} placeholder="type=vm" />
      </Field>
    </form>
  );
}
