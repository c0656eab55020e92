import { describe, expect, it } from 'vitest';
import { glyphFor } from './bitmap-font';
import { contains, intersect, renderSimFrame, SIM_COLOURS, simFrameLayout } from './guest-frame';

const state = { frame: 3, fps: 15, name: 'vm', vmid: 100, inputLine: '' };

describe('simFrameLayout', () => {
  it.each([
    [400, 300],
    [640, 480],
    [1920, 1080],
  ])('keeps every region on a %ix%i screen, with dynamic regions apart', (width, height) => {
    const layout = simFrameLayout(width, height);
    const screen = { x: 0, y: 0, width, height };
    const regions = [layout.header, layout.title, layout.vmid, layout.counter, layout.pulse, layout.input, layout.band];
    for (const r of [...regions, layout.marker, layout.backgroundProbe]) expect(contains(screen, r)).toBe(true);
    const dynamic = [layout.counter, layout.pulse, layout.input, layout.band];
    for (const a of dynamic) for (const b of regions) if (a !== b) expect(intersect(a, b)).toBeUndefined();
  });

  it('rejects sizes too small for the layout', () => {
    expect(() => simFrameLayout(200, 200)).toThrow(RangeError);
  });
});

describe('renderSimFrame', () => {
  it('renders any sub-rectangle identically to the same part of the whole frame', () => {
    const layout = simFrameLayout(640, 480);
    const whole = new Uint32Array(640 * 480);
    renderSimFrame(state, layout, { x: 0, y: 0, width: 640, height: 480 }, whole);
    for (const r of [
      { x: 13, y: 40, width: 200, height: 100 },
      { x: 600, y: 380, width: 40, height: 100 },
      { x: 0, y: 0, width: 1, height: 480 },
    ]) {
      const part = new Uint32Array(r.width * r.height);
      renderSimFrame(state, layout, r, part);
      for (let y = 0; y < r.height; y++) {
        for (let x = 0; x < r.width; x++) expect(part[y * r.width + x]).toBe(whole[(r.y + y) * 640 + r.x + x]);
      }
    }
    expect(whole[0]).toBe(SIM_COLOURS.header);
    expect(whole[479 * 640 + 639]).toBe(SIM_COLOURS.marker);
  });

  it('draws hostile and non-Latin names without failing, as boxes for unknown characters', () => {
    const layout = simFrameLayout(400, 300);
    const out = new Uint32Array(layout.title.width * layout.title.height);
    renderSimFrame({ ...state, name: '<script>"\'&😀名前\u0000'.repeat(10) }, layout, layout.title, out);
    expect(out.some((v) => v === SIM_COLOURS.text)).toBe(true);
    expect(glyphFor('😀')).toEqual(glyphFor('名'));
    expect(glyphFor('a')).toEqual(glyphFor('A'));
  });
});
