import { describe, expect, it } from 'vitest';
import { RfbRecorder } from './rfb-recorder';

const key = (keysym: number, down: boolean) => ({ type: 'KeyEvent' as const, keysym, down });

describe('RfbRecorder', () => {
  it('detects key combinations held together, in any order', () => {
    const recorder = new RfbRecorder();
    recorder.record(key(0xffe9, true)); // Alt_L
    recorder.record(key(0xffe3, true)); // Control_L
    recorder.record(key(0xffe9, false));
    recorder.record(key(0xffff, true)); // Delete, but Alt_L was released
    expect(recorder.hasKeyCombo(['Control_L', 'Alt_L', 'Delete'])).toBe(false);
    expect(recorder.hasKeyCombo(['Control_L', 'Delete'])).toBe(true);
    recorder.record(key(0xffe9, true));
    expect(recorder.hasKeyCombo(['Delete', 'Alt_L', 'Control_L'])).toBe(true);
    expect(() => recorder.hasKeyCombo(['NoSuchKey'])).toThrow(RangeError);
  });

  it('waitFor resolves on a later event, rejects on timeout, and clear() forgets', async () => {
    const recorder = new RfbRecorder();
    const waiting = recorder.waitFor((r) => r.keyEvents.find((k) => k.name === 'x'), 1000);
    recorder.record(key(0x78, true));
    await expect(waiting).resolves.toMatchObject({ name: 'x', down: true });
    await expect(recorder.waitFor((r) => r.pointerEvents.length > 0, 20)).rejects.toThrow(/20 ms/);
    recorder.record({ type: 'ClientCutText', text: 'hi', data: new Uint8Array([104, 105]) });
    expect(recorder.clientCutText).toEqual(['hi']);
    recorder.clear();
    expect([recorder.keyEvents, recorder.clientCutText, recorder.messages]).toEqual([[], [], []]);
  });
});
