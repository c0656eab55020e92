// POST /api/auth/setup: the first global admin, from the one-time setup link printed at start.
import type { SetupBody } from '@common/schemas/auth';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { startSession } from './start-session';

export type SetupInput = z.input<typeof SetupBody>;

export function completeSetup(body: SetupInput) {
  return startSession('/api/auth/setup', body);
}

export function useCompleteSetup() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: completeSetup, onSuccess: () => qc.removeQueries() });
}
