// Structural authorization: every route declares `config.access`; registering a route without
// one throws at start-up. Authentication runs on every request, authorization before the body
// is even parsed, so a caller without the right gets 401/403/404 whatever they send.

import { isGlobalPermission, type Permission } from '@common/permissions';
import { parseUuid, parseVmid, VMID_MESSAGE } from '@common/schemas/shared';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../lib/app-error';
import { type Actor, authorize, authorizeToken, type Decision, type Target, type TenantScope } from '../policy/policy';

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
    /** Open to a session that must enrol a second factor first (its account, enrolment, sign-out). */
    duringEnrolment?: boolean;
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

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const DECISION_MESSAGES: Record<Exclude<Decision, { allowed: true }>['code'], string> = {
  'auth.unauthenticated': 'Sign in first',
  'auth.token_scope': 'This API token may not be used for this',
  'auth.mfa_required': 'This tenant requires a second factor: set one up on your account page',
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

/**
 * What a route acts on, read with the same parsers as the route schemas: the policy and the
 * handler must agree on the object. A malformed id names no object — never a wider one.
 */
function targetFor(
  params: Record<string, string | undefined>,
  scope: TenantScope,
): { target: Target } | { malformed: { path: string; message: string } } {
  if (params.serverId === undefined) return { target: { kind: 'tenant', scope } };
  const serverId = parseUuid(params.serverId);
  if (serverId === null) return { malformed: { path: 'serverId', message: 'must be a UUID' } };
  if (params.vmid === undefined) return { target: { kind: 'server', scope, serverId } };
  const vmid = parseVmid(params.vmid);
  if (vmid === null) return { malformed: { path: 'vmid', message: VMID_MESSAGE } };
  return { target: { kind: 'guest', scope, serverId, vmid } };
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
    if (actor.mustEnrol && request.routeOptions.config.duringEnrolment !== true) {
      throw new AppError('auth.mfa_enrolment_required', 'Set up a second factor first (your account page)');
    }
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
    let malformed: { path: string; message: string } | null = null;
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    if (isGlobalPermission(access)) {
      decision = authorize(actor, access, { kind: 'global' });
    } else {
      const tenantId = parseUuid(params.tenantId);
      const scope: TenantScope = tenantId
        ? await hooks.loadScope(actor, tenantId)
        : { tenantId: params.tenantId ?? '', exists: false, active: false, role: null, assignments: null };
      request.scope = scope;
      const resolved = targetFor(params, scope);
      // A malformed id is judged on the tenant: whoever may not act there is refused as usual,
      // whoever may gets 400 — never a server-level decision standing in for a guest.
      if ('malformed' in resolved) malformed = resolved.malformed;
      decision = authorize(actor, access, 'target' in resolved ? resolved.target : { kind: 'tenant', scope });
    }
    if (!decision.allowed) {
      await hooks.onDenied(request, decision, access);
      throw decisionError(decision);
    }
    if (malformed) {
      throw new AppError('http.validation_failed', 'The request is not valid', {
        details: [{ in: 'params', ...malformed }],
      });
    }
  });
}
