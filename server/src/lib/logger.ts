// pino, configured so secrets cannot reach a log line: credentials headers are redacted and
// console tickets, share links and invitation tokens are scrubbed from every logged URL.
import pino, { type DestinationStream, type Logger } from 'pino';

const SECRET_PATH_SEGMENTS = /\/(consoles|invitations|setup|shares|share|share-consoles)\/[^/?#]+/g;
const SECRET_QUERY = /([?&](?:token|ticket|vncticket|password|secret)=)[^&#]*/gi;

export function scrubUrl(url: string): string {
  return url.replace(SECRET_PATH_SEGMENTS, '/$1/[redacted]').replace(SECRET_QUERY, '$1[redacted]');
}

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.apiToken',
  '*.token',
  '*.secret',
  '*.ticket',
  '*.vncticket',
  '*.csrfToken',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; id: string; ip?: string; headers?: Record<string, unknown> }) => ({
          id: req.id,
          method: req.method,
          url: scrubUrl(req.url),
          ip: req.ip,
          userAgent: req.headers?.['user-agent'],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}

export type { Logger };
