import { css } from 'lit';

export const detailStyles = css`
  :host { border-radius: calc(var(--_radius) + 4px); }
  /* On a narrow screen the buttons wrap under the title instead of cutting it short. */
  .head { display: flex; flex-wrap: wrap; align-items: center; gap: var(--_space); margin-bottom: calc(var(--_space) * 1.5); }
  .title {
    flex: 1 1 14em; min-width: 0; resize: none; overflow: hidden; line-height: 1.3;
    /* Grows to show a long title on a phone; browsers without field-sizing show one scrolling line, as an input did. */
    field-sizing: content; font-size: 1.4em; font-weight: 650; border-color: transparent; background: transparent; padding: 4px 6px; margin-left: -6px;
  }
  .title:hover, .title:focus { border-color: var(--_border); background: var(--_bg); }
  .status-line { color: var(--_muted); font-size: 0.85em; min-width: 6em; text-align: right; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: calc(var(--_space) * 1.5); margin-bottom: calc(var(--_space) * 1.5); }
  label { display: grid; gap: 4px; font-size: 0.8em; font-weight: 600; color: var(--_muted); }
  label .field { font-size: 1.15em; font-weight: 400; color: var(--_text); }
  textarea.field:not(.title) { min-height: 96px; resize: vertical; line-height: 1.5; }
  .overdue-note { color: var(--_danger); font-weight: 600; }
  .conflict {
    border: 1px solid var(--_danger); border-radius: var(--_radius); padding: calc(var(--_space) * 1.5);
    background: light-dark(#fff5f4, #2f1a1a); margin-bottom: calc(var(--_space) * 1.5); display: grid; gap: var(--_space);
  }
  .conflict .conflict-title { font-size: 1em; color: var(--_danger); }
  .conflict table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
  .conflict th, .conflict td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--_border); vertical-align: top; }
  .conflict .actions { display: flex; gap: var(--_space); }
  .status-line:empty { min-width: 0; }
  .delete { color: var(--_danger); margin-left: auto; }
  .confirm-delete {
    border: 1px solid var(--_danger); border-radius: var(--_radius); padding: calc(var(--_space) * 1.5);
    background: light-dark(#fff5f4, #2f1a1a); margin-bottom: calc(var(--_space) * 1.5); display: grid; gap: var(--_space);
  }
  .confirm-delete .actions { display: flex; gap: var(--_space); }
  .btn.danger { background: var(--_danger); border-color: var(--_danger); color: var(--_bg); }
  .section[role='heading'] { font-size: 0.95em; margin: calc(var(--_space) * 2) 0 var(--_space); }
  .activity { display: grid; gap: 6px; }
  .activity li { display: flex; gap: var(--_space); align-items: baseline; font-size: 0.9em; }
  .activity time { color: var(--_muted); font-size: 0.85em; margin-left: auto; white-space: nowrap; }
`;
