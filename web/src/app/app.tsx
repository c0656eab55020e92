// The web shell: router and providers. Pages arrive with the web issue.
import { useEffect, useState } from 'react';

export function App() {
  const [health, setHealth] = useState<string>('checking…');
  useEffect(() => {
    fetch('/healthz')
      .then((r) => r.json())
      .then((b: { status: string }) => setHealth(b.status))
      .catch(() => setHealth('unreachable'));
  }, []);
  return (
    <main className="min-h-screen bg-neutral-50 text-neutral-900 dark:bg-neutral-950 dark:text-neutral-100 flex items-center justify-center">
      <div className="text-center">
        <h1 className="text-3xl font-semibold text-brand">Nexus</h1>
        <p className="mt-2 text-sm text-neutral-500">Proxmox VE connection broker · server {health}</p>
      </div>
    </main>
  );
}
