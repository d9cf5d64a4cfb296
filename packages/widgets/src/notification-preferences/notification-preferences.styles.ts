import { css } from 'lit';

export const preferencesStyles = css`
  :host { max-width: 760px; container-type: inline-size; }
  .head { display: flex; align-items: flex-start; justify-content: space-between; gap: 12px; margin-bottom: 16px; }
  .head.bare { align-items: center; margin-bottom: 10px; }
  .head.bare .hint { margin: 0; }
  .heading { font-size: 1.15em; }
  .hint { color: var(--_muted); font-size: 0.93em; margin-top: 2px; }
  .status {
    display: inline-flex; align-items: center; gap: 4px; flex: none; min-height: 24px; padding: 0 2px;
    font-size: 0.86em; color: var(--_muted); white-space: nowrap;
  }
  .status.saved { color: var(--_success); }
  .status svg { width: 14px; height: 14px; fill: none; stroke: currentColor; stroke-width: 2.5; stroke-linecap: round; stroke-linejoin: round; }
  .failure {
    display: flex; align-items: center; justify-content: space-between; gap: 12px; flex-wrap: wrap; margin: 0 0 12px; padding: 8px 8px 8px 12px;
    border: 1px solid color-mix(in srgb, var(--_danger) 40%, transparent); border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_danger) 8%, var(--_bg)); color: var(--_danger);
  }
  .notice {
    display: flex; gap: 8px; align-items: flex-start; margin: 0 0 12px; padding: 10px 12px; border-radius: var(--_radius);
    background: var(--_surface); border: 1px solid var(--_border); color: var(--_text); font-size: 0.93em;
  }
  .notice svg { width: 16px; height: 16px; flex: none; margin-top: 2px; fill: none; stroke: var(--_muted); stroke-width: 2; stroke-linecap: round; }
  table { width: 100%; border-collapse: separate; border-spacing: 0; border: 1px solid var(--_border); border-radius: calc(var(--_radius) + 2px); overflow: hidden; }
  th, td { padding: 10px 12px; text-align: left; border-bottom: 1px solid var(--_border); vertical-align: middle; }
  tbody tr:last-child > * { border-bottom: 0; }
  thead th { font-size: 0.8em; font-weight: 600; color: var(--_muted); background: var(--_surface); padding-top: 8px; padding-bottom: 8px; }
  th:not(:first-child), td { width: 84px; text-align: center; }
  tbody th { font-weight: 400; }
  .kind { display: block; font-weight: 500; }
  .kind-hint { display: block; color: var(--_muted); font-size: 0.86em; margin-top: 1px; }
  .switch {
    appearance: none; position: relative; width: 34px; height: 20px; margin: 0; border-radius: 999px; cursor: pointer; vertical-align: middle;
    background: light-dark(#c9ced8, #4a505e); transition: background 0.15s;
  }
  .switch::after {
    content: ''; position: absolute; top: 2px; left: 2px; width: 16px; height: 16px; border-radius: 50%; background: #fff;
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.25); transition: translate 0.15s;
  }
  .switch:checked { background: var(--_primary); }
  .switch:checked::after { translate: 14px 0; }
  .switch:disabled { opacity: 0.45; cursor: not-allowed; }
  .setting {
    display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; flex-wrap: wrap;
    padding: 16px 0 0; margin-top: 16px; border-top: 1px solid var(--_border);
  }
  .setting-text { flex: 1 1 220px; min-width: 0; }
  .sub { font-size: 1em; font-weight: 600; }
  .segmented { display: inline-flex; padding: 2px; border-radius: var(--_radius); background: var(--_surface); border: 1px solid var(--_border); flex: none; }
  .segmented label {
    position: relative; padding: 4px 12px; border-radius: calc(var(--_radius) - 2px); cursor: pointer; font-size: 0.93em; color: var(--_muted);
  }
  .segmented label.on { background: var(--_raised); color: var(--_text); font-weight: 500; box-shadow: 0 1px 2px light-dark(rgb(16 24 40 / 0.12), rgb(0 0 0 / 0.4)); }
  .segmented input { position: absolute; inset: 0; opacity: 0; margin: 0; cursor: inherit; }
  .segmented label:has(input:focus-visible) { outline: 2px solid var(--_focus); outline-offset: 1px; }
  .segmented label:has(input:disabled) { cursor: not-allowed; opacity: 0.6; }
  .tz-col { display: grid; gap: 6px; justify-items: start; flex: 0 1 300px; min-width: min(100%, 240px); }
  .tz { position: relative; width: 100%; }
  .tz .field { padding-right: 88px; min-height: 34px; }
  .tz-offset { position: absolute; right: 10px; top: 50%; translate: 0 -50%; font-size: 0.8em; color: var(--_muted); pointer-events: none; font-variant-numeric: tabular-nums; }
  .options {
    position: absolute; z-index: 5; left: 0; right: 0; top: calc(100% + 4px); max-height: 260px; overflow-y: auto;
    background: var(--_raised); border: 1px solid var(--_border); border-radius: var(--_radius);
    box-shadow: 0 12px 32px light-dark(rgb(16 24 40 / 0.16), rgb(0 0 0 / 0.5)); padding: 4px;
  }
  [role='option'] { display: flex; justify-content: space-between; gap: 8px; padding: 6px 8px; border-radius: calc(var(--_radius) - 2px); cursor: pointer; }
  [role='option'] .off { color: var(--_muted); font-size: 0.86em; font-variant-numeric: tabular-nums; white-space: nowrap; }
  [role='option'][aria-selected='true'] { background: var(--_surface); }
  [role='option'].current { font-weight: 600; }
  .none { padding: 6px 8px; color: var(--_muted); font-size: 0.86em; }
  .link { background: none; border: 0; padding: 0; margin: 0; color: var(--_primary); cursor: pointer; font-size: 0.86em; text-align: left; }
  .link:hover { text-decoration: underline; }
  @container (max-width: 480px) {
    th, td { padding: 10px 8px; }
    th:not(:first-child), td { width: 64px; }
    .segmented { width: 100%; }
    .segmented label { flex: 1; text-align: center; }
  }
`;
