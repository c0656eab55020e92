// Add or edit a server. Pinned TLS follows trust on first use: probe the host, show the
// certificate's fingerprint, and store it only once the user confirms it is the right one.
import { API_TOKEN_HINT, normalizeFingerprint, parseApiToken } from '@common/schemas/servers';
import type { TenantSettings } from '@common/schemas/tenants';
import { FingerprintPattern, ShieldCheck } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Alert, ErrorAlert, FormError } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input, NativeSelect, Textarea } from '@/components/ui/input';
import { Field, Label } from '@/components/ui/label';
import { Spinner } from '@/components/ui/misc';
import { Switch } from '@/components/ui/switch';
import { toast } from '@/components/ui/toast';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { fieldErrors } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useCreateServer } from '../api/create-server';
import { useProbeServer } from '../api/probe-server';
import { useUpdateServer } from '../api/update-server';
import type { ProbeResult, ProxmoxServer, ServerPatch, TlsMode } from '../types';

interface FormState {
  name: string;
  host: string;
  port: string;
  apiToken: string;
  tlsMode: TlsMode;
  tlsFingerprint: string;
  caPem: string;
  useTailscale: boolean;
  tailscaleHostname: string;
  connectionTimeoutMs: string;
  isActive: boolean;
}

function initialState(
  server: ProxmoxServer | null,
  defaults: Pick<TenantSettings, 'defaultTlsMode' | 'defaultConnectionTimeoutMs'> | undefined,
  mayInsecure: boolean,
): FormState {
  const defaultTls = defaults?.defaultTlsMode === 'insecure' && !mayInsecure ? 'pinned' : defaults?.defaultTlsMode;
  return {
    name: server?.name ?? '',
    host: server?.host ?? '',
    port: String(server?.port ?? 8006),
    apiToken: '',
    tlsMode: server?.tlsMode ?? defaultTls ?? 'pinned',
    tlsFingerprint: server?.tlsFingerprint ?? '',
    caPem: '',
    useTailscale: server?.useTailscale ?? false,
    tailscaleHostname: server?.tailscaleHostname ?? '',
    connectionTimeoutMs: String(server?.connectionTimeoutMs ?? defaults?.defaultConnectionTimeoutMs ?? 10_000),
    isActive: server?.isActive ?? true,
  };
}

function credentialMustBeGiven(server: ProxmoxServer, f: FormState): boolean {
  const dial = f.useTailscale && f.tailscaleHostname.trim() ? f.tailscaleHostname.trim() : f.host.trim();
  const moved = dial.toLowerCase() !== server.dialHost.toLowerCase() || (Number(f.port) || 8006) !== server.port;
  if (moved) return true;
  if (server.tlsMode === 'insecure') return false;
  if (f.tlsMode !== server.tlsMode) return true;
  if (f.tlsMode === 'pinned') return normalizeFingerprint(f.tlsFingerprint) !== server.tlsFingerprint;
  return f.tlsMode === 'ca' && f.caPem.trim() !== '';
}

interface FormProps {
  tenantId: string;
  onOpenChange(o: boolean): void;
  /** null: add a new server. */
  server: ProxmoxServer | null;
  defaults?: Pick<TenantSettings, 'defaultTlsMode' | 'defaultConnectionTimeoutMs'> | undefined;
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
  const [f, setF] = useState<FormState>(() => initialState(server, defaults, mayChooseInsecure));
  const [probe, setProbe] = useState<ProbeResult | null>(null);
  const [trusted, setTrusted] = useState(false);
  const probeMutation = useProbeServer(tenantId);
  const create = useCreateServer(tenantId);
  const update = useUpdateServer(tenantId);
  const saving = create.isPending || update.isPending;
  const saveError = create.error ?? update.error;
  const errs = fieldErrors(saveError);

  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((prev) => ({ ...prev, [k]: v }));
  const tokenInvalid = f.apiToken !== '' && parseApiToken(f.apiToken) === null;
  const fingerprintChanged = f.tlsFingerprint !== (server?.tlsFingerprint ?? '');
  const fingerprintInvalid = f.tlsFingerprint !== '' && normalizeFingerprint(f.tlsFingerprint) === null;
  const pinnedReady =
    f.tlsMode !== 'pinned' || (f.tlsFingerprint !== '' && !fingerprintInvalid && (!fingerprintChanged || trusted));
  // The stored token never follows a new address or a new trusted certificate (the server refuses
  // such an edit without the token), so the form asks for it up front.
  const tokenNeeded = server !== null && server !== undefined && credentialMustBeGiven(server, f);

