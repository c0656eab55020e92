import { describe, expect, it } from 'vitest';
import { makeServer } from '@/testing/factories';
import {
  checkServerForm,
  credentialMustBeGiven,
  initialServerForm,
  probeTarget,
  type ServerFormState,
  serverInput,
  serverPatch,
} from './server-form-state';

const FP = Array.from({ length: 32 }, () => 'AB').join(':');
const OTHER_FP = Array.from({ length: 32 }, () => 'CD').join(':');
const TOKEN = 'nexus@pve!broker=1b2c3d4e-0000-4000-8000-123456789abc';

function newForm(over: Partial<ServerFormState> = {}): ServerFormState {
  return { ...initialServerForm(null, undefined, false), name: 'pve-a', host: 'pve-a.lan', apiToken: TOKEN, ...over };
}

describe('initialServerForm', () => {
  it('starts a new server from the tenant defaults', () => {
    const f = initialServerForm(null, { defaultTlsMode: 'ca', defaultConnectionTimeoutMs: 5000 }, false);
    expect(f).toMatchObject({ port: '8006', tlsMode: 'ca', connectionTimeoutMs: '5000', isActive: true, apiToken: '' });
  });

  it('never defaults to insecure for someone who may not choose it', () => {
    const defaults = { defaultTlsMode: 'insecure', defaultConnectionTimeoutMs: 10_000 } as const;
    expect(initialServerForm(null, defaults, false).tlsMode).toBe('pinned');
    expect(initialServerForm(null, defaults, true).tlsMode).toBe('insecure');
  });

  it('edits a server from its stored values, with the token left empty', () => {
    const server = makeServer({ port: 8443, tlsMode: 'insecure', useTailscale: true, tailscaleHostname: 'pve.ts.net' });
    expect(initialServerForm(server, { defaultTlsMode: 'ca', defaultConnectionTimeoutMs: 1 }, false)).toMatchObject({
      name: 'pve-a',
      port: '8443',
      tlsMode: 'insecure',
      useTailscale: true,
      tailscaleHostname: 'pve.ts.net',
      connectionTimeoutMs: '10000',
      apiToken: '',
    });
  });
});

describe('checkServerForm: a new server', () => {
  it('needs a name, a host and a well-formed token', () => {
    const ok = newForm({ tlsMode: 'ca' });
    expect(checkServerForm(ok, null, false).complete).toBe(true);
    expect(checkServerForm({ ...ok, name: '  ' }, null, false).complete).toBe(false);
    expect(checkServerForm({ ...ok, host: '' }, null, false).complete).toBe(false);
    expect(checkServerForm({ ...ok, apiToken: '' }, null, false)).toMatchObject({
      complete: false,
      tokenInvalid: false,
    });
    expect(checkServerForm({ ...ok, apiToken: 'root@pam:secret' }, null, false)).toMatchObject({
      complete: false,
      tokenInvalid: true,
    });
  });

  it('pins only a valid fingerprint, and only once the user trusts it', () => {
    const none = checkServerForm(newForm(), null, false);
    expect(none).toMatchObject({ pinnedReady: false, complete: false });

    const typo = checkServerForm(newForm({ tlsFingerprint: 'AB:CD' }), null, true);
    expect(typo).toMatchObject({ fingerprintInvalid: true, pinnedReady: false });

    const untrusted = checkServerForm(newForm({ tlsFingerprint: FP }), null, false);
    expect(untrusted).toMatchObject({ fingerprintChanged: true, pinnedReady: false, complete: false });
    expect(checkServerForm(newForm({ tlsFingerprint: FP }), null, true)).toMatchObject({
      pinnedReady: true,
      complete: true,
    });
  });
});

describe('checkServerForm: an edit', () => {
  const server = makeServer({ tlsFingerprint: FP });

  it('keeps the stored token and pin when neither address nor certificate changes', () => {
    const f = initialServerForm(server, undefined, false);
    expect(checkServerForm({ ...f, name: 'renamed' }, server, false)).toMatchObject({
      tokenNeeded: false,
      fingerprintChanged: false,
      pinnedReady: true,
      complete: true,
    });
  });

  it('asks for the token again, and for trust, when the certificate changes', () => {
    const f = { ...initialServerForm(server, undefined, false), tlsFingerprint: OTHER_FP };
    expect(checkServerForm(f, server, false)).toMatchObject({ tokenNeeded: true, pinnedReady: false });
    expect(checkServerForm(f, server, true)).toMatchObject({ tokenNeeded: true, pinnedReady: true });
  });
});

