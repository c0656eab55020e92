import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Dev mode: `npm run dev` serves the SPA here and proxies the API (and console WebSockets)
// to the Nexus server on :8080.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: [
      { find: '@common', replacement: fileURLToPath(new URL('../common', import.meta.url)) },
      { find: '@', replacement: fileURLToPath(new URL('./src', import.meta.url)) },
      // Zod in jitless mode, configured before it loads: its `new Function` probe would be a
      // CSP violation (script-src 'self', no 'unsafe-eval'). See src/lib/zod/zod-jitless.ts.
      { find: /^zod$/, replacement: fileURLToPath(new URL('./src/lib/zod/zod-jitless.ts', import.meta.url)) },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', ws: true, changeOrigin: false },
      '/healthz': 'http://127.0.0.1:8080',
    },
  },
});
