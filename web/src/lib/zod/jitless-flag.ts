// Sets zod's global config before zod's own modules are evaluated (see zod-jitless.ts).
// Imports nothing on purpose.
const g = globalThis as { __zod_globalConfig?: Record<string, unknown> };
g.__zod_globalConfig = { ...g.__zod_globalConfig, jitless: true };

export {};
