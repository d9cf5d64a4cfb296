import { css } from 'lit';

export const analyticsStyles = css`
  :host {
    --_c1: var(--tb-chart-1, light-dark(#3451d1, #8aa2ff));
    --_c2: var(--tb-chart-2, light-dark(#1f7a3f, #6fd39a));
    --_c3: var(--tb-chart-3, light-dark(#c2410c, #ffa36b));
    --_c4: var(--tb-chart-4, light-dark(#8a94a6, #7c8597));
    --_review: light-dark(#b26b00, #f5b342);
    --_p-low: var(--tb-priority-low, light-dark(#8a94a6, #7c8597));
    --_p-medium: var(--tb-priority-medium, light-dark(#3451d1, #8aa2ff));
    --_p-high: var(--tb-priority-high, light-dark(#c26a00, #ffb347));
    --_p-urgent: var(--tb-priority-urgent, light-dark(#b42318, #ff8a80));
    background: transparent;
  }
  .head { display: flex; align-items: center; gap: var(--_space); margin-bottom: calc(var(--_space) * 1.5); }
  .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: var(--_space); margin-bottom: calc(var(--_space) * 1.5); }
  .kpi { background: var(--_raised); border: 1px solid var(--_border); border-radius: var(--_radius); padding: calc(var(--_space) * 1.25); }
  .kpi dt { font-size: 0.8em; color: var(--_muted); font-weight: 600; }
  .kpi dd { margin: 2px 0 0; font-size: 1.6em; font-weight: 700; font-variant-numeric: tabular-nums; }
  .charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: calc(var(--_space) * 1.5); }
  .chart { margin: 0; padding: calc(var(--_space) * 1.5); background: var(--_raised); border: 1px solid var(--_border); border-radius: calc(var(--_radius) + 4px); }
  .chart.wide { grid-column: 1 / -1; }
  figcaption { font-weight: 650; margin-bottom: var(--_space); display: flex; gap: var(--_space); align-items: center; flex-wrap: wrap; }
  .legend { margin-left: auto; font-weight: 400; font-size: 0.85em; color: var(--_muted); display: inline-flex; gap: 6px; align-items: center; }
  .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
  svg { width: 100%; height: auto; display: block; overflow: visible; }
  svg text { fill: var(--_text); font-size: 12px; font-family: var(--_font); }
  svg .axis { fill: var(--_muted); font-size: 11px; }
  svg .value { font-weight: 600; }
  svg .grid { stroke: var(--_border); stroke-width: 1; }
  @media (max-width: 640px) { .charts { grid-template-columns: 1fr; } }
`;
