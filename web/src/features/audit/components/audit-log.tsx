// The audit trail: filters (time range, actor, action, result), cursor paging, CSV export of the
// same filter, and the hash-chain verification status for those allowed to run it.
import { ChevronLeft, ChevronRight, Download, Filter, ShieldCheck, ShieldX } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { Link } from 'react-router';
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
import { actionChoices, actionText, targetText } from '../describe-event';
import { am, exportAs, fields, firstProblem, hmacKey, pageNumber, verified } from '../messages';

function VerifyStatus() {
  const verify = useAuditVerify();
  const t = useIntl().formatMessage;
  return (
    <QueryView
      query={verify}
      pending={
        <span className="inline-flex items-center gap-2 text-sm text-muted-foreground">
          <Spinner /> {t(am.verifying)}
        </span>
      }
      errorTitle={t(am.verifyFailed)}
    >
      {(v) => <ChainState v={v} />}
    </QueryView>
  );
}

function ChainState({ v }: { v: AuditVerification }) {
  const t = useIntl().formatMessage;
  // Which key protects which events: unkeyed SHA-256 before keying, then HMAC keys by id.
  const keys = v.segments.length ? (
    <span className="block text-xs text-muted-foreground" data-testid="audit-chain-keys">
      {v.segments
        .map((s) => `#${s.fromSeq}–${s.toSeq}: ${s.keyId ? t(hmacKey, { keyId: s.keyId }) : t(am.legacy)}`)
        .join(' · ')}
    </span>
  ) : null;
  return v.ok ? (
    <Alert title={t(am.intact)} className="[&>svg]:text-success-text">
      <span className="inline-flex items-center gap-1">
        <ShieldCheck className="size-4 text-success-text" aria-hidden /> {t(verified, { count: v.checked })}
      </span>
      {keys}
    </Alert>
  ) : (
    <Alert variant="destructive" title={t(am.broken)}>
      <span className="inline-flex items-center gap-1">
        <ShieldX className="size-4" aria-hidden />
        {t(firstProblem, { seq: String(v.brokenAt?.seq ?? ''), reason: v.brokenAt?.reason ?? '' })}
      </span>
      {keys}
    </Alert>
  );
}

type Draft = Record<'from' | 'to' | 'actor' | 'action' | 'result', string>;

/** The free-text filters, in the order of the form; times are the browser's local time. */
const TEXT_FILTERS: { key: keyof Draft; label: MessageDescriptor; type?: string; placeholder?: MessageDescriptor }[] = [
  { key: 'from', label: am.from, type: 'datetime-local' },
  { key: 'to', label: am.to, type: 'datetime-local' },
  { key: 'actor', label: am.actor, placeholder: am.actorPlaceholder },
];

const RESULTS: { value: string; label: MessageDescriptor }[] = [
  { value: '', label: am.any },
  { value: 'success', label: am.success },
  { value: 'failure', label: am.failure },
  { value: 'denied', label: am.denied },
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
  const t = useIntl().formatMessage;
  const results: Choice<string>[] = RESULTS.map((r) => ({ value: r.value, label: t(r.label) }));
  const resultWord: Record<string, string> = Object.fromEntries(RESULTS.map((r) => [r.value, t(r.label)]));

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
          aria-label={t(am.filters)}
        >
          {TEXT_FILTERS.map((f) => (
            <TextField
              key={f.key}
              id={`audit-${f.key}`}
              label={t(f.label)}
              type={f.type}
              placeholder={f.placeholder ? t(f.placeholder) : undefined}
              value={draft[f.key]}
              onValueChange={(v) => setDraft({ ...draft, [f.key]: v })}
            />
          ))}
          <Field id="audit-action" label={t(am.action)}>
            <ChoiceSelect
              id="audit-action"
              value={draft.action}
              onValueChange={(action) => setDraft({ ...draft, action })}
              choices={actionChoices()}
            />
          </Field>
          <Field id="audit-result" label={t(am.result)}>
            <ChoiceSelect
              id="audit-result"
              value={draft.result}
              onValueChange={(result) => setDraft({ ...draft, result })}
              choices={results}
            />
          </Field>
          <div className="flex min-w-0 flex-wrap gap-2 sm:col-span-2 lg:col-span-1">
            <Button type="submit" className="min-w-24 flex-1">
              <Filter /> {t(am.filter)}
            </Button>
            <Button asChild variant="outline" className="flex-1 sm:flex-none">
              <a href={auditCsvUrl(tenantId, filters)} download aria-label={t(exportAs, { format: 'CSV' })}>
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
        empty={<EmptyState title={t(am.none)} description={t(am.noneHint)} />}
      >
        {(data) => (
          <Card>
            <ListTable
              columns={[
                '#',
                t(am.time),
                t(am.actor),
                t(am.action),
                t(am.target),
                t(am.result),
                { label: t(am.details), className: 'hidden lg:table-cell' },
              ]}
              items={data.events}
              rowKey={(e) => e.id}
            >
              {(e) => (
                <>
                  <TableCell className="text-xs text-muted-foreground tabular-nums">{e.seq}</TableCell>
                  <TableCell className="whitespace-nowrap">{formatDateTime(e.createdAt)}</TableCell>
                  <TableCell className="max-w-48">
                    <span className="block truncate">{e.actor ?? t(am.system)}</span>
                    {e.ip ? <span className="block text-xs text-muted-foreground">{e.ip}</span> : null}
                  </TableCell>
                  <TableCell className="min-w-36">
                    <span className="block">{actionText(e)}</span>
                    <code className="block text-xs text-muted-foreground">{e.action}</code>
                  </TableCell>
                  <TableCell className="max-w-56 text-sm break-words">
                    {targetText(e)}
                    <RecordingLink entry={e} />
                  </TableCell>
                  <TableCell>
                    <Badge variant={resultVariant(e.result)}>{resultWord[e.result] ?? e.result}</Badge>
                  </TableCell>
                  <TableCell className="hidden max-w-96 lg:table-cell">
                    {e.details ? (
                      <details className="text-xs text-muted-foreground">
                        <summary className="cursor-pointer select-none">
                          {t(fields, { count: Object.keys(e.details).length })}
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
              <span className="text-xs text-muted-foreground">{t(pageNumber, { page: cursors.length + 1 })}</span>
              <div className="flex gap-2">
                <Button
                  variant="outline"
                  size="sm"
                  disabled={cursors.length === 0}
                  onClick={() => setCursors(cursors.slice(0, -1))}
                >
                  <ChevronLeft /> {t(am.newer)}
                </Button>
                <Button
                  variant="outline"
                  size="sm"
                  disabled={!data.nextCursor || query.isFetching}
                  onClick={() => data.nextCursor && setCursors([...cursors, data.nextCursor])}
                >
                  {t(am.older)} <ChevronRight />
                </Button>
              </div>
            </div>
          </Card>
        )}
      </QueryView>
    </div>
  );
}

/** A console recorded: its row links to the player (which decides whether the reader may see it). */
function RecordingLink({ entry }: { entry: AuditEntry }) {
  const t = useIntl().formatMessage;
  const id = entry.details?.recordingId;
  if (typeof id !== 'string' || !entry.tenantId) return null;
  return (
    <Link
      to={`/tenants/${entry.tenantId}/recordings/${id}`}
      className="block text-xs text-brand-text hover:underline"
      data-testid="audit-recording-link"
    >
      {t(am.playRecording)}
    </Link>
  );
}
