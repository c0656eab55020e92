// What a request in the explorer came to: refused by Nexus's rules (said so plainly, not as a
// failed request), failed, or the answer as a JSON tree of text.
import { Lock } from 'lucide-react';
import { JsonView } from '@/components/json-view';
import { ErrorAlert } from '@/components/ui/alert';
import { translate } from '@/i18n/current-intl';
import { ApiError, errorMessage, isApiError } from '@/lib/api-client';
import { ex } from '../messages';

const REFUSALS = new Set(['explorer.endpoint_denied', 'explorer.not_allowed']);

/** A refusal by Nexus's explorer rules. */
export function Refusal({ title, message }: { title: string; message: string }) {
  return (
    <div
      role="alert"
      className="flex items-start gap-3 rounded-lg border border-warning/40 bg-warning/10 px-4 py-3 text-sm"
    >
      <Lock aria-hidden className="mt-0.5 size-4 shrink-0 text-warning-text" />
      <div className="min-w-0">
        <p className="font-medium">{title}</p>
        <p className="mt-0.5 break-words text-muted-foreground">{message}</p>
      </div>
    </div>
  );
}

export function refusalTitle(code: string): string {
  return translate(code === 'explorer.endpoint_denied' ? ex.neverRelays : ex.notForRole);
}

export function RequestError({ error }: { error: unknown }) {
  if (isApiError(error) && REFUSALS.has(error.code)) {
    return <Refusal title={refusalTitle(error.code)} message={errorMessage(error)} />;
  }
  if (isApiError(error, 'explorer.server_unverified')) {
    return <Refusal title={translate(ex.unverified)} message={errorMessage(error)} />;
  }
  return (
    <div className="grid gap-2">
      <ErrorAlert error={error} title={translate(ex.failed)} />
      {error instanceof ApiError && error.details !== undefined ? <JsonView value={error.details} /> : null}
    </div>
  );
}
