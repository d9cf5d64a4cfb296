import { css } from 'lit';

export const listStyles = css`
  .toolbar { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: end; margin-bottom: calc(var(--_space) * 1.5); }
  .toolbar label { display: grid; gap: 2px; font-size: 0.8em; color: var(--_muted); font-weight: 600; }
  .toolbar .field { min-width: 140px; }
  .toolbar .end { margin-left: auto; display: inline-flex; flex-wrap: wrap; gap: var(--_space); align-items: center; }
  .export-error { margin: 0 0 var(--_space); color: var(--_danger); font-size: 0.9em; }
  .scroller { position: relative; max-height: var(--tb-list-max-height, 480px); overflow-y: auto; border: 1px solid var(--_border); border-radius: calc(var(--_radius) + 4px); }
  table { width: 100%; border-collapse: collapse; }
  th { position: sticky; top: 0; background: var(--_surface); text-align: left; font-size: 0.8em; font-weight: 650; color: var(--_muted); z-index: 1; }
  th, td { padding: calc(var(--_space) * 0.9) calc(var(--_space) * 1.5); border-bottom: 1px solid var(--_border); }
  th button { all: unset; cursor: pointer; display: inline-flex; gap: 4px; align-items: center; }
  th button:focus-visible { outline: 2px solid var(--_focus); }
  tbody tr { cursor: pointer; }
  tbody tr:hover { background: var(--_surface); }
  tbody tr[aria-selected='true'] { background: light-dark(#eef2ff, #1d2336); box-shadow: inset 3px 0 0 var(--_primary); }
  .t-title { font-weight: 550; min-width: 14em; }
  .title-line { display: block; }
  .t-title .tags { margin-top: 4px; font-weight: 400; }
  th, .t-cf, .t-date, .status, .assignee { white-space: nowrap; }
  .t-number { font-variant-numeric: tabular-nums; }
  td a { color: var(--_primary); text-underline-offset: 2px; }
  .t-id, .t-project { white-space: nowrap; font-variant-numeric: tabular-nums; color: var(--_muted); font-size: 0.9em; }
  .assignee { display: inline-flex; gap: 6px; align-items: center; }
  .muted { color: var(--_muted); }
  .sentinel { padding: var(--_space); text-align: center; color: var(--_muted); font-size: 0.85em; }
  .status { display: inline-flex; align-items: center; gap: 6px; }
  .status::before { content: ''; width: 8px; height: 8px; border-radius: 50%; background: var(--_dot, var(--_muted)); }
`;