  const runProbe = () => {
    setTrusted(false);
    probeMutation.mutate(
      {
        host: f.useTailscale && f.tailscaleHostname ? f.tailscaleHostname : f.host.trim(),
        port: Number(f.port) || 8006,
      },
      {
        onSuccess: (r) => {
          setProbe(r);
          set('tlsFingerprint', r.fingerprint);
        },
      },
    );
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const body: ServerPatch = {
      name: f.name.trim(),
      host: f.host.trim(),
      port: Number(f.port) || 8006,
      tlsMode: f.tlsMode,
      useTailscale: f.useTailscale,
      tailscaleHostname: f.useTailscale ? f.tailscaleHostname.trim() || null : null,
      connectionTimeoutMs: Number(f.connectionTimeoutMs) || 10_000,
    };
    if (f.apiToken.trim()) body.apiToken = f.apiToken.trim();
    if (f.tlsMode === 'pinned') body.tlsFingerprint = f.tlsFingerprint.trim();
    if (f.tlsMode === 'ca' && f.caPem.trim()) body.caPem = f.caPem.trim();
    const done = (s: ProxmoxServer) => {
      toast({ variant: 'success', title: server ? `Saved ${s.name}` : `Added ${s.name}` });
      onOpenChange(false);
    };
    if (server) update.mutate({ serverId: server.id, body: { ...body, isActive: f.isActive } }, { onSuccess: done });
    else
      create.mutate(
        { ...body, name: body.name ?? '', host: body.host ?? '', apiToken: f.apiToken.trim() },
        { onSuccess: done },
      );
  };

