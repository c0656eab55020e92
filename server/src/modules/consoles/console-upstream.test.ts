// What the user reads when Proxmox fails while a console opens.
import { CONSOLE_CLOSE } from '@common/schemas/consoles';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/app-error';
import { statusError, transportError } from '../../proxmox/proxmox-errors';
import { ConsoleUpstreamError } from './console-relay';
import { closeReasonFor } from './console-upstream';

describe('closeReasonFor', () => {
  it.each([
    [statusError(401, 'invalid PVEVNC ticket', undefined), 'Proxmox refused the console connection'],
    [
      statusError(403, 'Permission check failed (/vms/100, VM.Console)', undefined),
      'The API token lacks VM.Console on Proxmox',
    ],
    [statusError(595, 'no route to host', undefined), 'Proxmox node offline'],
    [transportError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'pve:8006'), 'Proxmox unreachable'],
    [transportError(Object.assign(new Error('x'), { name: 'TimeoutError' }), 'pve:8006'), 'Proxmox unreachable'],
    [
      new AppError('proxmox.tls_mismatch', 'pin', { details: { expected: 'A', actual: 'B' } }),
      'Proxmox unreachable (TLS certificate refused)',
    ],
    [
      statusError(500, "Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist", undefined),
      'Proxmox could not open the console',
    ],
    [new Error('anything else'), 'Proxmox unreachable'],
  ])('%s → %s', (err, reason) => {
    expect(closeReasonFor(err)).toEqual({ code: CONSOLE_CLOSE.proxmoxUnreachable, reason });
  });

  it('says "VM stopped" when Proxmox says the VM is not running', () => {
    expect(closeReasonFor(statusError(500, 'VM 100 not running', undefined))).toEqual({
      code: CONSOLE_CLOSE.vmStopped,
      reason: 'VM stopped',
    });
  });

  it('passes on what an upstream error already knows', () => {
    const known = { code: CONSOLE_CLOSE.takenOver, reason: 'console taken over' } as const;
    expect(closeReasonFor(new ConsoleUpstreamError(known))).toEqual(known);
  });
});
