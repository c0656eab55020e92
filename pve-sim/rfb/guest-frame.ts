// The picture a simulated guest shows on its console. It is computed from the frame number and a
// few strings rather than kept in a framebuffer, so a session costs no screen-sized memory: any
// rectangle can be rendered on demand, in strips, straight into the client's pixel format.
import type { Rect } from '@common/rfb/rfb-messages';
import { CELL_WIDTH, GLYPH_HEIGHT, GLYPH_WIDTH, glyphFor } from './bitmap-font';

/** Fixed colours (0xRRGGBB) that browser tests can look for. */
export const SIM_COLOURS = Object.freeze({
  background: 0x1b2838,
  header: 0xe57000,
  headerText: 0x000000,
  text: 0xffffff,
  muted: 0x9fb3c8,
  marker: 0xff00ff,
});

const BAND_PALETTE = [0xd7263d, 0xf46036, 0xf2c14e, 0x2e933c, 0x1b998b, 0x3f88c5];
const PULSE_PALETTE = [0xff0000, 0xff8000, 0xffff00, 0x80ff00, 0x00ff00, 0x00ff80, 0x00ffff, 0x0080ff, 0x0000ff];
const STRIPE_WIDTH = 16;
export const BAND_PERIOD = STRIPE_WIDTH * BAND_PALETTE.length;
/** Pixels the band's diagonal stripes move left per frame. */
export const BAND_SPEED = 4;

export interface SimFrameLayout {
  width: number;
  height: number;
  header: Rect;
  title: Rect;
  vmid: Rect;
  counter: Rect;
  pulse: Rect;
  input: Rect;
  /** Scrolling stripes: changes every frame by a pure horizontal shift (CopyRect-friendly). */
  band: Rect;
  /** A magenta square in the bottom-right corner. */
  marker: Rect;
  /** A region that always shows plain background. */
  backgroundProbe: Rect;
}

export interface SimFrameState {
  frame: number;
  fps: number;
  name: string;
  vmid: number;
  /** What the guest last noticed of the user's input, shown as a line of text. */
  inputLine: string;
}

export const MIN_FRAME_WIDTH = 400;
export const MIN_FRAME_HEIGHT = 300;

/** Where everything sits on a screen of the given size (at least 400×300). */
export function simFrameLayout(width: number, height: number): SimFrameLayout {
  if (width < MIN_FRAME_WIDTH || height < MIN_FRAME_HEIGHT || width > 8192 || height > 8192) {
    throw new RangeError(`frame size ${width}x${height} outside 400x300…8192x8192`);
  }
  const textWidth = width - 32;
  const band = { x: 0, y: height - 96, width, height: 64 };
  const input = { x: 16, y: 148, width: textWidth, height: 16 };
  const probeY = Math.floor((input.y + input.height + band.y) / 2) - 8;
  return {
    width,
    height,
    header: { x: 0, y: 0, width, height: 32 },
    title: { x: 16, y: 48, width: textWidth, height: 24 },
    vmid: { x: 16, y: 84, width: textWidth, height: 16 },
    counter: { x: 16, y: 116, width: textWidth - 48, height: 16 },
    pulse: { x: width - 48, y: 108, width: 32, height: 32 },
    input,
    band,
    marker: { x: width - 24, y: height - 24, width: 24, height: 24 },
    backgroundProbe: { x: Math.floor(width / 2) - 32, y: probeY, width: 64, height: 16 },
  };
}

export function counterText(state: SimFrameState): string {
  const seconds = Math.floor(state.frame / state.fps);
  const hms = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  return `FRAME ${String(state.frame).padStart(6, '0')}  UPTIME ${hms}`;
}

export function pulseColour(frame: number): number {
  return PULSE_PALETTE[frame % PULSE_PALETTE.length] as number;
}

/** The band's colour at (x, y) in frame `frame`; a shift by BAND_SPEED px per frame. */
export function bandColour(layout: SimFrameLayout, frame: number, x: number, y: number): number {
  const phase = (x - layout.band.x + (y - layout.band.y) + frame * BAND_SPEED) % BAND_PERIOD;
  return BAND_PALETTE[Math.floor(phase / STRIPE_WIDTH)] as number;
}

export function intersect(a: Rect, b: Rect): Rect | undefined {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : undefined;
}

export function contains(outer: Rect, inner: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

/** Renders `rect` of the frame into `out` (row-major, rect.width per row, 0xRRGGBB). */
export function renderSimFrame(state: SimFrameState, layout: SimFrameLayout, rect: Rect, out: Uint32Array): void {
  const fill = (area: Rect, colour: number): void => {
    const part = intersect(area, rect);
    if (!part) return;
    for (let y = part.y; y < part.y + part.height; y++) {
      const row = (y - rect.y) * rect.width - rect.x;
      out.fill(colour, row + part.x, row + part.x + part.width);
    }
  };
  const text = (area: Rect, value: string, scale: number, colour: number): void => {
    const clip = intersect(area, rect);
    if (!clip) return;
    let gx = area.x;
    for (const char of value) {
      if (gx + GLYPH_WIDTH * scale > area.x + area.width) break;
      if (gx < clip.x + clip.width && gx + CELL_WIDTH * scale > clip.x) {
        const glyph = glyphFor(char);
        for (let row = 0; row < GLYPH_HEIGHT; row++) {
          const bits = glyph[row] as number;
          if (bits === 0) continue;
          for (let col = 0; col < GLYPH_WIDTH; col++) {
            if (bits & (1 << (GLYPH_WIDTH - 1 - col))) {
              fill(
                intersect({ x: gx + col * scale, y: area.y + row * scale, width: scale, height: scale }, clip) ?? EMPTY,
                colour,
              );
            }
          }
        }
      }
      gx += CELL_WIDTH * scale;
    }
  };

  out.fill(SIM_COLOURS.background, 0, rect.width * rect.height);
  fill(layout.header, SIM_COLOURS.header);
  text(inset(layout.header, 8, 8), `PVE-SIM CONSOLE  VM ${state.vmid}`, 2, SIM_COLOURS.headerText);
  text(layout.title, state.name, 3, SIM_COLOURS.text);
  text(layout.vmid, `VMID ${state.vmid}`, 2, SIM_COLOURS.muted);
  text(layout.counter, counterText(state), 2, SIM_COLOURS.text);
  fill(layout.pulse, pulseColour(state.frame));
  text(layout.input, state.inputLine, 2, SIM_COLOURS.muted);
  const band = intersect(layout.band, rect);
  if (band) {
    for (let y = band.y; y < band.y + band.height; y++) {
      let o = (y - rect.y) * rect.width + (band.x - rect.x);
      for (let x = band.x; x < band.x + band.width; x++) out[o++] = bandColour(layout, state.frame, x, y);
    }
  }
  fill(layout.marker, SIM_COLOURS.marker);
}

const EMPTY: Rect = { x: 0, y: 0, width: 0, height: 0 };

function inset(r: Rect, dx: number, dy: number): Rect {
  return { x: r.x + dx, y: r.y + dy, width: r.width - 2 * dx, height: r.height - 2 * dy };
}
