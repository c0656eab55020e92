// Console recordings of a tenant: the list, one recording's timeline facts, its data in windows
// (the player's), deletion (tenant admins).
import type { Recording, RecordingDetail } from '@common/schemas/recordings';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '@/lib/api-client';
import { qk } from '@/lib/query-keys';
import { type PlayerRecord, parseRecords } from '../player/records';

export type { Recording, RecordingDetail };

const base = (tenantId: string) => `/api/tenants/${encodeURIComponent(tenantId)}/recordings`;

export function useRecordings(tenantId: string) {
  return useQuery({
    queryKey: qk.recordings(tenantId),
    queryFn: () => api<{ recordings: Recording[] }>(base(tenantId)),
  });
}

export function useRecording(tenantId: string, recordingId: string) {
  return useQuery({
    queryKey: qk.recording(tenantId, recordingId),
    queryFn: () => api<RecordingDetail>(`${base(tenantId)}/${encodeURIComponent(recordingId)}`),
  });
}

export function useDeleteRecording(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (recordingId: string) =>
      api(`${base(tenantId)}/${encodeURIComponent(recordingId)}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: qk.recordings(tenantId) }),
  });
}

export function dataUrl(tenantId: string, recordingId: string, query: Record<string, number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const q = params.toString();
  return `${base(tenantId)}/${encodeURIComponent(recordingId)}/data${q ? `?${q}` : ''}`;
}

/** Binary, so not through `api` (which reads JSON); errors still arrive as ApiError. */
async function fetchData(url: string): Promise<Response> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? 'http.error', body?.error?.message ?? `HTTP ${res.status}`);
  }
  return res;
}

export async function fetchRecordingWindow(
  tenantId: string,
  recordingId: string,
  q: { from?: number; chunk?: number; to: number },
): Promise<{ records: PlayerRecord[]; next: number | null }> {
  const res = await fetchData(dataUrl(tenantId, recordingId, q));
  const next = res.headers.get('x-recording-next-chunk');
  return { records: parseRecords(await res.arrayBuffer()), next: next === null ? null : Number(next) };
}

export async function fetchAsciicast(tenantId: string, recordingId: string): Promise<string> {
  return (await fetchData(dataUrl(tenantId, recordingId))).text();
}
