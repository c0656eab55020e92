// Recharts styling shared by every chart, in the theme's colours so light and dark both read well.

export const chartTooltipStyle = {
  background: 'var(--popover)',
  border: '1px solid var(--border)',
  borderRadius: 8,
  color: 'var(--popover-foreground)',
  fontSize: 12,
};

export const chartAxisTick = { fontSize: 11, fill: 'var(--muted-foreground)' };
