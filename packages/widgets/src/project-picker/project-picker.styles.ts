import { css } from 'lit';

export const pickerStyles = css`
  :host { display: inline-block; background: transparent; width: 320px; max-width: 100%; }
  .wrap { position: relative; display: grid; gap: 4px; }
  .label { font-size: 0.8em; font-weight: 600; color: var(--_muted); }
  .control {
    display: flex; align-items: center; gap: var(--_space); width: 100%; min-height: 34px; margin: 0;
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 4) calc(var(--_space) * 0.5) var(--_space);
    border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_bg); color: var(--_text);
    cursor: pointer; text-align: left; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  }
  input.control { cursor: text; }
  .control:hover { border-color: var(--_muted); }
  .control:focus-visible { outline: 2px solid var(--_focus); outline-offset: 1px; }
  .control .name { overflow: hidden; text-overflow: ellipsis; }
  .chevron {
    position: absolute; right: calc(var(--_space) * 1.25); bottom: 12px; width: 8px; height: 8px; pointer-events: none;
    border-right: 2px solid var(--_muted); border-bottom: 2px solid var(--_muted); transform: rotate(45deg);
  }
  .wrap.open .chevron { transform: rotate(225deg); bottom: 8px; }
  .swatch { flex: none; width: 10px; height: 10px; border-radius: 3px; background: var(--_swatch, var(--_muted)); }
  .input-swatch { position: absolute; z-index: 1; left: calc(var(--_space) + 1px); bottom: 12px; display: flex; pointer-events: none; }
  input.control.with-swatch { padding-left: calc(var(--_space) * 3); }
  .key { color: var(--_muted); font-size: 0.85em; font-variant-numeric: tabular-nums; font-weight: 600; }
  [role='listbox'] {
    position: absolute; z-index: 10; top: calc(100% + 4px); left: 0; right: 0; min-width: 220px;
    max-height: min(320px, 60vh); overflow-y: auto; padding: 4px; margin: 0;
    background: var(--_raised); color: var(--_text); border: 1px solid var(--_border); border-radius: var(--_radius);
    box-shadow: 0 12px 28px light-dark(rgb(16 24 40 / 0.14), rgb(0 0 0 / 0.5));
  }
  [role='option'] {
    display: flex; align-items: center; gap: var(--_space); padding: 6px var(--_space); border-radius: calc(var(--_radius) - 2px);
    cursor: pointer; color: var(--_text);
  }
  [role='option'] .name { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  [role='option'].active { background: var(--_surface); outline: 2px solid var(--_focus); outline-offset: -2px; }
  [role='option'][aria-selected='true'] .name { font-weight: 650; }
  [role='option'] .check { width: 1em; color: var(--_primary); font-weight: 700; text-align: center; }
  .none { padding: 6px var(--_space); color: var(--_muted); font-size: 0.9em; }
  .private { font-size: 0.75em; color: var(--_muted); border: 1px solid var(--_border); border-radius: 999px; padding: 0 6px; }
`;
