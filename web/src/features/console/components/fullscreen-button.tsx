// Fullscreen for a console's frame, and back: the graphical console, a share link's screen and the
// text console all have one. The label and icon follow the document (Esc leaves fullscreen too).
import { Expand, Minimize2 } from 'lucide-react';
import { type RefObject, useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { Button } from '@/components/ui/button';
import { m } from '../messages';

export function FullscreenButton({ frame, className }: { frame: RefObject<HTMLElement | null>; className?: string }) {
  const t = useIntl().formatMessage;
  const [on, setOn] = useState(false);
  useEffect(() => {
    const onChange = () => setOn(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  const toggle = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void frame.current?.requestFullscreen?.().catch(() => {});
  };
  return (
    <Button
      variant="ghost"
      size="sm"
      className={className}
      onClick={toggle}
      aria-label={t(on ? m.exitFullscreen : m.fullscreen)}
    >
      {on ? <Minimize2 /> : <Expand />}
    </Button>
  );
}
