import { css } from 'lit';

/** Labels, parent, watchers, custom fields, subtasks and linked tasks (issue 17). */
export const structureStyles = css`
  .rows { display: grid; gap: var(--_space); margin-bottom: calc(var(--_space) * 1.5); }
  .row { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px var(--_space); }
  .row-label { flex: 0 0 8.5em; font-size: 0.8em; font-weight: 600; color: var(--_muted); }
  .row-value { flex: 1 1 16em; min-width: 0; display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
  .muted { color: var(--_muted); }
  .field-error { flex-basis: 100%; margin: 2px 0 0; color: var(--_danger); font-size: 0.85em; font-weight: 500; }
  input[type='checkbox'] { accent-color: var(--_primary); width: 16px; height: 16px; margin: 0; flex: none; }
  .chips { display: flex; flex-wrap: wrap; gap: 4px; }
  .chip {
    display: inline-flex; align-items: center; gap: 6px; padding: 1px 2px 1px 8px; min-height: 24px; border-radius: 999px;
    border: 1px solid var(--_border); background: var(--_surface); font-size: 0.85em; font-weight: 500;
  }
  .chip:not(:has(button)) { padding-right: 8px; }
  .chip::before, .dot { content: ''; width: 8px; height: 8px; border-radius: 50%; background: var(--chip); flex: none; box-shadow: 0 0 0 1px light-dark(#0000001f, #ffffff2e); }
  .chip-remove {
    display: inline-grid; place-items: center; width: 20px; height: 20px; margin: 0; padding: 0; border: 0; border-radius: 50%;
    background: transparent; color: var(--_muted); cursor: pointer; font-size: 14px; line-height: 1;
  }
  .chip-remove:hover { background: var(--_border); color: var(--_text); }
  .combo { position: relative; flex: 1 1 12em; max-width: 24em; }
  .combo .field { min-height: 28px; padding-block: 2px; }
  .options {
    position: absolute; z-index: 5; top: 100%; left: 0; right: 0; margin-top: 2px; padding: 4px; max-height: 15em; overflow: auto;
    background: var(--_raised); border: 1px solid var(--_border); border-radius: var(--_radius); box-shadow: 0 8px 24px light-dark(#1d233026, #00000066);
  }
  .options li { display: flex; align-items: center; gap: 6px; padding: 5px 8px; border-radius: calc(var(--_radius) - 2px); cursor: pointer; font-size: 0.92em; }
  .options li[aria-selected='true'] { background: light-dark(#e6efff, #1f2d4d); }
  .options .none { color: var(--_muted); padding: 5px 8px; font-size: 0.92em; }
  .link {
    margin: 0; padding: 0; border: 0; background: none; color: var(--_primary); cursor: pointer; font: inherit; text-align: left;
    text-decoration: underline; text-decoration-color: transparent; text-underline-offset: 2px;
  }
  .link:hover { text-decoration-color: currentColor; }
  .ident { color: var(--_muted); font-size: 0.85em; font-weight: 600; white-space: nowrap; font-variant-numeric: tabular-nums; }
  .btn.small { min-height: 26px; padding: 2px 8px; font-size: 0.85em; }
  .btn.icon { min-width: 28px; min-height: 28px; justify-content: center; padding: 2px 6px; }
  .block { margin: calc(var(--_space) * 2) 0; }
  .block > .section[role='heading'] { margin-top: 0; display: flex; align-items: baseline; gap: var(--_space); }
  .section .count { color: var(--_muted); font-weight: 500; font-size: 0.9em; }
  .progress { height: 4px; border-radius: 2px; background: var(--_surface); overflow: hidden; margin-bottom: var(--_space); }
  .progress span { display: block; height: 100%; background: var(--_success); }
  .items { display: grid; gap: 2px; }
  /* A narrow row puts the status and buttons under the title rather than squeezing it. */
  .items li { display: flex; flex-wrap: wrap; align-items: center; gap: 4px var(--_space); padding: 4px 6px; border-radius: var(--_radius); min-width: 0; }
  .items .meta { display: inline-flex; align-items: center; gap: 4px; margin-left: auto; }
  .items li:hover { background: var(--_surface); }
  /* Long titles wrap (a phone shows them whole) rather than being cut. */
  .title-link { flex: 1 1 12em; min-width: 0; overflow-wrap: anywhere; color: var(--_text); }
  .items li.done .title-link { text-decoration: line-through; text-decoration-color: var(--_muted); color: var(--_muted); }
  .pill.status { background: var(--_surface); color: var(--_muted); border-color: var(--_border); }
  .inline-form { display: flex; flex-wrap: wrap; gap: var(--_space); margin-top: var(--_space); align-items: center; }
  .inline-form > .field, .inline-form > .combo { flex: 1 1 14em; max-width: none; }
  .field.compact { width: auto; flex: 0 0 auto; }
  .group + .group { margin-top: 6px; }
  .group-title { font-size: 0.8em; font-weight: 600; color: var(--_muted); margin: 4px 6px 2px; }
  .cf { display: grid; gap: 4px; align-content: start; min-width: 0; }
  .cf > label, fieldset.cf > legend { font-size: 0.8em; font-weight: 600; color: var(--_muted); }
  fieldset.cf { border: 0; margin: 0; padding: 0; }
  fieldset.cf > legend { padding: 0; margin-bottom: 4px; }
  label.check-label { display: inline-flex; align-items: center; gap: 6px; font-size: 1em; font-weight: 400; color: var(--_text); cursor: pointer; min-height: 28px; }
  /* Beside other fields (two columns or more), the box lines up with their inputs, whose name is above them. */
  .grid.custom { container-type: inline-size; }
  @container (min-width: 332px) { .cf.check { padding-top: calc(0.8em * 1.45 + 4px); } }
  .checks { display: flex; flex-wrap: wrap; gap: 0 14px; }
  .help { font-size: 0.8em; color: var(--_muted); }
  .cf .field-error { font-size: 0.8em; }
  .cf [aria-invalid='true'] { border-color: var(--_danger); }
  .with-link { display: flex; gap: 4px; }
  .avatars { display: flex; flex-wrap: wrap; gap: 4px; }
  .avatars .avatar { width: 26px; height: 26px; font-size: 10.5px; }
  .btn.watch[aria-pressed='true'] { border-color: var(--_primary); color: var(--_primary); }
  .blocked {
    display: inline-block; margin: calc(var(--_space) * -0.5) 0 var(--_space); padding: 2px 10px; border-radius: 999px;
    font-size: 0.85em; font-weight: 600; background: var(--tb-connection-bg, light-dark(#fff4d6, #4a3b12)); color: var(--_warning);
  }
  /* Attachments (issue 18). */
  .files { display: grid; gap: 2px; }
  .file { display: flex; align-items: center; gap: var(--_space); padding: 4px 6px; border-radius: var(--_radius); min-width: 0; }
  .file:hover { background: var(--_surface); }
  .thumb { width: 40px; height: 40px; object-fit: cover; border-radius: 6px; border: 1px solid var(--_border); flex: none; background: var(--_surface); }
  .thumb.ext { display: grid; place-items: center; font-size: 0.68em; font-weight: 700; text-transform: uppercase; color: var(--_muted); }
  .file-name { flex: 1 1 auto; min-width: 0; overflow-wrap: anywhere; color: var(--_primary); text-underline-offset: 2px; }
  .file-size { color: var(--_muted); font-size: 0.85em; white-space: nowrap; font-variant-numeric: tabular-nums; }
  .drop-zone {
    display: flex; flex-wrap: wrap; align-items: center; gap: var(--_space); margin-top: var(--_space);
    padding: var(--_space); border: 1px dashed var(--_border); border-radius: var(--_radius); font-size: 0.9em;
  }
  .attachments.dragging .drop-zone { border-color: var(--_primary); background: light-dark(#e6efff, #1f2d4d); }
  .upload-status { margin-top: 4px; }
  /* Repeat and reminders (issue 19): labels above their fields. */
  .schedule .stack { display: grid; gap: 4px; flex: 1 1 14em; min-width: 0; font-size: 0.8em; font-weight: 600; color: var(--_muted); }
  .schedule .stack > .field { font-size: 1.25em; font-weight: 400; color: var(--_text); width: 100%; }
  .schedule .rule { margin-top: var(--_space); }
  .schedule .rule .field { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
  .schedule .help { margin: 6px 0 0; overflow-wrap: anywhere; }
  .schedule .group-title { margin: calc(var(--_space) * 1.5) 0 2px; }
  .schedule .reminder-add { align-items: end; }
`;
