// The web app's message catalogs (issue 24), checked in CI: the English catalog is what the code
// defines (`npm run i18n:extract` writes it), German, French and Spanish translate every message,
// every translation keeps its message's placeholders and tags, and no file under web/src holds UI
// text of its own.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseSource } from '@babel/parser';
import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { pseudoLocalize } from '../web/src/i18n/pseudo';

const ROOT = path.resolve(import.meta.dirname, '..');
const MESSAGES = path.join(ROOT, 'web/src/i18n/messages');
const catalog = (locale: string): Record<string, string> =>
  JSON.parse(fs.readFileSync(path.join(MESSAGES, `${locale}.json`), 'utf8'));

/** Where the app's UI text lives: every file under web/src but tests, test helpers and the
 * message catalogs themselves. */
const SOURCES = 'web/src';
const NOT_UI = [/\.test\.tsx?$/, /\/testing\//, /\/i18n\/messages\//, /messages\.ts$/, /\.d\.ts$/];

/** Names and unit symbols, not words: shown as they are in every language. */
const NAMES = new Set([
  'Nexus',
  'px',
  'CSV',
  'PIN',
  'null',
  '/api2/json/',
  'title="/api2/json"',
  'title=`… /api2/json/…?`',
  'placeholder="https://"',
  'placeholder="type=vm"',
  'placeholder="ops=acme:manager"',
]);

/** Attributes that show text to people. */
const TEXT_ATTRIBUTES = new Set([
  'title',
  'label',
  'description',
  'placeholder',
  'aria-label',
  'hint',
  'confirmLabel',
  'alt',
]);

function uiFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return uiFiles(full);
    return /\.tsx?$/.test(e.name) && !NOT_UI.some((re) => re.test(full)) ? [full] : [];
  });
}

/** Object properties that carry text to people (toasts, choices, table columns, dialogs). */
const TEXT_PROPERTIES = new Set(['title', 'label', 'description', 'placeholder', 'hint', 'confirmLabel']);
/** Calls whose first argument is shown to people. */
const TEXT_CALLS = new Set(['toastError']);

const words = (text: string) => /[A-Za-z]{2,}/.test(text);
/** A template literal's fixed parts, e.g. `Delete ${name}` → "Delete ". */
const templateText = (node: unknown) =>
  ((node as { quasis?: { value?: { cooked?: string } }[] }).quasis ?? []).map((q) => q.value?.cooked ?? '').join('…');

/** UI text written directly in the code: text between tags, in a text attribute, in a text
 * property of an object, or given to a toast. (Parsed with Babel: the TypeScript 7 compiler here
 * has no JavaScript API.) */
function literalTexts(file: string): string[] {
  const ast = parseSource(fs.readFileSync(file, 'utf8'), { sourceType: 'module', plugins: ['typescript', 'jsx'] });
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    const n = node as { type?: string; value?: unknown; name?: { name?: unknown }; [k: string]: unknown };
    if (n.type === 'JSXText' && typeof n.value === 'string' && /[A-Za-z]{2,}/.test(n.value)) found.push(n.value.trim());
    if (n.type === 'JSXAttribute' && TEXT_ATTRIBUTES.has(String(n.name?.name))) {
      const value = n.value as { type?: string; value?: unknown; expression?: unknown } | null;
      const inner = (value?.type === 'JSXExpressionContainer' ? value.expression : value) as {
        type?: string;
        value?: unknown;
      } | null;
      if (inner?.type === 'StringLiteral' && typeof inner.value === 'string' && words(inner.value)) {
        found.push(`${String(n.name?.name)}="${inner.value}"`);
      }
      if (inner?.type === 'TemplateLiteral' && words(templateText(inner))) {
        found.push(`${String(n.name?.name)}=\`${templateText(inner)}\``);
      }
    }
    if (n.type === 'ObjectProperty') {
      const key = n.key as { name?: unknown; value?: unknown } | undefined;
      const value = n.value as { type?: string; value?: unknown };
      if (TEXT_PROPERTIES.has(String(key?.name ?? key?.value))) {
        if (value?.type === 'StringLiteral' && typeof value.value === 'string' && words(value.value)) {
          found.push(`${String(key?.name ?? key?.value)}: '${value.value}'`);
        }
        if (value?.type === 'TemplateLiteral' && words(templateText(value))) {
          found.push(`${String(key?.name ?? key?.value)}: \`${templateText(value)}\``);
        }
      }
    }
    if (n.type === 'CallExpression') {
      const callee = n.callee as { name?: unknown } | undefined;
      const first = (n.arguments as { type?: string; value?: unknown }[] | undefined)?.[0];
      if (TEXT_CALLS.has(String(callee?.name)) && first?.type === 'StringLiteral' && words(String(first.value))) {
        found.push(`${String(callee?.name)}('${String(first.value)}')`);
      }
    }
    for (const [key, child] of Object.entries(n)) {
      if (key !== 'loc' && key !== 'start' && key !== 'end') visit(child);
    }
  };
  visit(ast.program);
  return found;
}

/** The placeholders and tags a message uses (a translation must use the same). */
function shape(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]): void => {
    for (const el of elements) {
      if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
      // An argument may be plain in one language and a plural in another: names, not kinds.
      names.add(el.type === TYPE.tag ? `tag:${el.value}` : `arg:${el.value}`);
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) walk(o.value);
      if (el.type === TYPE.tag) walk(el.children);
    }
  };
  walk(parse(message));
  return [...names].sort();
}

describe('message catalogs', () => {
  const en = catalog('en');

  it('the English catalog is what the code defines (run npm run i18n:extract)', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-i18n-')), 'en.json');
    const run = spawnSync(
      path.join(ROOT, 'node_modules/.bin/formatjs'),
      ['extract', 'web/src/**/*.{ts,tsx}', '--ignore', 'web/src/**/*.test.*', '--out-file', out, '--format', 'simple'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(en);
  });

  it.each(['de', 'fr', 'es'])('%s translates every message, keeping its placeholders and tags', (locale) => {
    const translated = catalog(locale);
    expect(Object.keys(translated).sort()).toEqual(Object.keys(en).sort());
    for (const [id, message] of Object.entries(translated)) expect(shape(message), id).toEqual(shape(en[id] ?? ''));
  });

  it('the pseudo-locale keeps every message valid, accented and padded', () => {
    const pseudo = pseudoLocalize(en);
    for (const [id, message] of Object.entries(pseudo)) {
      expect(shape(message), id).toEqual(shape(en[id] ?? ''));
      // Every message with words of its own comes out accented and padded.
      const words = /[A-Za-z]/.test((en[id] ?? '').replace(/\{\w+\}/g, ''));
      if (words) expect(message, id).toMatch(/·/);
    }
    expect(pseudo['nav.recordings']).toMatch(/^\[Ŕéçóŕðíñĝš·+\]$/);
  });

  it('no UI text is written outside a message', () => {
    const offenders = uiFiles(path.join(ROOT, SOURCES)).flatMap((file) =>
      literalTexts(file)
        .filter((text) => !NAMES.has(text))
        .map((text) => `${path.relative(ROOT, file)}: ${text}`),
    );
    // The check itself sees text of every kind it looks for.
    const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-i18n-')), 'probe.tsx');
    fs.writeFileSync(
      probe,
      `const a = <p title={\`Edit \${x}\`}>Hello there</p>; toastError('Could not save'); const c = { label: 'Some label' };`,
    );
    expect(literalTexts(probe)).toEqual([
      'title=`Edit …`',
      'Hello there',
      "toastError('Could not save')",
      "label: 'Some label'",
    ]);
    expect(offenders).toEqual([]);
  });
});
