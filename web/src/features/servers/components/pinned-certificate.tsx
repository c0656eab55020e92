// Pinned TLS by trust on first use: fetch the certificate the host presents, show what it says,
// and pin its fingerprint only once the user confirms they compared it with the server's.
import { FingerprintPattern, ShieldCheck } from 'lucide-react';
import { TextField } from '@/components/text-field';
import { ErrorAlert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Detail } from '@/components/ui/detail';
import { Label } from '@/components/ui/label';
import { Spinner } from '@/components/ui/misc';
import { formatDateTime } from '@/lib/format';
import type { ProbeResult } from '../types';

export function PinnedCertificate({
  fingerprint,
  onFingerprint,
  changed,
  invalid,
  error,
  trusted,
  onTrusted,
  canProbe,
  probing,
  probe,
  probeError,
  onProbe,
}: {
  fingerprint: string;
  onFingerprint(v: string): void;
  /** Differs from the stored fingerprint: needs the user's confirmation. */
  changed: boolean;
  invalid: boolean;
  /** The server's complaint about the fingerprint, if any. */
  error: string | undefined;
  trusted: boolean;
  onTrusted(v: boolean): void;
  canProbe: boolean;
  probing: boolean;
  probe: ProbeResult | null;
  probeError: unknown;
  onProbe(): void;
}) {
  return (
    <div className="grid gap-3 rounded-lg border p-3">
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="outline" onClick={onProbe} disabled={!canProbe || probing}>
          {probing ? <Spinner /> : <FingerprintPattern />} Fetch certificate
        </Button>
        <span className="text-xs text-muted-foreground">
          Nexus connects once to read the certificate the server presents.
        </span>
      </div>
      {probeError ? <ErrorAlert error={probeError} title="Could not read the certificate" /> : null}
      {probe ? (
        <dl className="grid gap-1 text-xs sm:grid-cols-[8rem_1fr]" data-testid="probe-result">
          <Detail label="Subject" className="break-all">
            {probe.subject}
          </Detail>
          <Detail label="Issuer" className="break-all">
            {probe.issuer}
          </Detail>
          <Detail label="Valid">
            {formatDateTime(probe.validFrom)} – {formatDateTime(probe.validTo)}
          </Detail>
          {probe.subjectAltName ? (
            <Detail label="Names" className="break-all">
              {probe.subjectAltName}
            </Detail>
          ) : null}
          <Detail label="Signed by">
            {probe.selfSigned ? 'itself (self-signed, as Proxmox installs it)' : 'a certificate authority'}
          </Detail>
        </dl>
      ) : null}
      <TextField
        id="srv-fingerprint"
        label="SHA-256 fingerprint"
        error={error ?? (invalid ? 'Expected 32 bytes of hex, AA:BB:…' : undefined)}
        inputClassName="font-mono text-xs"
        spellCheck={false}
        value={fingerprint}
        onValueChange={(v) => onFingerprint(v.trim().toUpperCase())}
        placeholder="AA:BB:CC:…"
      />
      {fingerprint && changed ? (
        <div className="flex items-start gap-2">
          <Checkbox id="srv-trust" checked={trusted} onCheckedChange={(v) => onTrusted(v === true)} />
          <Label htmlFor="srv-trust" className="leading-snug font-normal">
            I compared this fingerprint with the one on the server (Datacenter → node → System → Certificates, or{' '}
            <code>pvenode cert info</code>) and trust it.
          </Label>
        </div>
      ) : fingerprint ? (
        <p className="inline-flex items-center gap-1 text-xs text-success-text">
          <ShieldCheck className="size-4" /> Pinned fingerprint unchanged.
        </p>
      ) : null}
    </div>
  );
}
