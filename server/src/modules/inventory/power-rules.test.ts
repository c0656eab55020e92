import { describe, expect, it } from 'vitest';
import { whyNotApplicable } from './power-rules';

describe('whyNotApplicable', () => {
  const qemu = (status: string) => ({ type: 'qemu' as const, status, template: false });
  const lxc = (status: string) => ({ type: 'lxc' as const, status, template: false });

  it.each([
    ['start', qemu('stopped'), null],
    ['start', qemu('running'), /already running/],
    ['start', qemu('paused'), /resume it instead/],
    ['start', lxc('running'), /already running/],
    ['stop', qemu('stopped'), /already stopped/],
    ['stop', qemu('paused'), null],
    ['shutdown', lxc('stopped'), /not running/],
    ['shutdown', qemu('paused'), /paused/],
    ['reboot', qemu('running'), null],
    ['reset', lxc('running'), /Containers cannot be reset/],
    ['reset', lxc('stopped'), /Containers cannot be reset/],
    ['reset', qemu('stopped'), /not running/],
    ['reset', qemu('paused'), null],
    ['suspend', qemu('paused'), /already paused/],
    ['suspend', lxc('running'), null],
    ['resume', qemu('running'), /not paused/],
    ['resume', qemu('paused'), null],
    ['resume', lxc('running'), null],
    ['start', qemu('unknown'), null],
    ['stop', qemu('prelaunch'), null],
  ] as const)('%s on %o', (action, state, expected) => {
    const why = whyNotApplicable(action, state);
    if (expected === null) expect(why).toBeNull();
    else expect(why).toMatch(expected);
  });

  it('refuses every action on a template', () => {
    for (const action of ['start', 'stop', 'reboot'] as const) {
      expect(whyNotApplicable(action, { type: 'qemu', status: 'stopped', template: true })).toMatch(/template/);
    }
  });
});
