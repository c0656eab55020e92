// The audit trail: filters (time range, actor, action, result), cursor paging, CSV export of the
// same filter, and the hash-chain verification status for those allowed to run it.
import { ChevronLeft, ChevronRight, Download, Filter, ShieldCheck, ShieldX } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { ListTable } from '@/components/list-table';
import { QueryView } from '@/components/query-view';
import { TextField } from '@/components/text-field';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { type Choice, ChoiceSelect } from '@/components/ui/input';
import { Field } from '@/components/ui/label';
import { EmptyState, Skeleton, Spinner } from '@/components/ui/misc';
import { TableCell } from '@/components/ui/table';
import { formatDateTime } from '@/lib/format';
import { type AuditEntry, type AuditFilters, auditCsvUrl, useAudit } from '../api/get-audit';
import { type AuditVerification, useAuditVerify } from '../api/verify-audit';
import { ACTION_CHOICES, actionText, targetText } from '../describe-event';

function VerifyStatus() {
  const verify = useAuditVerify();
  return (
    <QueryView
      query={verify}
      pending={
        <span className="inline-flex items-center gap-2 text-sm text-muted-foreground">
          <Spinner /> Verifying the chain…
        </span>
      }
      errorTitle="Chain verification failed to run"
    >
      {(v) => <ChainState v={v} />}
    </QueryView>
  );
}

function ChainState({ v }: { v: AuditVerification }) {
  // Which key protects which events: unkeyed SHA-256 before keying, then HMAC keys by id.
  const keys = v.segments.length ? (
    <span className="block text-xs text-muted-foreground" data-testid="audit-chain-keys">
      {v.segments
        .map((s) => `#${s.fromSeq}–${s.toSeq}: ${s.keyId ? `HMAC key ${s.keyId}` : 'legacy SHA-256 (before keying)'}`)
        .join(' · ')}
    </span>
  ) : null;
  return v.ok ? (
    <Alert title="Hash chain intact" className="[&>svg]:text-success-text">
      <span className="inline-flex items-center gap-1">
        <ShieldCheck className="size-4 text-success-text" aria-hidden /> {v.checked.toLocaleString()} events verified;
        none edited or missing.
      </span>
      {keys}
    </Alert>
  ) : (
    <Alert variant="destructive" title="Hash chain broken">
      <span className="inline-flex items-center gap-1">
        <ShieldX className="size-4" aria-hidden />
        First problem at event #{v.brokenAt?.seq}: {v.brokenAt?.reason}
      </span>
      {keys}
    </Alert>
  );
}

type Draft = Record<'from' | 'to' | 'actor' | 'action' | 'result', string>;

/** The free-text filters, in the order of the form; times are the browser's local time. */
const TEXT_FILTERS: { key: keyof Draft; label: string; type?: string; placeholder?: string }[] = [
  { key: 'from', label: 'From', type: 'datetime-local' },
  { key: 'to', label: 'To', type: 'datetime-local' },
  { key: 'actor', label: 'Actor', placeholder: 'e-mail' },
];

const RESULTS: Choice<string>[] = [
  { value: '', label: 'Any' },
  { value: 'success', label: 'Success' },
  { value: 'failure', label: 'Failure' },
  { value: 'denied', label: 'Denied' },
];

function resultVariant(r: AuditEntry['result']) {
  return r === 'success' ? 'success' : r === 'denied' ? 'warning' : 'destructive';
}

