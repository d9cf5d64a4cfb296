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
    position: absolute; right: 0; top: calc(100% + 8px); width: min(400px, calc(100vw - 16px)); z-index: 10;
    background: var(--_bg); border: 1px solid var(--_border); border-radius: calc(var(--_radius) + 4px);
    box-shadow: 0 16px 40px light-dark(rgb(16 24 40 / 0.16), rgb(0 0 0 / 0.5)); overflow: hidden;
  }
  .panel-head {
    display: flex; align-items: center; gap: 2px; padding: 6px 6px 6px calc(var(--_space) * 1.5);
    border-bottom: 1px solid var(--_border);
  }
  .panel-head .panel-title { font-size: 1em; flex: 1; outline: none; }
  .icon {
    display: inline-grid; place-items: center; width: 30px; height: 30px; margin: 0; padding: 0; flex: none;
    border: 0; border-radius: var(--_radius); background: transparent; color: var(--_muted); cursor: pointer;
  }
  .icon svg { width: 16px; height: 16px; }
  .icon:hover { background: var(--_surface); color: var(--_text); }
  .toggle[aria-pressed='true'] { color: var(--_primary); background: light-dark(#eef1ff, #232b45); }
  .items { max-height: min(440px, 70vh); overflow-y: auto; overscroll-behavior: contain; }
  .item {
    position: relative; display: flex; gap: 10px; align-items: flex-start;
    padding: 10px 8px 10px calc(var(--_space) * 1.5); border-bottom: 1px solid var(--_border);
  }
  .item:last-child { border-bottom: 0; }
  .item:hover, .item:focus-within { background: var(--_surface); }
  .item .open {
    flex: 1; min-width: 0; text-align: left; background: none; border: 0; padding: 0; margin: 0; cursor: pointer;
    display: grid; gap: 3px; color: var(--_text); border-radius: 4px;
  }
  .row-head { display: flex; align-items: baseline; gap: 6px; min-width: 0; }
  .ident { flex: none; font-size: 0.8em; color: var(--_muted); font-variant-numeric: tabular-nums; }
  .title { flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-weight: 500; }
  .unread .title, .unread:not(.group) .msg { font-weight: 600; }
  .count {
    flex: none; min-width: 18px; padding: 0 5px; border-radius: 999px; text-align: center; font-size: 0.75em; font-weight: 600;
    line-height: 18px; background: var(--_surface); color: var(--_muted); font-variant-numeric: tabular-nums;
  }
  .item:hover .count, .item:focus-within .count { background: var(--_bg); }
  .group .msg {
    color: var(--_muted); font-size: 0.93em; overflow: hidden; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
  }
  .meta { display: flex; gap: 6px; align-items: baseline; font-size: 0.8em; color: var(--_muted); min-width: 0; }
  .meta time { flex: none; }
  .kinds { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .kinds::before { content: '·'; margin-right: 6px; }
  .item .open:hover .title, .item:not(.group) .open:hover .msg { text-decoration: underline; text-underline-offset: 2px; }
  .unread-dot { width: 8px; height: 8px; border-radius: 50%; background: var(--_primary); margin-top: 7px; flex: none; }
  .read-dot { width: 8px; flex: none; }
  /* The row's actions float over its top right corner on hover and focus, leaving the text the
     whole width otherwise; touch screens (no hover) keep them in their own column. */
  .actions {
    position: absolute; top: 6px; right: 6px; display: flex; gap: 2px; padding: 2px; border-radius: var(--_radius);
    background: var(--_surface); box-shadow: -12px 0 12px -4px var(--_surface); opacity: 0; pointer-events: none;
  }
  .item:hover .actions, .item:focus-within .actions { opacity: 1; pointer-events: auto; }
  @media (hover: none) {
    .actions { position: static; opacity: 1; pointer-events: auto; flex: none; margin-top: -4px; padding: 0; background: none; box-shadow: none; }
  }
  .more { display: flex; justify-content: center; padding: 6px; }
  .empty { display: grid; justify-items: center; gap: 4px; padding: 36px 24px 40px; text-align: center; color: var(--_muted); }
  .empty svg { width: 28px; height: 28px; margin-bottom: 6px; opacity: 0.7; }
  .empty-title { color: var(--_text); font-weight: 600; }
  .failure { padding: 8px 12px; color: var(--_danger); border-bottom: 1px solid var(--_border); font-size: 0.93em; }
  .notice:empty { display: none; }
  .notice {
    display: flex; align-items: center; justify-content: space-between; gap: 8px; padding: 4px 6px 4px 12px;
    border-top: 1px solid var(--_border); background: var(--_surface); font-size: 0.93em;
  }
  .notice span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
`;
