// Add or edit a server. Pinned TLS follows trust on first use: probe the host, show the
// certificate's fingerprint, and store it only once the user confirms it is the right one. The
// rules (what is required, when it may be saved, the body sent) are in ../server-form-state.ts.
import { type FormEvent, useState } from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { TextField } from '@/components/text-field';
import { Alert, FormError } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter, DialogHeading } from '@/components/ui/dialog';
import { type Choice, ChoiceSelect, CodeTextarea } from '@/components/ui/input';
import { Field, Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { toast } from '@/components/ui/toast';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { fieldErrors, isApiError } from '@/lib/api-client';
import { useCreateServer } from '../api/create-server';
import { useProbeServer } from '../api/probe-server';
import { useUpdateServer } from '../api/update-server';
import { addedName, editName, m, saved, tokenFormat, tokenInvalid, tokenUnchangedId } from '../messages';
import {
  checkServerForm,
  initialServerForm,
  probeTarget,
  type ServerDefaults,
  type ServerFormState,
  serverInput,
  serverPatch,
} from '../server-form-state';
import type { ProbeResult, ProxmoxServer, TlsMode } from '../types';
import { PinnedCertificate } from './pinned-certificate';

const TLS_MODES: Array<{ value: TlsMode; label: MessageDescriptor }> = [
  { value: 'pinned', label: m.tlsModePinned },
  { value: 'ca', label: m.tlsModeCa },
  { value: 'insecure', label: m.tlsModeInsecure },
];

/** Examples of what goes in a field: formats and names, the same in every language. */
const EXAMPLE = {
  name: 'pve-a',
  host: 'pve.example.lan',
  pem: '-----BEGIN CERTIFICATE-----',
  tailscaleHostname: 'pve-a.tailnet.ts.net',
  tokenFormat: 'USER@REALM!TOKENID=SECRET',
  token: 'nexus@pve!broker=1b2c…',
  /** As the API's own complaint says it (API_TOKEN_HINT). */
  tokenInFull: 'nexus@pve!broker=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
};

interface FormProps {
  tenantId: string;
  onOpenChange(o: boolean): void;
  /** null: add a new server. */
  server: ProxmoxServer | null;
  defaults?: ServerDefaults | undefined;
}

/** The dialog mounts the form only while open, so every opening starts from a clean state. */
export function ServerFormDialog({ open, ...props }: FormProps & { open: boolean }) {
  return (
    <Dialog open={open} onOpenChange={props.onOpenChange}>
      <DialogContent wide>{open ? <ServerForm {...props} /> : null}</DialogContent>
    </Dialog>
  );
}

function ServerForm({ tenantId, onOpenChange, server, defaults }: FormProps) {
  // Only tenant admins may turn verification off; a server already insecure keeps showing it.
  const mayChooseInsecure = useCurrentTenant().can.insecureTls;
  const mayInsecure = mayChooseInsecure || server?.tlsMode === 'insecure';
  const [f, setF] = useState<ServerFormState>(() => initialServerForm(server, defaults, mayChooseInsecure));
  const [probe, setProbe] = useState<ProbeResult | null>(null);
  const [trusted, setTrusted] = useState(false);
  const probeMutation = useProbeServer(tenantId);
  const create = useCreateServer(tenantId);
  const update = useUpdateServer(tenantId);
  const saving = create.isPending || update.isPending;
  const saveError = create.error ?? update.error;
  const errs = fieldErrors(saveError);
  const t = useIntl().formatMessage;
  const tlsModes: Choice<TlsMode>[] = TLS_MODES.filter((c) => mayInsecure || c.value !== 'insecure').map((c) => ({
    value: c.value,
    label: t(c.label),
  }));

  const set = <K extends keyof ServerFormState>(k: K, v: ServerFormState[K]) => setF((prev) => ({ ...prev, [k]: v }));
  // The stored token never follows a new address or a new trusted certificate (the server refuses
  // such an edit without the token), so the form asks for it up front.
  const check = checkServerForm(f, server, trusted);

  const runProbe = () => {
    setTrusted(false);
    probeMutation.mutate(probeTarget(f), {
      onSuccess: (r) => {
        setProbe(r);
        set('tlsFingerprint', r.fingerprint);
      },
    });
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const done = (s: ProxmoxServer) => {
      toast({ variant: 'success', title: t(server ? saved : addedName, { name: s.name }) });
      onOpenChange(false);
    };
    if (server) update.mutate({ serverId: server.id, body: serverPatch(f) }, { onSuccess: done });
    // A new server is checked (token and pin) before it is saved; "Save anyway" skips the check.
    else {
      const saveAnyway = (e.nativeEvent as SubmitEvent).submitter?.dataset.saveAnyway === 'true';
      create.mutate({ ...serverInput(f), verify: !saveAnyway }, { onSuccess: done });
    }
  };
  const checkFailed = isApiError(create.error, 'server.check_failed') ? create.error : null;
  const diagnosis = (checkFailed?.details as { diagnosis?: string[] } | undefined)?.diagnosis ?? [];

  return (
    <>
      <DialogHeading
        title={server ? t(editName, { name: server.name }) : t(m.addTitle)}
        description={t(server ? m.editDescription : m.addDescription)}
      />
      <form className="grid gap-4" onSubmit={onSubmit} aria-label={t(m.formLabel)}>
        {checkFailed ? (
          <div data-testid="server-check-failed">
            <Alert variant="destructive" title={t(m.checkFailed)}>
              {diagnosis.length > 0 ? diagnosis.join(' ') : checkFailed.message}
              <span className="mt-1 block">{t(m.saveAnywayHint)}</span>
            </Alert>
          </div>
        ) : (
          <FormError error={saveError} title={t(m.notSaved)} />
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            id="srv-name"
            label={t(m.name)}
            error={errs.name}
            required
            value={f.name}
            onValueChange={(v) => set('name', v)}
            placeholder={EXAMPLE.name}
          />
          <div className="grid grid-cols-[1fr_6rem] gap-2">
            <TextField
              id="srv-host"
              label={t(m.host)}
              error={errs.host}
              required
              value={f.host}
              onValueChange={(v) => set('host', v)}
              placeholder={EXAMPLE.host}
            />
            <TextField
              id="srv-port"
              label={t(m.port)}
              error={errs.port}
              type="number"
              min={1}
              max={65535}
              value={f.port}
              onValueChange={(v) => set('port', v)}
            />
          </div>
        </div>
        <TextField
          id="srv-token"
          label={t(m.apiToken)}
          hint={
            check.tokenNeeded
              ? t(m.tokenNeeded)
              : server
                ? t(m.tokenKeep)
                : t(tokenFormat, { format: EXAMPLE.tokenFormat, example: EXAMPLE.token })
          }
          error={
            errs.apiToken ??
            (check.tokenInvalid
              ? t(tokenInvalid, { format: EXAMPLE.tokenFormat, example: EXAMPLE.tokenInFull })
              : undefined)
          }
          type="password"
          autoComplete="off"
          spellCheck={false}
          required={!server || check.tokenNeeded}
          value={f.apiToken}
          onValueChange={(v) => set('apiToken', v)}
          placeholder={
            server ? (server.tokenId ? t(tokenUnchangedId, { tokenId: server.tokenId }) : t(m.tokenUnchanged)) : ''
          }
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="srv-tls" label={t(m.tlsVerification)}>
            <ChoiceSelect
              id="srv-tls"
              value={f.tlsMode}
              onValueChange={(mode) => {
                set('tlsMode', mode);
                setTrusted(false);
              }}
              choices={tlsModes}
            />
          </Field>
          <TextField
            id="srv-timeout"
            label={t(m.connectionTimeout)}
            error={errs.connectionTimeoutMs}
            type="number"
            min={1000}
            max={120000}
            value={f.connectionTimeoutMs}
            onValueChange={(v) => set('connectionTimeoutMs', v)}
          />
        </div>

        {f.tlsMode === 'pinned' ? (
          <PinnedCertificate
            fingerprint={f.tlsFingerprint}
            onFingerprint={(v) => {
              set('tlsFingerprint', v);
              setTrusted(false);
            }}
            changed={check.fingerprintChanged}
            invalid={check.fingerprintInvalid}
            error={errs.tlsFingerprint}
            trusted={trusted}
            onTrusted={setTrusted}
            canProbe={f.host.trim() !== ''}
            probing={probeMutation.isPending}
            probe={probe}
            probeError={probeMutation.error}
            onProbe={runProbe}
          />
        ) : f.tlsMode === 'ca' ? (
          <Field id="srv-ca" label={t(m.caCertificate)} hint={t(server ? m.caKeep : m.caHint)} error={errs.caPem}>
            <CodeTextarea
              id="srv-ca"
              rows={5}
              value={f.caPem}
              onValueChange={(v) => set('caPem', v)}
              placeholder={EXAMPLE.pem}
            />
          </Field>
        ) : (
          <Alert variant="warning" title={t(m.noVerification)}>
            {t(m.noVerificationWarning)}
          </Alert>
        )}

        <div className="grid gap-3 rounded-lg border p-3">
          <div className="flex items-center gap-3">
            <Switch id="srv-tailscale" checked={f.useTailscale} onCheckedChange={(v) => set('useTailscale', v)} />
            <Label htmlFor="srv-tailscale">{t(m.useTailscale)}</Label>
          </div>
          {f.useTailscale ? (
            <TextField
              id="srv-ts-host"
              label={t(m.tailscaleHostname)}
              hint={t(m.tailscaleHint)}
              error={errs.tailscaleHostname}
              value={f.tailscaleHostname}
              onValueChange={(v) => set('tailscaleHostname', v)}
              placeholder={EXAMPLE.tailscaleHostname}
            />
          ) : null}
        </div>
        {server ? (
          <div className="flex items-center gap-3">
            <Switch id="srv-active" checked={f.isActive} onCheckedChange={(v) => set('isActive', v)} />
            <Label htmlFor="srv-active">{t(m.active)}</Label>
          </div>
        ) : null}
        {!check.pinnedReady ? <p className="text-xs text-muted-foreground">{t(m.pinFirst)}</p> : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            {t(m.cancel)}
          </Button>
          {checkFailed ? (
            <Button type="submit" variant="outline" disabled={saving || !check.complete} data-save-anyway="true">
              {t(m.saveAnyway)}
            </Button>
          ) : null}
          <Button type="submit" disabled={saving || !check.complete}>
            {t(
              saving
                ? server
                  ? m.saving
                  : m.checking
                : server
                  ? m.saveServer
                  : checkFailed
                    ? m.checkAgain
                    : m.addServer,
            )}
          </Button>
        </DialogFooter>
      </form>
    </>
  );
}
