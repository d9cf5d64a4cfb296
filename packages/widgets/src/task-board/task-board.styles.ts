import { css } from 'lit';

export const boardStyles = css`
  /* min-width: 0 lets the columns scroll inside the board when a host puts it in a grid or flex layout (whose items otherwise grow to their content). */
  :host { background: transparent; min-width: 0; }
  .toolbar { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: end; margin-bottom: calc(var(--_space) * 1.5); }
  .toolbar label { display: grid; gap: 2px; font-size: 0.8em; color: var(--_muted); font-weight: 600; }
  .toolbar .field { min-width: 150px; }
  .toolbar .end { margin-left: auto; }
  /* position: relative makes the scroller the containing block of the cards' absolutely positioned
     screen-reader texts; otherwise they escape the scroll box and widen the whole page on a phone. */
  .columns { position: relative; display: grid; grid-auto-flow: column; grid-auto-columns: minmax(220px, 1fr); gap: calc(var(--_space) * 1.5); overflow-x: auto; }
  .column {
    display: flex; flex-direction: column; min-height: 240px; border-radius: calc(var(--_radius) + 4px);
    background: var(--_surface); border: 1px solid var(--_border); padding: var(--_space);
  }
  .column.drop-target { outline: 2px dashed var(--_primary); outline-offset: -2px; }
  .column-head { display: flex; align-items: center; gap: var(--_space); padding: 4px 4px var(--_space); }
  .column-head .column-title { font-size: 0.95em; font-weight: 650; }
  .column-head .count { margin-left: auto; color: var(--_muted); font-size: 0.85em; font-variant-numeric: tabular-nums; }
  .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--_dot); }
  .cards { display: flex; flex-direction: column; gap: var(--_space); flex: 1; min-height: 40px; }
  .card {
    display: grid; gap: 6px; padding: calc(var(--_space) * 1.25); border-radius: var(--_radius);
    background: var(--_raised); border: 1px solid var(--_border); cursor: grab;
    box-shadow: 0 1px 2px light-dark(rgb(16 24 40 / 0.06), rgb(0 0 0 / 0.3));
    transition: box-shadow 120ms, transform 120ms;
  }
  .card:hover { box-shadow: 0 4px 12px light-dark(rgb(16 24 40 / 0.1), rgb(0 0 0 / 0.4)); }
  .card.grabbed { outline: 2px solid var(--_primary); transform: rotate(-1deg) scale(1.02); box-shadow: 0 8px 20px rgb(0 0 0 / 0.18); }
  .card.dragging { opacity: 0.45; }
  .card-title { font-weight: 550; overflow-wrap: anywhere; }
  .due { white-space: nowrap; }
  .card-meta { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; font-size: 0.85em; color: var(--_muted); }
  .card-id { font-variant-numeric: tabular-nums; font-weight: 600; letter-spacing: 0.01em; white-space: nowrap; }
  .spacer { flex: 1; }
  .card-meta .avatar { margin-left: auto; }
  .overdue-mark {
    display: inline-grid; place-items: center; width: 14px; height: 14px; border-radius: 50%; margin-right: 3px;
    background: var(--_danger); color: var(--_bg); font-size: 10px; font-weight: 700;
  }
  .drop-line { height: 3px; border-radius: 2px; background: var(--_primary); }
  .empty { color: var(--_muted); font-size: 0.85em; text-align: center; padding: var(--_space); border: 1px dashed var(--_border); border-radius: var(--_radius); }
  .load-more { margin-top: var(--_space); width: 100%; }
  .add { margin-top: var(--_space); justify-content: flex-start; color: var(--_muted); width: 100%; }
  .add-form { margin-top: var(--_space); display: grid; gap: 6px; }
  .add-form .row { display: flex; gap: 6px; }
  dialog {
    border: 1px solid var(--_border); border-radius: calc(var(--_radius) + 4px); padding: 0; width: min(760px, 92vw);
    background: var(--_bg); color: var(--_text); box-shadow: 0 24px 48px rgb(0 0 0 / 0.3);
  }
  dialog::backdrop { background: rgb(15 18 25 / 0.45); }
  .dialog-head { display: flex; justify-content: flex-end; padding: var(--_space) var(--_space) 0; }
  .dialog-body { padding: 0 calc(var(--_space) * 2) calc(var(--_space) * 2); display: grid; gap: calc(var(--_space) * 2); }
`;
