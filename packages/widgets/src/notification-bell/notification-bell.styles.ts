import { css } from 'lit';

export const bellStyles = css`
  :host { display: inline-block; position: relative; background: transparent; }
  .bell {
    position: relative; display: inline-grid; place-items: center; width: 38px; height: 38px; margin: 0; padding: 0;
    border-radius: 50%; border: 1px solid var(--_border); background: var(--_raised); color: var(--_text); cursor: pointer;
  }
  .bell svg { width: 20px; height: 20px; }
  .badge {
    position: absolute; top: -4px; right: -4px; min-width: 19px; height: 19px; padding: 0 5px; border-radius: 999px;
    background: var(--tb-badge-bg, var(--_danger)); color: var(--tb-badge-color, var(--_bg)); font-size: 11px; font-weight: 700;
    display: grid; place-items: center; border: 2px solid var(--_bg); font-variant-numeric: tabular-nums;
  }
  .panel {
    position: absolute; right: 0; top: calc(100% + 8px); width: min(380px, calc(100vw - 16px)); z-index: 10;
    background: var(--_bg); border: 1px solid var(--_border); border-radius: calc(var(--_radius) + 4px);
    box-shadow: 0 16px 40px light-dark(rgb(16 24 40 / 0.16), rgb(0 0 0 / 0.5)); overflow: hidden;
  }
  .panel-head { display: flex; align-items: center; gap: var(--_space); padding: var(--_space) calc(var(--_space) * 1.5); border-bottom: 1px solid var(--_border); }
  .panel-head .panel-title { font-size: 1em; flex: 1; }
  .items { max-height: 360px; overflow-y: auto; }
  .item { display: flex; gap: var(--_space); align-items: flex-start; padding: var(--_space) calc(var(--_space) * 1.5); border-bottom: 1px solid var(--_border); }
  .item:last-child { border-bottom: 0; }
  .item.unread { background: light-dark(#f1f4ff, #1d2336); }
  .item .open {
    flex: 1; text-align: left; background: none; border: 0; padding: 0; margin: 0; cursor: pointer; display: grid; gap: 2px; color: var(--_text);
  }
  .item .open:hover .msg { text-decoration: underline; }
  .item time { font-size: 0.8em; color: var(--_muted); }
  .unread-dot { width: 8px; height: 8px; border-radius: 50%; background: var(--_primary); margin-top: 6px; flex: none; }
  .read-dot { width: 8px; flex: none; }
`;
