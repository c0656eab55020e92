// The area noVNC draws into, with what covers it while not connected (how it is going, or how it
// ended). Members' consoles and share links' pages both use it.
import type { ReactNode, RefObject } from 'react';

export function ConsoleScreen({
  screenRef,
  connected,
  overlay,
}: {
  screenRef: RefObject<HTMLDivElement | null>;
  connected: boolean;
  overlay: ReactNode;
}) {
  return (
    <div className="relative min-h-0 flex-1">
      <div ref={screenRef} className="absolute inset-0 overflow-auto" data-testid="console-screen" />
      {connected ? null : overlay}
    </div>
  );
}
