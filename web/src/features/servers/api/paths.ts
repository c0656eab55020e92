// URL builders for the servers API, so every operation spells the paths the same way.
export const serversPath = (tenantId: string) => `/api/tenants/${encodeURIComponent(tenantId)}/servers`;
export const serverPath = (tenantId: string, serverId: string) =>
  `${serversPath(tenantId)}/${encodeURIComponent(serverId)}`;
