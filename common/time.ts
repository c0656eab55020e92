// Timestamps travel as ISO 8601 strings in UTC; the database stores epoch milliseconds.
import { z } from 'zod';

export const IsoDate = z.iso.datetime({ offset: true });

export function toIso(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(ms).toISOString();
}
