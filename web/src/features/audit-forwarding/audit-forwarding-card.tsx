// Audit forwarding (global admins): where every audit row also goes — a syslog server (RFC 5424
// over TCP or TLS) and/or a signed webhook — how far each has got, and a test.
import type { AuditForwarding } from '@common/schemas/alerts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useIntl } from 'react-intl';
import type { z } from 'zod';
import { TextField } from '@/components/text-field';
import { FormError } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { TitledCard } from '@/components/ui/card';
import { toast } from '@/components/ui/toast';
import { api } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { delivered, fm } from './messages';

type View = z.infer<typeof AuditForwarding>;
type Status = NonNullable<View['syslog']>['status'];
const KEY = ['admin', 'audit-forwarding'] as const;
const PATH = '/api/admin/audit-forwarding';

function StatusLine({ status }: { status: Status }) {
  const t = useIntl().formatMessage;
  return (
    <p className="text-sm text-muted-foreground">
      {status.lastError ? (
        <Badge variant="destructive">{t(fm.failing)}</Badge>
      ) : (
        <Badge variant="success">{t(fm.working)}</Badge>
      )}{' '}
      {t(delivered, {
        seq: status.lastSeq,
        at: status.lastSentAt ? formatDateTime(status.lastSentAt) : 'none',
        behind: status.behind,
      })}
      {status.lastError ? <span className="block text-destructive-text">{status.lastError}</span> : null}
    </p>
  );
}

export function AuditForwardingCard() {
  const qc = useQueryClient();
  const view = useQuery({ queryKey: KEY, queryFn: () => api<View>(PATH), refetchInterval: 10_000 });
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<View>(PATH, { method: 'PUT', body }),
    onSuccess: (data) => qc.setQueryData(KEY, data),
  });
  const test = useMutation({
    mutationFn: () =>
      api<Record<'syslog' | 'webhook', { ok: boolean; error: string | null } | null>>(`${PATH}/test`, {
        method: 'POST',
      }),
  });
  const [syslog, setSyslog] = useState('');
  const [webhook, setWebhook] = useState('');
  const [secret, setSecret] = useState('');
  const v = view.data;
  const t = useIntl().formatMessage;
  return (
    <TitledCard title={t(fm.title)} description={t(fm.description)}>
      <div className="grid gap-4">
        <FormError error={save.error} />
        <div className="grid gap-2">
          <h4 className="font-medium">{t(fm.syslog)}</h4>
          {v?.syslog ? (
            <>
              <p className="font-mono text-sm">{v.syslog.url}</p>
              <StatusLine status={v.syslog.status} />
              <Button variant="outline" size="sm" className="w-fit" onClick={() => save.mutate({ syslog: null })}>
                {t(fm.stopSyslog)}
              </Button>
            </>
          ) : (
            <form
              className="flex items-end gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                save.mutate({ syslog: { url: syslog } }, { onSuccess: () => setSyslog('') });
              }}
            >
              <TextField
                id="fw-syslog"
                label={t(fm.syslogServer)}
                hint={t(fm.syslogHint)}
                value={syslog}
                onValueChange={setSyslog}
                className="grow"
              />
              <Button type="submit" disabled={!syslog || save.isPending}>
                {t(fm.forward)}
              </Button>
            </form>
          )}
        </div>
        <div className="grid gap-2">
          <h4 className="font-medium">{t(fm.webhook)}</h4>
          {v?.webhook ? (
            <>
              <p className="font-mono text-sm">
                {v.webhook.url} {v.webhook.hasSecret ? <Badge variant="secondary">{t(fm.signed)}</Badge> : null}
              </p>
              <StatusLine status={v.webhook.status} />
              <Button variant="outline" size="sm" className="w-fit" onClick={() => save.mutate({ webhook: null })}>
                {t(fm.stopWebhook)}
              </Button>
            </>
          ) : (
            <form
              className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
              onSubmit={(e) => {
                e.preventDefault();
                save.mutate(
                  { webhook: { url: webhook, secret: secret || null } },
                  {
                    onSuccess: () => {
                      setWebhook('');
                      setSecret('');
                    },
                  },
                );
              }}
            >
              <TextField id="fw-webhook" label={t(fm.webhookUrl)} value={webhook} onValueChange={setWebhook} />
              <TextField
                id="fw-secret"
                label={t(fm.secret)}
                type="password"
                autoComplete="off"
                value={secret}
                onValueChange={setSecret}
              />
              <Button type="submit" disabled={!webhook || save.isPending}>
                {t(fm.forward)}
              </Button>
            </form>
          )}
        </div>
        {v?.syslog || v?.webhook ? (
          <Button
            variant="outline"
            className="w-fit"
            disabled={test.isPending}
            onClick={() =>
              test.mutate(undefined, {
                onSuccess: (r) => {
                  const failed = [r.syslog, r.webhook].find((x) => x && !x.ok);
                  toast(
                    failed
                      ? { variant: 'error', title: t(fm.testFailed), description: failed.error ?? '' }
                      : { variant: 'success', title: t(fm.testDelivered) },
                  );
                },
              })
            }
          >
            {t(fm.sendTest)}
          </Button>
        ) : null}
      </div>
    </TitledCard>
  );
}
