// Where the suite writes its screenshots: test-results/screenshots normally, docs/screenshots
// (what the README shows) with NEXUS_SCREENSHOTS=docs — `npm run screenshots` — so an ordinary
// test run leaves the working tree clean.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SCREENSHOT_DIR =
  process.env.NEXUS_SCREENSHOTS === 'docs'
    ? path.join(ROOT, 'docs', 'screenshots')
    : path.join(ROOT, 'test-results', 'screenshots');

fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
