// Accessibility check of the page as it stands, with axe-core (the engine behind Lighthouse's
// and Playwright's accessibility audits): WCAG 2.1 A and AA rules, colour contrast included.
// @axe-core/playwright would do the injection, but its current release needs Node 22; the engine
// itself is injected here through the DevTools protocol, which the page's CSP does not govern.
// page.evaluate callbacks run in the browser, hence the DOM types:
/// <reference lib="dom" />

import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Every WCAG 2.1 A/AA violation on the page, one line per rule with the elements it found. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<any> } }).axe;
    return axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
  });
  return (results.violations as any[]).map((v) => ({
    rule: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    targets: (v.nodes as any[]).slice(0, 5).map((n) => {
      const why =
        String(n.failureSummary ?? '')
          .split('\n')[1]
          ?.trim() ?? '';
      return `${(n.target as string[]).join(' ')} ${String(n.html).slice(0, 160)}${why ? ` — ${why}` : ''}`;
    }),
  }));
}

/** A readable report for a failed expectation. */
export function describeFindings(where: string, findings: AxeFinding[]): string[] {
  return findings.map((f) => `${where}: ${f.rule} (${f.impact}) ${f.help}\n    ${f.targets.join('\n    ')}`);
}
