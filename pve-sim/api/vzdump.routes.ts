// POST /nodes/{node}/vzdump, with every parameter of apidata.json (most are accepted and only show
// in the job's command line); the behaviour is in vzdump.ts.
import { P } from '../http/param-schema';
import type { RouteDef } from '../http/route-table';
import { vzdump } from './vzdump';

const optInt = (extra: { minimum?: number; maximum?: number; default?: number } = {}) =>
  ({ type: 'integer', optional: 1, ...extra }) as const;

export const vzdumpRoutes: RouteDef[] = [
  {
    path: '/nodes/{node}/vzdump',
    methods: {
      POST: {
        name: 'vzdump',
        params: {
          all: { type: 'boolean', optional: 1, default: 0 },
          bwlimit: optInt({ minimum: 0, default: 0 }),
          compress: { type: 'string', optional: 1, enum: ['0', '1', 'gzip', 'lzo', 'zstd'], default: '0' },
          dumpdir: P.optString,
          exclude: { type: 'string', optional: 1, format: 'pve-vmid-list' },
          'exclude-path': { type: 'array', optional: 1, items: { type: 'string' } },
          fleecing: { type: 'string', optional: 1, format: 'backup-fleecing' },
          ionice: optInt({ minimum: 0, maximum: 8, default: 7 }),
          'job-id': { type: 'string', optional: 1, maxLength: 50, pattern: '\\S+' },
          lockwait: optInt({ minimum: 0, default: 180 }),
          mailnotification: { type: 'string', optional: 1, enum: ['always', 'failure'], default: 'always' },
          mailto: { type: 'string', optional: 1, format: 'email-or-username-list' },
          maxfiles: optInt({ minimum: 1 }),
          mode: { type: 'string', optional: 1, enum: ['snapshot', 'suspend', 'stop'], default: 'snapshot' },
          node: { type: 'string', optional: 1, format: 'pve-node' },
          'notes-template': { type: 'string', optional: 1, maxLength: 1024, requires: 'storage' },
          'notification-mode': {
            type: 'string',
            optional: 1,
            enum: ['auto', 'legacy-sendmail', 'notification-system'],
            default: 'auto',
          },
          'pbs-change-detection-mode': { type: 'string', optional: 1, enum: ['legacy', 'data', 'metadata'] },
          performance: { type: 'string', optional: 1, format: 'backup-performance' },
          pigz: optInt({ default: 0 }),
          pool: P.optString,
          protected: { type: 'boolean', optional: 1, requires: 'storage' },
          'prune-backups': { type: 'string', optional: 1, format: 'prune-backups', default: 'keep-all=1' },
          quiet: { type: 'boolean', optional: 1, default: 0 },
          remove: { type: 'boolean', optional: 1, default: 1 },
          script: P.optString,
          stdexcludes: { type: 'boolean', optional: 1, default: 1 },
          stdout: P.optBool,
          stop: { type: 'boolean', optional: 1, default: 0 },
          stopwait: optInt({ minimum: 0, default: 10 }),
          storage: { ...P.storage, optional: 1 },
          tmpdir: P.optString,
          vmid: { type: 'string', optional: 1, format: 'pve-vmid-list' },
          zstd: optInt({ default: 1 }),
        },
        // VM.Backup per guest and Datastore.AllocateSpace on the storage are checked by the handler.
        permissions: { user: 'all' },
        proxyto: 'node',
        handler: vzdump,
      },
    },
  },
];
