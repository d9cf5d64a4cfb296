import { css } from 'lit';

/**
 * The theme every element shares. Public knobs are `--tb-*` custom properties;
 * their light/dark defaults come from `light-dark()`, so `color-scheme` (from
 * `prefers-color-scheme`, a `theme` attribute, or the provider's) picks one.
 * `all: initial` keeps the host page's inherited styles out; a host rule matching
 * the element itself (e.g. `* { color: … }`) outranks `:host`, so the inner
 * top-level elements set their text colour from the tokens again.
 */
export const baseStyles = css`
  :host {
    all: initial;
    display: block;
    color-scheme: light dark;
    --_bg: var(--tb-color-bg, light-dark(#ffffff, #17191f));
    --_surface: var(--tb-color-surface, light-dark(#f5f6f8, #20232b));
    --_raised: var(--tb-color-raised, light-dark(#ffffff, #2a2e38));
    --_text: var(--tb-color-text, light-dark(#1d2330, #e8eaf0));
    --_muted: var(--tb-color-muted, light-dark(#5b6472, #a4abb8));
    --_border: var(--tb-color-border, light-dark(#dde1e7, #3a3f4b));
    --_primary: var(--tb-color-primary, light-dark(#3451d1, #8aa2ff));
    --_on-primary: var(--tb-color-on-primary, light-dark(#ffffff, #0e1220));
    --_danger: var(--tb-color-danger, light-dark(#b42318, #ff8a80));
    --_warning: var(--tb-color-warning, light-dark(#8a5a00, #f5c26b));
    --_success: var(--tb-color-success, light-dark(#1f7a3f, #6fd39a));
    --_focus: var(--tb-color-focus, light-dark(#3451d1, #8aa2ff));
    --_radius: var(--tb-radius, 8px);
    --_space: var(--tb-spacing, 8px);
    --_font: var(--tb-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_font-size: var(--tb-font-size, 14px);
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.45;
    color: var(--_text);
    background: var(--_bg);
    box-sizing: border-box;
    -webkit-font-smoothing: antialiased;
  }
  /* A host rule that matches the element itself (\`* { color }\`, \`tb-task-board { color }\`) beats
     :host and would be inherited by every inner text: the shadow tree's top-level elements take the
     colour from the widget's tokens again. First in the sheet, so any class rule below still wins. */
  :host > * { color: var(--_text); }
  :host([data-theme='light']) { color-scheme: light; }
  :host([data-theme='dark']) { color-scheme: dark; }
  :host([hidden]) { display: none; }
  *, *::before, *::after { box-sizing: border-box; font-family: var(--_font); letter-spacing: normal; text-transform: none; }
  [hidden] { display: none !important; }
  h2, h3, p, ul, ol, table { margin: 0; padding: 0; }
  [role='heading'] { display: block; margin: 0; padding: 0; font-weight: 700; }
  ul, ol { list-style: none; }
  button, input, select, textarea { font: inherit; color: inherit; letter-spacing: normal; text-transform: none; }
  :focus-visible { outline: 2px solid var(--_focus); outline-offset: 2px; }
  .btn {
    display: inline-flex; align-items: center; gap: 4px; margin: 0;
    padding: calc(var(--_space) * 0.5) calc(var(--_space) * 1.25);
    border: 1px solid var(--_border); border-radius: var(--_radius);
    background: var(--_raised); color: var(--_text); cursor: pointer; box-shadow: none;
    font-size: 0.93em; font-weight: 500; line-height: 1.4; min-height: 30px;
  }
  .btn:hover { border-color: var(--_muted); }
  .btn.primary { background: var(--_primary); border-color: var(--_primary); color: var(--_on-primary); }
  .btn.ghost { border-color: transparent; background: transparent; }
  .btn.ghost:hover { background: var(--_surface); }
  .btn:disabled { opacity: 0.55; cursor: default; }
  .field {
    margin: 0; width: 100%; padding: calc(var(--_space) * 0.5) var(--_space);
    border: 1px solid var(--_border); border-radius: var(--_radius);
    background: var(--_bg); color: var(--_text); min-height: 30px;
  }
  .field:hover { border-color: var(--_muted); }
  .state { padding: calc(var(--_space) * 2); color: var(--_muted); text-align: center; }
  .state.error { color: var(--_danger); display: flex; gap: var(--_space); align-items: center; justify-content: center; }
  /* A long message (the origin hint) keeps a readable measure; Retry wraps under it on a phone. */
  .state.error { flex-wrap: wrap; }
  .state.error > span { flex: 0 1 64ch; min-width: 14em; }
  .connection {
    display: inline-flex; align-items: center; gap: 6px; padding: 2px 8px; border-radius: 999px;
    font-size: 0.8em; background: var(--tb-connection-bg, light-dark(#fff4d6, #4a3b12)); color: var(--_warning);
  }
  .connection::before { content: ''; width: 6px; height: 6px; border-radius: 50%; background: currentColor; }
  .sr-only {
    position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap; border: 0;
  }
  .avatar {
    display: inline-grid; place-items: center; width: 22px; height: 22px; border-radius: 50%; flex: none;
    font-size: 10px; font-weight: 600; color: #fff; background: var(--_avatar, #6b7280);
  }
  .pill {
    display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 0.78em; font-weight: 600;
    border: 1px solid transparent; white-space: nowrap;
  }
  .p-low { background: light-dark(#eef1f5, #2c313b); color: light-dark(#475467, #c2c9d6); }
  .p-medium { background: light-dark(#e6efff, #1f2d4d); color: light-dark(#2447a8, #a9c0ff); }
  .p-high { background: light-dark(#fff0e0, #4a2f12); color: light-dark(#9a4a00, #ffc48a); }
  .p-urgent { background: light-dark(#fde7e7, #4d1c1c); color: light-dark(#a31c1c, #ffadad); }
  .overdue { color: var(--_danger); font-weight: 600; }
`;