describe('credentialMustBeGiven', () => {
  const server = makeServer({ host: 'pve-a.lan', dialHost: 'pve-a.lan', port: 8006, tlsFingerprint: FP });
  const same = () => initialServerForm(server, undefined, false);

  it('is false for the same endpoint, whatever the spelling of the host', () => {
    expect(credentialMustBeGiven(server, same())).toBe(false);
    expect(credentialMustBeGiven(server, { ...same(), host: ' PVE-A.LAN ' })).toBe(false);
    expect(credentialMustBeGiven(server, { ...same(), tlsFingerprint: FP.toLowerCase() })).toBe(false);
  });

  it('is true when the address, port or Tailscale name moves', () => {
    expect(credentialMustBeGiven(server, { ...same(), host: 'pve-b.lan' })).toBe(true);
    expect(credentialMustBeGiven(server, { ...same(), port: '8007' })).toBe(true);
    expect(credentialMustBeGiven(server, { ...same(), useTailscale: true, tailscaleHostname: 'pve.ts.net' })).toBe(
      true,
    );
  });

  it('is true for a new trust anchor: another mode, another pin, a new CA', () => {
    expect(credentialMustBeGiven(server, { ...same(), tlsMode: 'ca' })).toBe(true);
    expect(credentialMustBeGiven(server, { ...same(), tlsFingerprint: OTHER_FP })).toBe(true);
    const caServer = makeServer({ tlsMode: 'ca', tlsFingerprint: null });
    const ca = initialServerForm(caServer, undefined, false);
    expect(credentialMustBeGiven(caServer, ca)).toBe(false);
    expect(credentialMustBeGiven(caServer, { ...ca, caPem: '-----BEGIN CERTIFICATE-----' })).toBe(true);
  });

  it('lets an insecure server change its verification without the token (it had none to protect)', () => {
    const insecure = makeServer({ tlsMode: 'insecure', tlsFingerprint: null });
    const f = initialServerForm(insecure, undefined, true);
    expect(credentialMustBeGiven(insecure, { ...f, tlsMode: 'pinned', tlsFingerprint: FP })).toBe(false);
    expect(credentialMustBeGiven(insecure, { ...f, port: '1' })).toBe(true);
  });
});

describe('the request bodies', () => {
  it('an edit sends trimmed fields, the token only when typed, the pin only for pinned TLS', () => {
    const f = newForm({
      name: ' pve-a ',
      host: ' pve-a.lan ',
      port: '',
      apiToken: '',
      tlsFingerprint: FP,
      tailscaleHostname: 'ignored.ts.net',
      connectionTimeoutMs: 'x',
      isActive: false,
    });
    expect(serverPatch(f)).toEqual({
      name: 'pve-a',
      host: 'pve-a.lan',
      port: 8006,
      tlsMode: 'pinned',
      useTailscale: false,
      tailscaleHostname: null,
      connectionTimeoutMs: 10_000,
      isActive: false,
      tlsFingerprint: FP,
    });
    expect(serverPatch({ ...f, tlsMode: 'ca', caPem: '  ' })).not.toHaveProperty('tlsFingerprint');
    expect(serverPatch({ ...f, tlsMode: 'ca', caPem: ' PEM ' }).caPem).toBe('PEM');
  });

  it('a new server always carries its token and no active flag', () => {
    const body = serverInput(
      newForm({ apiToken: ` ${TOKEN} `, useTailscale: true, tailscaleHostname: ' pve.ts.net ' }),
    );
    expect(body).toMatchObject({ apiToken: TOKEN, useTailscale: true, tailscaleHostname: 'pve.ts.net' });
    expect(body).not.toHaveProperty('isActive');
  });

  it('probes the Tailscale name when one is used', () => {
    expect(probeTarget(newForm({ port: '8443' }))).toEqual({ host: 'pve-a.lan', port: 8443 });
    expect(probeTarget(newForm({ useTailscale: true, tailscaleHostname: 'pve.ts.net' }))).toEqual({
      host: 'pve.ts.net',
      port: 8006,
    });
  });
});
