import { css } from 'lit';

export const commentStyles = css`
  .thread-title { font-size: 1em; margin-bottom: var(--_space); display: flex; gap: var(--_space); align-items: center; }
  .thread { display: grid; gap: calc(var(--_space) * 1.5); margin-bottom: calc(var(--_space) * 1.5); }
  .comment { display: flex; gap: var(--_space); }
  .bubble { flex: 1; display: grid; gap: 4px; }
  .meta { display: flex; gap: var(--_space); align-items: baseline; font-size: 0.85em; }
  .meta strong { font-weight: 650; }
  .meta time, .meta .edited { color: var(--_muted); }
  .meta .actions { margin-left: auto; display: flex; gap: 2px; }
  .meta .btn { min-height: 24px; padding: 0 6px; font-size: 0.85em; }
  .text { white-space: pre-wrap; overflow-wrap: anywhere; }
  .mention { color: var(--_primary); font-weight: 600; }
  .composer { position: relative; display: grid; gap: 6px; }
  textarea.field { min-height: 64px; resize: vertical; }
  .composer .row { display: flex; justify-content: flex-end; gap: 6px; }
  .suggestions {
    position: absolute; left: 0; bottom: calc(100% + 4px); min-width: 220px; z-index: 5; padding: 4px;
    background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); box-shadow: 0 8px 24px rgb(0 0 0 / 0.15);
  }
  .suggestions li { padding: 6px 8px; border-radius: calc(var(--_radius) - 2px); cursor: pointer; display: flex; gap: 8px; align-items: center; }
  .suggestions li[aria-selected='true'] { background: var(--_primary); color: var(--_on-primary); }
  .text { white-space: normal; }
  .field-error { margin: 0; color: var(--_danger); font-size: 0.85em; font-weight: 500; }
  /* Reactions (issue 18). */
  /* The picker opens under the row's start, not under its button: it stays inside a phone's width. */
  .reactions { position: relative; display: flex; flex-wrap: wrap; align-items: center; gap: 4px; }
  .reaction {
    display: inline-flex; align-items: center; gap: 4px; margin: 0; padding: 0 8px; min-height: 26px; border-radius: 999px;
    border: 1px solid var(--_border); background: var(--_bg); color: var(--_text); cursor: pointer; font-size: 0.9em; line-height: 1;
  }
  .reaction:hover { border-color: var(--_muted); }
  .reaction[aria-pressed='true'] { border-color: var(--_primary); background: light-dark(#e6efff, #1f2d4d); color: var(--_primary); font-weight: 600; }
  .reaction .count { font-variant-numeric: tabular-nums; font-size: 0.9em; }
  .reaction.add { color: var(--_muted); padding: 0 6px; gap: 0; font-weight: 600; }
  .picker {
    position: absolute; z-index: 5; left: 0; top: calc(100% + 4px); display: flex; gap: 2px; padding: 4px;
    background: var(--_raised); border: 1px solid var(--_border); border-radius: var(--_radius); box-shadow: 0 8px 24px light-dark(#1d233026, #00000066);
  }
  .picker button {
    margin: 0; padding: 0; width: 32px; height: 32px; border: 1px solid transparent; border-radius: 6px; background: none; cursor: pointer; font-size: 1.1em;
  }
  .picker button:hover, .picker button[aria-pressed='true'] { background: var(--_surface); border-color: var(--_border); }
`;
