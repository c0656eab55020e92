// `npm run dev`: the API with reload (tsx watch) on :8080 and Vite's dev server on :5173
// proxying /api to it. Stops both on Ctrl+C.
import { spawn } from 'node:child_process';
import { ROOT } from './build-lib.mjs';

const children = [
  spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'server/src/main.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
  }),
  spawn('npx', ['vite', '--config', 'web/vite.config.ts'], { cwd: ROOT, stdio: 'inherit' }),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', stop);
