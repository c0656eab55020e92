// Whether a page fits a phone: nothing the user needs sits beyond the viewport's right edge
// (unless inside something that scrolls sideways, like a table), the page itself does not scroll
// sideways, and every button has a name and a visible box of its own.
import type { Page } from 'playwright-core';

export async function phoneLayoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) {
      problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px > ${width}px)`);
    }
    const scrollsSideways = (el: Element | null): boolean => {
      for (let e = el; e && e !== document.body; e = e.parentElement) {
        const o = getComputedStyle(e).overflowX;
        if ((o === 'auto' || o === 'scroll') && e.scrollWidth > e.clientWidth) return true;
      }
      return false;
    };
    const label = (el: Element) =>
      `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const el of document.querySelectorAll(
      'main button, main a[href], main input, main select, main [role="alert"]',
    )) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not shown
      if (getComputedStyle(el).visibility === 'hidden') continue;
      if ((r.right > width + 1 || r.left < -1) && !scrollsSideways(el.parentElement)) {
        problems.push(`${label(el)} is cut off (${Math.round(r.left)}–${Math.round(r.right)}px of ${width}px)`);
      }
      if (el.tagName === 'BUTTON') {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
        const labelled = (el as HTMLButtonElement).labels?.length || el.getAttribute('aria-labelledby');
        if (!name && !labelled) problems.push(`a button without a name (${el.outerHTML.slice(0, 80)})`);
      }
    }
    return problems;
  });
}
