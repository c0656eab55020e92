// Add or edit a server. Pinned TLS follows trust on first use: probe the host, show the
// certificate's fingerprint, and store it only once the user confirms it is the right one. The
// rules (what is required, when it may be saved, the body sent) are in ../server-form-state.ts.
import { API_TOKEN_HINT } from '@common/schemas/servers';
import { type FormEvent, useState } from 'react';
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

const TLS_MODES: Choice<TlsMode>[] = [
  { value: 'pinned', label: 'Pinned fingerprint (trust on first use)' },
  { value: 'ca', label: 'Custom CA certificate' },
  { value: 'insecure', label: 'Insecure: no verification' },
];

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
      toast({ variant: 'success', title: server ? `Saved ${s.name}` : `Added ${s.name}` });
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
        title={server ? `Edit ${server.name}` : 'Add a Proxmox VE server'}
        description={
          server
            ? 'Health checks continue with the new settings. The token secret is encrypted and never shown again.'
            : 'Nexus checks the token and the certificate before saving. The token secret is encrypted and never shown again.'
        }
      />
      <form className="grid gap-4" onSubmit={onSubmit} aria-label="Server">
        {checkFailed ? (
          <div data-testid="server-check-failed">
            <Alert variant="destructive" title="The check failed: not saved">
              {diagnosis.length > 0 ? diagnosis.join(' ') : checkFailed.message}
              <span className="mt-1 block">
                If the server is down for maintenance, you can save it anyway; its status shows the problem until it is
                fixed.
              </span>
            </Alert>
          </div>
        ) : (
          <FormError error={saveError} title="Not saved" />
        )}
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            id="srv-name"
            label="Name"
            error={errs.name}
            required
            value={f.name}
            onValueChange={(v) => set('name', v)}
            placeholder="pve-a"
          />
          <div className="grid grid-cols-[1fr_6rem] gap-2">
            <TextField
              id="srv-host"
              label="Host"
              error={errs.host}
              required
              value={f.host}
              onValueChange={(v) => set('host', v)}
              placeholder="pve.example.lan"
            />
            <TextField
              id="srv-port"
              label="Port"
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
          label="API token"
          hint={
            check.tokenNeeded
              ? 'Required: the new address or certificate never gets the stored token; enter it again.'
              : server
                ? 'Leave empty to keep the stored token.'
                : 'USER@REALM!TOKENID=SECRET, e.g. nexus@pve!broker=1b2c…'
          }
          error={errs.apiToken ?? (check.tokenInvalid ? `The token ${API_TOKEN_HINT}` : undefined)}
          type="password"
          autoComplete="off"
          spellCheck={false}
          required={!server || check.tokenNeeded}
          value={f.apiToken}
          onValueChange={(v) => set('apiToken', v)}
          placeholder={server ? `unchanged${server.tokenId ? ` (${server.tokenId})` : ''}` : ''}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="srv-tls" label="TLS verification">
            <ChoiceSelect
              id="srv-tls"
              value={f.tlsMode}
              onValueChange={(mode) => {
                set('tlsMode', mode);
                setTrusted(false);
              }}
              choices={mayInsecure ? TLS_MODES : TLS_MODES.filter((m) => m.value !== 'insecure')}
            />
          </Field>
          <TextField
            id="srv-timeout"
            label="Connection timeout (ms)"
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
          <Field
            id="srv-ca"
            label="CA certificate (PEM)"
            hint={
              server
                ? 'Leave empty to keep the stored CA.'
                : 'The certificate of the CA that signed the server’s certificate.'
            }
            error={errs.caPem}
          >
            <CodeTextarea
              id="srv-ca"
              rows={5}
              value={f.caPem}
              onValueChange={(v) => set('caPem', v)}
              placeholder="-----BEGIN CERTIFICATE-----"
            />
          </Field>
        ) : (
          <Alert variant="warning" title="No certificate verification">
            Anyone on the network path could impersonate this server and capture its token. Use it only on a trusted
            link; it is recorded in the audit log.
          </Alert>
        )}

        <div className="grid gap-3 rounded-lg border p-3">
          <div className="flex items-center gap-3">
            <Switch id="srv-tailscale" checked={f.useTailscale} onCheckedChange={(v) => set('useTailscale', v)} />
            <Label htmlFor="srv-tailscale">Reach it through Tailscale</Label>
          </div>
          {f.useTailscale ? (
            <TextField
              id="srv-ts-host"
              label="Tailscale hostname"
              hint="MagicDNS name; the Nexus host must run tailscaled."
              error={errs.tailscaleHostname}
              value={f.tailscaleHostname}
              onValueChange={(v) => set('tailscaleHostname', v)}
              placeholder="pve-a.tailnet.ts.net"
            />
          ) : null}
        </div>
        {server ? (
          <div className="flex items-center gap-3">
            <Switch id="srv-active" checked={f.isActive} onCheckedChange={(v) => set('isActive', v)} />
            <Label htmlFor="srv-active">Active (checked and listed)</Label>
          </div>
        ) : null}
        {!check.pinnedReady ? (
          <p className="text-xs text-muted-foreground">
            Fetch and confirm the certificate fingerprint to save a pinned server.
          </p>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          {checkFailed ? (
            <Button type="submit" variant="outline" disabled={saving || !check.complete} data-save-anyway="true">
              Save anyway
            </Button>
          ) : null}
          <Button type="submit" disabled={saving || !check.complete}>
            {saving
              ? server
                ? 'Saving…'
                : 'Checking…'
              : server
                ? 'Save server'
                : checkFailed
                  ? 'Check again'
                  : 'Add server'}
          </Button>
        </DialogFooter>
      </form>
    </>
  );
}
