// Users, API tokens, login tickets and CSRF tokens of one cluster, and the permission
// computation of PVE::RPCEnvironment (ACLs, pools, privilege separation) on top of them.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { authError } from '../http/pve-error';
import type { ParsedAcl } from '../scenario/scenario.schema';
import {
  type AclEntry,
  aclPrivileges,
  allPrivileges,
  BUILTIN_ROLES,
  intersectPrivs,
  type PrivSet,
  unionPrivs,
} from './privileges';
import { hex8 } from './tasks';

export interface SimUser {
  userid: string;
  password?: string;
  enabled: boolean;
  expire: number;
  acls: AclEntry[];
}

export interface SimToken {
  userid: string;
  tokenid: string;
  secret: string;
  privsep: boolean;
  expire: number;
  acls: AclEntry[];
}

/** Who a request runs as: `user@realm`, or `user@realm!token` for an API token. */
export interface AuthId {
  authid: string;
  userid: string;
  token: string | null;
}

const TICKET_LIFETIME_S = 7200;
/** pve-access-control accepts tickets up to 5 minutes from the future (clock skew). */
const TICKET_MIN_AGE_S = -300;

export class Accounts {
  readonly users = new Map<string, SimUser>();
  readonly tokens = new Map<string, SimToken>();
  readonly roles = new Map<string, readonly string[]>(Object.entries(BUILTIN_ROLES));
  /** Stands in for /etc/pve/authkey.key: signs tickets and CSRF tokens cluster-wide. */
  private readonly authKey = randomBytes(32);

  constructor(private readonly now: () => number = Date.now) {}

  resolveAcls(specs: readonly ParsedAcl[]): AclEntry[] {
    return specs.map((spec) => {
      const privs = spec.privs ?? this.roles.get(spec.role ?? '');
      if (!privs) throw new Error(`unknown role '${spec.role}'`);
      return { path: spec.path, privs, propagate: spec.propagate };
    });
  }

  addUser(user: SimUser): void {
    this.users.set(user.userid, user);
  }

  addToken(token: SimToken): string {
    this.tokens.set(`${token.userid}!${token.tokenid}`, token);
    return `${token.userid}!${token.tokenid}=${token.secret}`;
  }

  static newSecret(): string {
    return randomUUID();
  }

  private checkUserEnabled(userid: string): SimUser {
    const user = this.users.get(userid);
    if (!user) throw authError(`no such user ('${userid}')`);
    if (!user.enabled) throw authError(`user '${userid}' is disabled`);
    if (user.expire && user.expire < this.now() / 1000) throw authError(`account expired`);
    return user;
  }

  /** PVE::AccessControl::verify_token: `USER@REALM!TOKENID=SECRET` → the token's authid. */
  verifyToken(value: string): AuthId {
    const m = /^(.*)=(.*)$/.exec(value);
    if (!m) throw authError('no tokenid specified');
    const tokenid = m[1] ?? '';
    const secret = m[2] ?? '';
    const tm = /^(.+@[^!]+)!([^!]+)$/.exec(tokenid);
    if (!tm) throw authError(`'${tokenid}' is not a valid token ID`);
    const userid = tm[1] ?? '';
    const name = tm[2] ?? '';
    this.checkUserEnabled(userid);
    const token = this.tokens.get(tokenid);
    if (!token) throw authError(`no such token '${name}' for user '${userid}'`);
    if (token.expire && token.expire < this.now() / 1000) throw authError('token expired');
    if (!safeEqual(token.secret, secret)) throw authError('invalid token value!');
    return { authid: tokenid, userid, token: name };
  }

  /** POST /access/ticket: password check; a valid ticket also works as password (renewal). */
  login(userid: string, password: string): AuthId {
    const user = this.users.get(userid);
    const ok =
      user?.enabled === true &&
      (!user.expire || user.expire >= this.now() / 1000) &&
      ((user.password !== undefined && safeEqual(user.password, password)) || this.verifyTicket(password) === userid);
    // Same answer whatever failed, as pve-access-control does against user enumeration.
    if (!ok) throw authError('authentication failure');
    return { authid: userid, userid, token: null };
  }

  private sign(data: string): string {
    return createHmac('sha512', this.authKey).update(data).digest('base64');
  }

  createTicket(userid: string): string {
    const plain = `PVE:${userid}:${hexTime(this.now())}`;
    return `${plain}::${this.sign(plain)}`;
  }

  /** The ticket's user, or null when forged or expired. */
  verifyTicket(ticket: string): string | null {
    const m = /^(PVE:(\S+?):([0-9A-F]{8}))::(\S+)$/.exec(ticket);
    if (!m || !safeEqual(this.sign(m[1] ?? ''), m[4] ?? '')) return null;
    const age = this.now() / 1000 - Number.parseInt(m[3] ?? '0', 16);
    if (age < TICKET_MIN_AGE_S || age > TICKET_LIFETIME_S) return null;
    const userid = m[2] ?? '';
    const user = this.users.get(userid);
    return user?.enabled ? userid : null;
  }

  csrfToken(userid: string): string {
    const time = hexTime(this.now());
    return `${time}:${createHmac('sha256', this.authKey).update(`${time}:${userid}`).digest('base64').replace(/=+$/, '')}`;
  }

  verifyCsrf(userid: string, token: string | undefined): boolean {
    const m = /^([0-9A-F]{8}):(\S+)$/.exec(token ?? '');
    if (!m) return false;
    const expected = createHmac('sha256', this.authKey).update(`${m[1]}:${userid}`).digest('base64').replace(/=+$/, '');
    const age = this.now() / 1000 - Number.parseInt(m[1] ?? '0', 16);
    return safeEqual(expected, m[2] ?? '') && age >= TICKET_MIN_AGE_S && age <= TICKET_LIFETIME_S;
  }

  private userPrivileges(userid: string, path: string, pool: string | undefined): PrivSet {
    if (userid === 'root@pam') return allPrivileges();
    const user = this.users.get(userid);
    if (!user?.enabled) return new Map();
    return withPool(user.acls, path, pool);
  }

  /** Effective privileges of an authid on a path (priv → propagate), after privilege separation.
   * `pool` is the pool of the guest when path is /vms/{vmid}. */
  permissions(who: AuthId, path: string, pool?: string): PrivSet {
    const userPrivs = this.userPrivileges(who.userid, path, pool);
    if (who.token === null) return userPrivs;
    const token = this.tokens.get(who.authid);
    if (!token) return new Map();
    return token.privsep ? intersectPrivs(userPrivs, withPool(token.acls, path, pool)) : userPrivs;
  }

  /** Every ACL path known to the cluster, for /access/permissions. */
  aclPaths(): string[] {
    const paths = new Set<string>();
    for (const user of this.users.values()) for (const acl of user.acls) paths.add(acl.path);
    for (const token of this.tokens.values()) for (const acl of token.acls) paths.add(acl.path);
    return [...paths];
  }
}

function withPool(acls: readonly AclEntry[], path: string, pool: string | undefined): PrivSet {
  const direct = aclPrivileges(acls, path);
  return pool ? unionPrivs(direct, aclPrivileges(acls, `/pool/${pool}`)) : direct;
}

function hexTime(ms: number): string {
  return hex8(Math.floor(ms / 1000));
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
