import { describe, expect, it } from 'vitest';
import { abilitiesOf, diagnose } from './permission-diagnosis';

describe('token permission diagnosis', () => {
  it('names a privilege-separated token without ACLs plainly', () => {
    expect(diagnose({}, null)[0]).toMatch(/no permissions at all.*privsep=1/);
  });

  it('reads rights on /vms, pools and nodes', () => {
    const perms = { '/vms': { 'VM.Audit': 1, 'VM.Console': 1 }, '/pool/lab': { 'VM.PowerMgmt': 1 } };
    expect(abilitiesOf(perms)).toEqual({
      listGuests: true,
      power: true,
      console: true,
      nodeAudit: false,
      nodeShell: false,
    });
    expect(abilitiesOf({ '/nodes/pve1': { 'Sys.Console': 1 } }).nodeShell).toBe(true);
    expect(diagnose(perms, 3)).toEqual([expect.stringMatching(/Sys.Audit is missing on \/nodes/)]);
    expect(diagnose({ '/vms': { 'VM.Audit': 1 } }, 0)).toEqual([
      expect.stringMatching(/cannot start, stop/),
      expect.stringMatching(/cannot open consoles/),
      expect.stringMatching(/node figures/),
      expect.stringMatching(/sees no guests/),
    ]);
    expect(diagnose({ '/': { 'VM.Audit': 1, 'VM.PowerMgmt': 1, 'VM.Console': 1, 'Sys.Audit': 1 } }, 2)).toEqual([
      'The token can list guests, power them and open consoles.',
    ]);
  });
});
