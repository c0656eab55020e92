// Pinned TLS by trust on first use: fetch the certificate the host presents, show what it says,
// and pin its fingerprint only once the user confirms they compared it with the server's.
import { FingerprintPattern, ShieldCheck } from 'lucide-react';
import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { TextField } from '@/components/text-field';
import { ErrorAlert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Detail } from '@/components/ui/detail';
import { Label } from '@/components/ui/label';
import { Spinner } from '@/components/ui/misc';
import { formatDateTime } from '@/lib/format';
import { m, trustFingerprint, validRange } from '../messages';
import type { ProbeResult } from '../types';

/** The fingerprint's format, as an example: the same in every language. */
const FINGERPRINT_EXAMPLE = 'AA:BB:CC:…';

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
  const t = useIntl().formatMessage;
  return (
    <div className="grid gap-3 rounded-lg border p-3">
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="outline" onClick={onProbe} disabled={!canProbe || probing}>
          {probing ? <Spinner /> : <FingerprintPattern />} {t(m.fetchCertificate)}
        </Button>
        <span className="text-xs text-muted-foreground">{t(m.fetchExplain)}</span>
      </div>
      {probeError ? <ErrorAlert error={probeError} title={t(m.fetchFailed)} /> : null}
      {probe ? (
        <dl className="grid gap-1 text-xs sm:grid-cols-[8rem_1fr]" data-testid="probe-result">
          <Detail label={t(m.subject)} className="break-all">
            {probe.subject}
          </Detail>
          <Detail label={t(m.issuer)} className="break-all">
            {probe.issuer}
          </Detail>
          <Detail label={t(m.valid)}>
            {t(validRange, { from: formatDateTime(probe.validFrom), to: formatDateTime(probe.validTo) })}
          </Detail>
          {probe.subjectAltName ? (
            <Detail label={t(m.names)} className="break-all">
              {probe.subjectAltName}
            </Detail>
          ) : null}
          <Detail label={t(m.signedBy)}>{t(probe.selfSigned ? m.selfSigned : m.signedByCa)}</Detail>
        </dl>
      ) : null}
      <TextField
        id="srv-fingerprint"
        label={t(m.fingerprintLabel)}
        error={error ?? (invalid ? t(m.fingerprintInvalid) : undefined)}
        inputClassName="font-mono text-xs"
        spellCheck={false}
        value={fingerprint}
        onValueChange={(v) => onFingerprint(v.trim().toUpperCase())}
        placeholder={FINGERPRINT_EXAMPLE}
      />
      {fingerprint && changed ? (
        <div className="flex items-start gap-2">
          <Checkbox id="srv-trust" checked={trusted} onCheckedChange={(v) => onTrusted(v === true)} />
          <Label htmlFor="srv-trust" className="leading-snug font-normal">
            {t(trustFingerprint, { code: (chunks: ReactNode[]) => <code>{chunks}</code> })}
          </Label>
        </div>
      ) : fingerprint ? (
        <p className="inline-flex items-center gap-1 text-xs text-success-text">
          <ShieldCheck className="size-4" /> {t(m.pinUnchanged)}
        </p>
      ) : null}
    </div>
  );
}
