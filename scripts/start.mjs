// `npm start`: builds only when the sources changed since the last build, then runs the server.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, buildIsCurrent, ROOT } from './build-lib.mjs';

if (!buildIsCurrent()) {
  process.stdout.write('Building Nexus (first start or sources changed)…\n');
  await build({ quiet: true });
}
await import(pathToFileURL(path.join(ROOT, 'dist', 'server', 'main.js')).href);
