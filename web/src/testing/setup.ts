// Setup of the `web` test project: unmount what each test rendered (Testing Library cleans up by
// itself only with vitest globals, which this repository does not turn on).
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(cleanup);
