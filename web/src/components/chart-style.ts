// Recharts styling shared by every chart, in the theme's colours so light and dark both read well.

export const chartTooltipStyle = {
  background: 'var(--popover)',
  border: '1px solid var(--border)',
  borderRadius: 8,
  color: 'var(--popover-foreground)',
  fontSize: 12,
};

export const chartAxisTick = { fontSize: 11, fill: 'var(--muted-foreground)' };

/** A series over time as every chart draws it: smooth, no entry animation (charts redraw with
 * live data), gaps bridged. */
export const chartSeries = { type: 'monotone', connectNulls: true, isAnimationActive: false } as const;

/** A series drawn as a line: without dots, two pixels wide. */
export const chartLine = { ...chartSeries, dot: false, strokeWidth: 2 } as const;
