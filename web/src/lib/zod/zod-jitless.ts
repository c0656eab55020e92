// What `import … from 'zod'` resolves to in the web build (alias in vite.config.ts). Zod probes
// `new Function` when an object schema is created; under our CSP (no 'unsafe-eval') the probe is
// refused and reported as a violation. Jitless mode, set before zod loads, skips the probe.
import './jitless-flag';

export * from 'zod/v4';
export { default } from 'zod/v4';
