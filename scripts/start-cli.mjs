// `npm run nexus -- <command>` and `npm run db:migrate`: the operator CLI, built like `npm start`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, buildIsCurrent, ROOT } from './build-lib.mjs';

if (!buildIsCurrent()) await build({ quiet: true });
await import(pathToFileURL(path.join(ROOT, 'dist', 'server', 'cli.js')).href);
