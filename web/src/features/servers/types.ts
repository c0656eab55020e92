// Types of the servers API, inferred from the shared schemas (one schema: server, client, docs).
import type {
  CreateServerBody,
  ImportResult as ImportResultSchema,
  ProbeResult as ProbeResultSchema,
  Server,
  ServerMetrics as ServerMetricsSchema,
  ServerTestResult,
  TlsMode as TlsModeSchema,
  UpdateServerBody,
} from '@common/schemas/servers';
import type { z } from 'zod';

export type ProxmoxServer = z.infer<typeof Server>;
export type ServerInput = z.input<typeof CreateServerBody>;
export type ServerPatch = z.input<typeof UpdateServerBody>;
export type TlsMode = z.infer<typeof TlsModeSchema>;
export type ProbeResult = z.infer<typeof ProbeResultSchema>;
export type TestResult = z.infer<typeof ServerTestResult>;
export type ImportResult = z.infer<typeof ImportResultSchema>;
export type ServerMetrics = z.infer<typeof ServerMetricsSchema>;
export type MetricBucket = ServerMetrics['buckets'][number];