  return (
    <>
      <DialogHeader>
        <DialogTitle>{server ? `Edit ${server.name}` : 'Add a Proxmox VE server'}</DialogTitle>
        <DialogDescription>
          Nexus stores the server without contacting it; health checks start right after. The token secret is encrypted
          and never shown again.
        </DialogDescription>
      </DialogHeader>
      <form className="grid gap-4" onSubmit={onSubmit} aria-label="Server">
        <FormError error={saveError} title="Not saved" />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="srv-name" label="Name" error={errs.name}>
            <Input
              id="srv-name"
              required
              value={f.name}
              onChange={(e) => set('name', e.target.value)}
              placeholder="pve-a"
            />
          </Field>
          <div className="grid grid-cols-[1fr_6rem] gap-2">
            <Field id="srv-host" label="Host" error={errs.host}>
              <Input
                id="srv-host"
                required
                value={f.host}
                onChange={(e) => set('host', e.target.value)}
                placeholder="pve.example.lan"
              />
            </Field>
            <Field id="srv-port" label="Port" error={errs.port}>
              <Input
                id="srv-port"
                type="number"
                min={1}
                max={65535}
                value={f.port}
                onChange={(e) => set('port', e.target.value)}
              />
            </Field>
          </div>
        </div>
        <Field
          id="srv-token"
          label="API token"
          hint={
            tokenNeeded
              ? 'Required: the new address or certificate never gets the stored token; enter it again.'
              : server
                ? 'Leave empty to keep the stored token.'
                : 'USER@REALM!TOKENID=SECRET, e.g. nexus@pve!broker=1b2c…'
          }
          error={errs.apiToken ?? (tokenInvalid ? `The token ${API_TOKEN_HINT}` : undefined)}
        >
          <Input
            id="srv-token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            required={!server || tokenNeeded}
            value={f.apiToken}
            onChange={(e) => set('apiToken', e.target.value)}
            placeholder={server ? `unchanged${server.tokenId ? ` (${server.tokenId})` : ''}` : ''}
          />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="srv-tls" label="TLS verification">
            <NativeSelect
              id="srv-tls"
              value={f.tlsMode}
              onChange={(e) => {
                set('tlsMode', e.target.value as TlsMode);
                setTrusted(false);
              }}
            >
              <option value="pinned">Pinned fingerprint (trust on first use)</option>
              <option value="ca">Custom CA certificate</option>
              {mayInsecure ? <option value="insecure">Insecure: no verification</option> : null}
            </NativeSelect>
          </Field>
          <Field id="srv-timeout" label="Connection timeout (ms)" error={errs.connectionTimeoutMs}>
            <Input
              id="srv-timeout"
              type="number"
              min={1000}
              max={120000}
              value={f.connectionTimeoutMs}
              onChange={(e) => set('connectionTimeoutMs', e.target.value)}
            />
          </Field>
        </div>

        {f.tlsMode === 'pinned' ? (
          <div className="grid gap-3 rounded-lg border p-3">
            <div className="flex flex-wrap items-center gap-2">
              <Button variant="outline" onClick={runProbe} disabled={!f.host.trim() || probeMutation.isPending}>
                {probeMutation.isPending ? <Spinner /> : <FingerprintPattern />} Fetch certificate
              </Button>
              <span className="text-xs text-muted-foreground">
                Nexus connects once to read the certificate the server presents.
              </span>
            </div>
            {probeMutation.error ? (
              <ErrorAlert error={probeMutation.error} title="Could not read the certificate" />
            ) : null}
            {probe ? (
              <dl className="grid gap-1 text-xs sm:grid-cols-[8rem_1fr]" data-testid="probe-result">
                <dt className="text-muted-foreground">Subject</dt>
                <dd className="break-all">{probe.subject}</dd>
                <dt className="text-muted-foreground">Issuer</dt>
                <dd className="break-all">{probe.issuer}</dd>
                <dt className="text-muted-foreground">Valid</dt>
                <dd>
                  {formatDateTime(probe.validFrom)} – {formatDateTime(probe.validTo)}
                </dd>
                {probe.subjectAltName ? (
                  <>
                    <dt className="text-muted-foreground">Names</dt>
                    <dd className="break-all">{probe.subjectAltName}</dd>
                  </>
                ) : null}
                <dt className="text-muted-foreground">Signed by</dt>
                <dd>{probe.selfSigned ? 'itself (self-signed, as Proxmox installs it)' : 'a certificate authority'}</dd>
              </dl>
            ) : null}
            <Field
              id="srv-fingerprint"
              label="SHA-256 fingerprint"
              error={errs.tlsFingerprint ?? (fingerprintInvalid ? 'Expected 32 bytes of hex, AA:BB:…' : undefined)}
            >
              <Input
                id="srv-fingerprint"
                className="font-mono text-xs"
                spellCheck={false}
                value={f.tlsFingerprint}
                onChange={(e) => {
                  set('tlsFingerprint', e.target.value.trim().toUpperCase());
                  setTrusted(false);
                }}
                placeholder="AA:BB:CC:…"
              />
            </Field>
            {f.tlsFingerprint && fingerprintChanged ? (
              <div className="flex items-start gap-2">
                <Checkbox id="srv-trust" checked={trusted} onCheckedChange={(v) => setTrusted(v === true)} />
                <Label htmlFor="srv-trust" className="leading-snug font-normal">
                  I compared this fingerprint with the one on the server (Datacenter → node → System → Certificates, or{' '}
                  <code>pvenode cert info</code>) and trust it.
                </Label>
              </div>
            ) : f.tlsFingerprint ? (
              <p className="inline-flex items-center gap-1 text-xs text-success-text">
                <ShieldCheck className="size-4" /> Pinned fingerprint unchanged.
              </p>
            ) : null}
          </div>
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
            <Textarea
              id="srv-ca"
              className="font-mono text-xs"
              rows={5}
              value={f.caPem}
              onChange={(e) => set('caPem', e.target.value)}
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
            <Field
              id="srv-ts-host"
              label="Tailscale hostname"
              hint="MagicDNS name; the Nexus host must run tailscaled."
              error={errs.tailscaleHostname}
            >
              <Input
                id="srv-ts-host"
                value={f.tailscaleHostname}
                onChange={(e) => set('tailscaleHostname', e.target.value)}
                placeholder="pve-a.tailnet.ts.net"
              />
            </Field>
          ) : null}
        </div>
        {server ? (
          <div className="flex items-center gap-3">
            <Switch id="srv-active" checked={f.isActive} onCheckedChange={(v) => set('isActive', v)} />
            <Label htmlFor="srv-active">Active (checked and listed)</Label>
          </div>
        ) : null}
        {!pinnedReady ? (
          <p className="text-xs text-muted-foreground">
            Fetch and confirm the certificate fingerprint to save a pinned server.
          </p>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            type="submit"
            disabled={
              saving ||
              !f.name.trim() ||
              !f.host.trim() ||
              (!server && !f.apiToken.trim()) ||
              tokenInvalid ||
              !pinnedReady
            }
          >
            {saving ? 'Saving…' : server ? 'Save server' : 'Add server'}
          </Button>
        </DialogFooter>
      </form>
    </>
  );
}
