// Types of build-lib.mjs (plain JavaScript so it runs before anything is compiled), for the
// TypeScript scripts that import it (scripts/demo.ts).
export const ROOT: string;
export function inputsFingerprint(): string;
export function buildIsCurrent(): boolean;
export function build(opts?: { quiet?: boolean }): Promise<void>;
