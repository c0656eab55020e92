// Renders any JSON value as a collapsible tree of text nodes. Values from Proxmox are data:
// nothing here ever becomes HTML.
import { ChevronDown, ChevronRight } from 'lucide-react';
import { useState } from 'react';
import { cn } from '@/lib/utils';

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="text-muted-foreground">null</span>;
  if (typeof value === 'string') return <span className="break-all text-success-text">"{value}"</span>;
  if (typeof value === 'number') return <span className="text-brand-text">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="text-warning-text">{String(value)}</span>;
  return <span>{String(value)}</span>;
}

function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const [open, setOpen] = useState(depth < 3);
  const isArray = Array.isArray(value);
  const isObject = value !== null && typeof value === 'object';
  const label = name !== null ? <span className="text-foreground">{name}: </span> : null;
  if (!isObject) {
    return (
      <div className="pl-5">
        {label}
        <Scalar value={value} />
      </div>
    );
  }
  const entries = isArray ? (value as unknown[]).map((v, i) => [String(i), v] as const) : Object.entries(value);
  const summary = isArray ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <div>
      <button
        type="button"
        className="flex items-center gap-0.5 rounded-sm text-left hover:bg-accent"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? <ChevronDown className="size-4 shrink-0" /> : <ChevronRight className="size-4 shrink-0" />}
        {label}
        <span className="text-muted-foreground">{summary}</span>
      </button>
      {open ? (
        <div className="ml-2 border-l pl-1">
          {entries.map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} />
          ))}
        </div>
      ) : null}
    </div>
  );
}

export function JsonView({ value, className }: { value: unknown; className?: string }) {
  return (
    <div className={cn('overflow-auto font-mono text-xs leading-relaxed', className)} data-testid="json-view">
      <Node name={null} value={value} depth={0} />
    </div>
  );
}
