// Reading the console from the page: the connection phase the toolbar reports, and pixels of
// noVNC's canvas (in framebuffer coordinates, whatever the CSS scaling).
// page.evaluate callbacks run in the browser, hence the DOM types:
/// <reference lib="dom" />
import type { Page } from 'playwright-core';

export async function consolePhase(page: Page): Promise<string | null> {
  return page.getByTestId('console-status').getAttribute('data-phase');
}

export async function waitForPhase(page: Page, phases: string[], timeoutMs = 20_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const phase = await consolePhase(page).catch(() => null);
    if (phase && phases.includes(phase)) return phase;
    if (Date.now() > end) throw new Error(`console phase ${phase} never became one of ${phases.join(', ')}`);
    await page.waitForTimeout(100);
  }
}

/** RGB of a framebuffer pixel; negative coordinates count from the right/bottom edge. */
export async function canvasPixel(
  page: Page,
  x: number,
  y: number,
  screen = 'console-screen',
): Promise<[number, number, number] | null> {
  return page.evaluate(
    ([px, py, testId]) => {
      const canvas = document.querySelector<HTMLCanvasElement>(`[data-testid="${testId}"] canvas`);
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx || canvas.width === 0) return null;
      const cx = px < 0 ? canvas.width + px : px;
      const cy = py < 0 ? canvas.height + py : py;
      const d = ctx.getImageData(cx, cy, 1, 1).data;
      return [d[0] ?? 0, d[1] ?? 0, d[2] ?? 0] as [number, number, number];
    },
    [x, y, screen] as const,
  );
}

const near = (a: [number, number, number], b: [number, number, number]) =>
  a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= 8);

/** Waits until pve-sim's picture is on the canvas: its orange header bar and magenta corner marker. */
export async function waitForSimFrame(page: Page, timeoutMs = 15_000, screen = 'console-screen'): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    const header = await canvasPixel(page, 4, 4, screen);
    const marker = await canvasPixel(page, -6, -6, screen);
    last = { header, marker };
    if (header && marker && near(header, [0xe5, 0x70, 0x00]) && near(marker, [0xff, 0x00, 0xff])) return;
    if (Date.now() > end) throw new Error(`pve-sim's frame never appeared: ${JSON.stringify(last)}`);
    await page.waitForTimeout(100);
  }
}
