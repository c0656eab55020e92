// Outbound alerts: a tenant's channels (their tests and recent deliveries), per-server mutes,
// and the signed-in user's own alert e-mails. A webhook secret goes in and never comes back.
import type {
  AlertMute,
  ChannelTestResult,
  CreateChannelBody,
  Delivery,
  NotificationChannel,
  PersonalAlerts,
  UpdateChannelBody,
} from '@common/schemas/alerts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '@/lib/api-client';

export type Channel = NotificationChannel;
export type { AlertMute, Delivery, PersonalAlerts };
export type TestResult = z.infer<typeof ChannelTestResult>;

const channelsKey = (tenantId: string) => ['tenants', tenantId, 'notification-channels'] as const;
const mutesKey = (tenantId: string) => ['tenants', tenantId, 'alert-mutes'] as const;
const channelsPath = (tenantId: string) => `/api/tenants/${tenantId}/notification-channels`;

export function useChannels(tenantId: string) {
  return useQuery({
    queryKey: channelsKey(tenantId),
    queryFn: () => api<{ channels: Channel[] }>(channelsPath(tenantId)),
    refetchInterval: 30_000,
  });
}

export function useSaveChannel(tenantId: string, channelId: string | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof CreateChannelBody> | UpdateChannelBody) =>
      channelId
        ? api<Channel>(`${channelsPath(tenantId)}/${channelId}`, { method: 'PATCH', body })
        : api<Channel>(channelsPath(tenantId), { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: channelsKey(tenantId) }),
  });
}

export function useDeleteChannel(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (channelId: string) => api(`${channelsPath(tenantId)}/${channelId}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: channelsKey(tenantId) }),
  });
}

export function useTestChannel(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (channelId: string) =>
      api<TestResult>(`${channelsPath(tenantId)}/${channelId}/test`, { method: 'POST' }),
    onSettled: () => qc.invalidateQueries({ queryKey: channelsKey(tenantId) }),
  });
}

export function useDeliveries(tenantId: string, channelId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...channelsKey(tenantId), channelId, 'deliveries'],
    queryFn: () => api<{ deliveries: Delivery[] }>(`${channelsPath(tenantId)}/${channelId}/deliveries`),
    enabled,
  });
}

export function useMutes(tenantId: string) {
  return useQuery({
    queryKey: mutesKey(tenantId),
    queryFn: () => api<{ mutes: AlertMute[] }>(`/api/tenants/${tenantId}/alert-mutes`),
  });
}

export function useMute(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ serverId, until, reason }: { serverId: string; until: string; reason: string | null }) =>
      api<AlertMute>(`/api/tenants/${tenantId}/alert-mutes/${serverId}`, { method: 'PUT', body: { until, reason } }),
    onSettled: () => qc.invalidateQueries({ queryKey: mutesKey(tenantId) }),
  });
}

export function useUnmute(tenantId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (serverId: string) => api(`/api/tenants/${tenantId}/alert-mutes/${serverId}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: mutesKey(tenantId) }),
  });
}

const PERSONAL_KEY = ['account', 'alerts'] as const;

export function usePersonalAlerts() {
  return useQuery({ queryKey: PERSONAL_KEY, queryFn: () => api<PersonalAlerts>('/api/account/alerts') });
}

export function useSavePersonalAlerts() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: Partial<PersonalAlerts>) =>
      api<PersonalAlerts>('/api/account/alerts', { method: 'PUT', body: patch }),
    onSuccess: (data) => qc.setQueryData(PERSONAL_KEY, data),
  });
}
