// The plain context services receive instead of the request object (STYLE.md habit 2).
import type { FastifyRequest } from 'fastify';
import { AppError } from '../lib/app-error';
import type { AuditContext } from '../modules/audit/audit.service';
import type { Actor, TenantScope } from '../policy/policy';

export interface RequestContext {
  actor: Actor | null;
  scope: TenantScope | null;
  audit: AuditContext;
  ip: string;
  userAgent: string | null;
}

/** A context whose actor is known to be signed in (routes with access other than `public`). */
export interface AuthedContext extends RequestContext {
  actor: Actor;
}

export interface TenantContext extends AuthedContext {
  scope: TenantScope;
}

export function contextOf(request: FastifyRequest): RequestContext {
  const ua = request.headers['user-agent'];
  return {
    actor: request.actor,
    scope: request.scope,
    ip: request.ip,
    userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null,
    audit: {
      userId: request.actor?.userId ?? null,
      label: request.actor?.email ?? null,
      ip: request.ip,
      userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null,
    },
  };
}

export function authed(request: FastifyRequest): AuthedContext {
  const ctx = contextOf(request);
  if (!ctx.actor) throw new AppError('auth.unauthenticated', 'Sign in first');
  return ctx as AuthedContext;
}

export function tenantCtx(request: FastifyRequest): TenantContext {
  const ctx = authed(request);
  if (!ctx.scope) throw new AppError('http.internal', 'tenant route without a scope');
  return ctx as TenantContext;
}
