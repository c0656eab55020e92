// Setup of the `web` test project: unmount what each test rendered (Testing Library cleans up by
// itself only with vitest globals, which this repository does not turn on), and the one browser
// API jsdom lacks that Radix measures elements with.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(cleanup);

if (!('ResizeObserver' in globalThis)) {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
