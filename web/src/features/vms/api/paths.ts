// URL builders for the inventory API.
export const vmsPath = (tenantId: string) => `/api/tenants/${encodeURIComponent(tenantId)}/vms`;
export const guestPath = (tenantId: string, serverId: string, vmid: number) =>
  `/api/tenants/${encodeURIComponent(tenantId)}/servers/${encodeURIComponent(serverId)}/vms/${vmid}`;
