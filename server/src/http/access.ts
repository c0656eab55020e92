// Structural authorization: every route declares `config.access`; registering a route without
// one throws at start-up. Authentication runs on every request, authorization before the body
// is even parsed, so a caller without the right gets 401/403/404 whatever they send.

import { isGlobalPermission, type Permission } from '@common/permissions';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { type Actor, authorize, authorizeToken, type Decision, type Target, type TenantScope } from '../policy/policy';
import { AppError } from './errors';

/**
 * `public`: anyone. `authenticated`: any signed-in user. `session`: a signed-in user through a
 * session, never an API token (own tokens, the account). Otherwise a catalogue permission.
 */
export type Access = 'public' | 'authenticated' | 'session' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Set by the route inventory for WebSocket routes (tokens need the `console` scope there). */
    websocket?: boolean;
    /** Write-style routes whose denials are audited (set automatically for non-GET). */
    auditDenials?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    scope: TenantScope | null;
  }
}

export interface RouteRecord {
  method: string;
  url: string;
  access: Access;
  websocket: boolean;
  /** The route's response schemas by status (zod), for tests that check every answer. */
  responses: Record<string, unknown>;
}

export interface AccessHooks {
  authenticate(request: FastifyRequest): Promise<Actor | null>;
  /** Runs after authentication for cookie sessions on unsafe methods (CSRF + Origin). */
  checkCsrf(request: FastifyRequest, actor: Actor): void;
  loadScope(actor: Actor, tenantId: string): Promise<TenantScope>;
  onDenied(request: FastifyRequest, decision: Exclude<Decision, { allowed: true }>, access: Access): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const DECISION_MESSAGES: Record<Exclude<Decision, { allowed: true }>['code'], string> = {
  'auth.unauthenticated': 'Sign in first',
  'auth.token_scope': 'This API token may not be used for this',
  'policy.forbidden': 'You do not have permission to do this',
  'tenant.inactive': 'This tenant is deactivated',
  'tenant.not_found': 'Tenant not found',
  'server.not_found': 'Server not found',
  'vm.not_found': 'Vm not found',
};

export function decisionError(decision: Exclude<Decision, { allowed: true }>): AppError {
  return new AppError(decision.code, DECISION_MESSAGES[decision.code], { status: decision.status });
}

/** Collects every route with its access, and refuses routes that declare none. */
export function installRouteInventory(app: FastifyInstance, routes: RouteRecord[]): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const access = route.config?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!access) {
      throw new Error(`route ${methods.join(',')} ${route.url} declares no access (config.access)`);
    }
    const websocket = Boolean((route as { websocket?: boolean }).websocket);
    if (websocket) route.config = { ...route.config, websocket };
    if (access !== 'public' && access !== 'authenticated' && access !== 'session' && !isGlobalPermission(access)) {
      if (!route.url.includes(':tenantId')) {
        throw new Error(`route ${route.url} needs tenant permission ${access} but has no :tenantId`);
      }
    }
    for (const method of methods) {
      routes.push({
        method: String(method),
        url: route.url,
        access,
        responses: (route.schema?.response ?? {}) as Record<string, unknown>,
        websocket,
      });
    }
  });
}

function targetFor(request: FastifyRequest, scope: TenantScope): Target {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const serverId = params.serverId;
  if (serverId === undefined) return { kind: 'tenant', scope };
  const vmidText = params.vmid;
  if (vmidText !== undefined && /^\d{1,9}$/.test(vmidText)) {
    return { kind: 'guest', scope, serverId, vmid: Number(vmidText) };
  }
  return { kind: 'server', scope, serverId };
}

export function installAccessControl(app: FastifyInstance, hooks: AccessHooks): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('scope', null);

  app.addHook('onRequest', async (request) => {
    request.actor = await hooks.authenticate(request);
  });

  app.addHook('preParsing', async (request) => {
    if (request.is404) return; // the not-found handler answers without touching anything
    const access = request.routeOptions.config.access;
    if (!access) throw new AppError('http.not_found', 'Not found');
    if (access === 'public') return;
    const actor = request.actor;
    if (!actor) throw decisionError({ allowed: false, status: 401, code: 'auth.unauthenticated' });
    if (actor.via === 'session' && !SAFE_METHODS.has(request.method)) hooks.checkCsrf(request, actor);
    // An API token's scope is checked before any tenant is looked at: the answer cannot tell
    // whether the target exists.
    const byToken = authorizeToken(actor, {
      access,
      method: request.method,
      websocket: request.routeOptions.config.websocket === true,
    });
    if (!byToken.allowed) {
      await hooks.onDenied(request, byToken, access);
      throw decisionError(byToken);
    }
    if (access === 'authenticated' || access === 'session') return;

    let decision: Decision;
    if (isGlobalPermission(access)) {
      decision = authorize(actor, access, { kind: 'global' });
    } else {
      const tenantId = (request.params as Record<string, string | undefined>).tenantId ?? '';
      const scope: TenantScope = UUID.test(tenantId)
        ? await hooks.loadScope(actor, tenantId.toLowerCase())
        : { tenantId, exists: false, active: false, role: null, assignments: null };
      request.scope = scope;
      decision = authorize(actor, access, targetFor(request, scope));
    }
    if (!decision.allowed) {
      await hooks.onDenied(request, decision, access);
      throw decisionError(decision);
    }
  });
}
