// /tenants/:tenantId/recordings/:recordingId: the player (noVNC or xterm.js) with its timeline.
import { useIntl } from 'react-intl';
import { useParams } from 'react-router';
import { Page } from '@/components/page';
import { QueryView } from '@/components/query-view';
import { Card, CardContent } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/misc';
import { useRecording } from '@/features/recordings/api/recordings';
import { TerminalPlayer } from '@/features/recordings/components/terminal-player';
import { VncPlayer } from '@/features/recordings/components/vnc-player';
import { guestName, m, playerDescription, playerPage } from '@/features/recordings/messages';
import { useCurrentTenant } from '@/features/tenants/hooks/use-current-tenant';
import { formatDateTime } from '@/lib/format';

export function Component() {
  const tenant = useCurrentTenant();
  const recordingId = useParams().recordingId ?? '';
  const detail = useRecording(tenant.id, recordingId);
  const d = detail.data;
  const t = useIntl().formatMessage;
  return (
    <Page
      text={playerPage}
      description={
        d
          ? t(playerDescription, {
              who: d.userEmail ?? t(m.someone),
              where: `${d.vmid !== null ? t(guestName, { vmid: d.vmid }) : t(m.nodeShell)}${d.serverName ? ` (${d.serverName})` : ''}`,
              when: formatDateTime(d.startedAt),
            })
          : undefined
      }
    >
      <QueryView
        query={detail}
        notFound={<EmptyState title={t(m.notFoundTitle)} description={t(m.notFoundDescription)} />}
      >
        {(rec) => (
          <Card>
            <CardContent className="pt-6">
              {rec.kind === 'terminal' ? (
                <TerminalPlayer tenantId={tenant.id} detail={rec} />
              ) : (
                <VncPlayer tenantId={tenant.id} detail={rec} />
              )}
            </CardContent>
          </Card>
        )}
      </QueryView>
    </Page>
  );
}