function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function AuditLog({ tenantId, canVerify }: { tenantId: string | null; canVerify: boolean }) {
  const [draft, setDraft] = useState<Draft>({ from: '', to: '', actor: '', action: '', result: '' });
  const [filters, setFilters] = useState<AuditFilters>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const query = useAudit(tenantId, { ...filters, cursor });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setCursors([]);
    setFilters({
      from: toIso(draft.from),
      to: toIso(draft.to),
      actor: draft.actor.trim() || undefined,
      action: draft.action || undefined,
      result: draft.result || undefined,
    });
  };

  return (
    <div className="grid gap-4">
      {canVerify ? <VerifyStatus /> : null}
      <Card className="p-4">
        <form
          className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end"
          onSubmit={apply}
          aria-label="Audit filters"
        >
          {TEXT_FILTERS.map((f) => (
            <TextField
              key={f.key}
              id={`audit-${f.key}`}
              label={f.label}
              type={f.type}
              placeholder={f.placeholder}
              value={draft[f.key]}
              onValueChange={(v) => setDraft({ ...draft, [f.key]: v })}
            />
          ))}
          <Field id="audit-action" label="Action">
            <ChoiceSelect
              id="audit-action"
              value={draft.action}
              onValueChange={(action) => setDraft({ ...draft, action })}
              choices={ACTION_CHOICES}
            />
          </Field>
          <Field id="audit-result" label="Result">
            <ChoiceSelect
              id="audit-result"
              value={draft.result}
              onValueChange={(result) => setDraft({ ...draft, result })}
              choices={RESULTS}
            />
          </Field>
          <div className="flex min-w-0 flex-wrap gap-2 sm:col-span-2 lg:col-span-1">
            <Button type="submit" className="min-w-24 flex-1">
              <Filter /> Filter
            </Button>
            <Button asChild variant="outline" className="flex-1 sm:flex-none">
              <a href={auditCsvUrl(tenantId, filters)} download aria-label="Export CSV">
                <Download /> CSV
              </a>
            </Button>
          </div>
        </form>
      </Card>
      <QueryView
        query={query}
        pending={<Skeleton className="h-72" />}
        isEmpty={(d) => d.events.length === 0}
        empty={<EmptyState title="No audit events" description="Nothing matches these filters." />}
      >
        {(data) => (
          <Card>
            <ListTable
              columns={[
                '#',
                'Time',
                'Actor',
                'Action',
                'Target',
                'Result',
                { label: 'Details', className: 'hidden lg:table-cell' },
              ]}
              items={data.events}
              rowKey={(e) => e.id}
            >
              {(e) => (
                <>
                  <TableCell className="text-xs text-muted-foreground tabular-nums">{e.seq}</TableCell>
                  <TableCell className="whitespace-nowrap">{formatDateTime(e.createdAt)}</TableCell>
                  <TableCell className="max-w-48">
                    <span className="block truncate">{e.actor ?? 'system'}</span>
                    {e.ip ? <span className="block text-xs text-muted-foreground">{e.ip}</span> : null}
                  </TableCell>
                  <TableCell className="min-w-36">
                    <span className="block">{actionText(e)}</span>
                    <code className="block text-xs text-muted-foreground">{e.action}</code>
                  </TableCell>
                  <TableCell className="max-w-56 text-sm break-words">{targetText(e)}</TableCell>
                  <TableCell>
                    <Badge variant={resultVariant(e.result)}>{e.result}</Badge>
                  </TableCell>
                  <TableCell className="hidden max-w-96 lg:table-cell">
                    {e.details ? (
                      <details className="text-xs text-muted-foreground">
                        <summary className="cursor-pointer select-none">
                          {Object.keys(e.details).length} field{Object.keys(e.details).length === 1 ? '' : 's'}
                        </summary>
                        <pre className="mt-1 max-h-64 overflow-auto rounded bg-muted p-2 whitespace-pre-wrap break-all">
                          {JSON.stringify(e.details, null, 2)}
                        </pre>
                      </details>
                    ) : null}
                  </TableCell>
                </>
              )}
            </ListTable>
            <div className="flex items-center justify-between border-t p-3">
              <span className="text-xs text-muted-foreground">Page {cursors.length + 1}</span>
              <div className="flex gap-2">
                <Button
                  variant="outline"
                  size="sm"
                  disabled={cursors.length === 0}
                  onClick={() => setCursors(cursors.slice(0, -1))}
                >
                  <ChevronLeft /> Newer
                </Button>
                <Button
                  variant="outline"
                  size="sm"
                  disabled={!data.nextCursor || query.isFetching}
                  onClick={() => data.nextCursor && setCursors([...cursors, data.nextCursor])}
                >
                  Older <ChevronRight />
                </Button>
              </div>
            </div>
          </Card>
        )}
      </QueryView>
    </div>
  );
}
