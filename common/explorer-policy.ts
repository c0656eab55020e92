// What the Proxmox API explorer relays, and for whom (docs/SECURITY.md lists the same rules).
// The explorer calls Proxmox with the server's own token, so it must never hand out what the
// console path protects: endpoints that mint tickets or tokens, reach inside guests or their
// backups, or make Proxmox fetch or send data elsewhere are refused for everyone, global admins
// included. Admins (tenant and global) may send anything else; managers and viewers may only
// read status, configuration, RRD data, tasks and the indexes that lead there.
// Isomorphic: the server decides with it, the web explorer uses it to mark paths in its tree.

export type ExplorerMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** `admin`: tenant admins and global admins; `member`: managers and viewers. */
export type ExplorerRole = 'admin' | 'member';

export type ExplorerVerdict =
  | { allowed: true }
  | {
      allowed: false;
      code: 'explorer.endpoint_denied' | 'explorer.not_allowed';
      /** The rule that refused, as written in the lists below. */
      rule: string;
      /** Why, in a sentence for the person who asked. */
      reason: string;
    };

interface DenyRule {
  /** Segments; `*` inside a segment matches any characters, `a|b` either; matches this path and below. */
  pattern: string;
  /** Only these methods (default: all). */
  methods?: readonly ExplorerMethod[];
  reason: string;
}

const GUEST = '/nodes/*/qemu|lxc/*';
const TICKETS = 'It mints a console or session ticket; open consoles through Nexus instead.';
const INSIDE = 'It reaches inside the guest; the console is the only way in.';

/** Refused for every caller and every method (unless `methods` narrows it). */
export const EXPLORER_DENY: readonly DenyRule[] = [
  { pattern: `${GUEST}/vncproxy|termproxy|spiceproxy|vncwebsocket`, reason: TICKETS },
  { pattern: `${GUEST}/mtunnel|mtunnelwebsocket`, reason: 'It opens a migration tunnel with its own ticket.' },
  { pattern: '/nodes/*/vncshell|termproxy|spiceshell|vncwebsocket', reason: TICKETS },
  { pattern: '/nodes/*/qemu/*/agent/exec*|file-*|set-user-password', reason: INSIDE },
  {
    pattern: '/nodes/*/qemu/*/monitor',
    reason: 'QEMU monitor commands can read guest memory and set console passwords.',
  },
  { pattern: `${GUEST}/remote_migrate`, reason: 'It moves the guest and its disks to another cluster.' },
  {
    pattern: '/nodes/*/execute',
    reason: 'It runs a batch of API calls, which would bypass these rules.',
  },
  { pattern: '/nodes/*/storage/*/file-restore', reason: 'It reads files out of backups.' },
  {
    pattern: '/nodes/*/storage/*/upload|download-url|oci-registry-pull',
    reason: 'The explorer is not a file transfer channel into storage.',
  },
  {
    pattern: '/nodes/*/query-url-metadata|query-oci-repo-tags',
    reason: 'It makes Proxmox fetch an address of the caller’s choosing.',
  },
  { pattern: '/access/ticket|vncticket', reason: TICKETS },
  { pattern: '/access/users/*/token*', reason: 'It reads or mints Proxmox API tokens.' },
  {
    pattern: '/access',
    methods: ['POST', 'PUT', 'DELETE'],
    reason: 'Users, passwords, second factors, tokens and ACLs on Proxmox are not changed through Nexus.',
  },
];

/** GETs managers and viewers may send: exactly these paths (`*` one segment). */
export const EXPLORER_MEMBER_READS: readonly string[] = [
  '/',
  '/version',
  '/cluster',
  '/cluster/status',
  '/cluster/resources',
  '/cluster/tasks',
  '/nodes',
  '/nodes/*',
  '/nodes/*/status',
  '/nodes/*/version',
  '/nodes/*/rrd',
  '/nodes/*/rrddata',
  '/nodes/*/tasks',
  '/nodes/*/tasks/*',
  '/nodes/*/tasks/*/status',
  '/nodes/*/tasks/*/log',
  '/nodes/*/qemu|lxc',
  GUEST,
  `${GUEST}/status`,
  `${GUEST}/status/current`,
  `${GUEST}/config`,
  `${GUEST}/rrd`,
  `${GUEST}/rrddata`,
  '/nodes/*/storage',
  '/nodes/*/storage/*',
  '/nodes/*/storage/*/status',
  '/nodes/*/storage/*/rrd',
  '/nodes/*/storage/*/rrddata',
];

const MEMBER_REASON =
  'Managers and viewers may read only status, configuration, RRD data, tasks and the indexes leading there.';

type SegmentMatcher = (segment: string) => boolean;

function segmentMatcher(glob: string): SegmentMatcher {
  if (glob === '*') return () => true;
  const alternatives = glob.split('|').map((alt) => {
    const source = alt
      .split('*')
      .map((part) => part.replace(/[.+?^${}()[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${source}$`, 'i');
  });
  return (segment) => alternatives.some((re) => re.test(segment));
}

const compile = (pattern: string): SegmentMatcher[] => splitPath(pattern).map(segmentMatcher);

const DENY = EXPLORER_DENY.map((rule) => ({ ...rule, matchers: compile(rule.pattern) }));
const MEMBER_READS = EXPLORER_MEMBER_READS.map((pattern) => ({ pattern, matchers: compile(pattern) }));

/** `/a/b%40c/` → ['a', 'b@c']; segments are compared decoded, so `%76ncproxy` is `vncproxy`. */
function splitPath(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

const startsWith = (segments: string[], matchers: SegmentMatcher[]) =>
  segments.length >= matchers.length && matchers.every((m, i) => m(segments[i] ?? ''));

const exactly = (segments: string[], matchers: SegmentMatcher[]) =>
  segments.length === matchers.length && startsWith(segments, matchers);

/** The explorer's decision for one request; `path` is below /api2/json, encoded or not. */
export function explorerVerdict(method: ExplorerMethod, path: string, role: ExplorerRole): ExplorerVerdict {
  const segments = splitPath(path);
  for (const rule of DENY) {
    if (rule.methods && !rule.methods.includes(method)) continue;
    if (startsWith(segments, rule.matchers)) {
      return { allowed: false, code: 'explorer.endpoint_denied', rule: rule.pattern, reason: rule.reason };
    }
  }
  if (role === 'admin') return { allowed: true };
  if (method === 'GET') {
    if (MEMBER_READS.some((r) => exactly(segments, r.matchers))) return { allowed: true };
    return { allowed: false, code: 'explorer.not_allowed', rule: 'member read allowlist', reason: MEMBER_REASON };
  }
  return { allowed: false, code: 'explorer.not_allowed', rule: 'admins only', reason: 'Only admins may write.' };
}
