import { css } from 'lit';

/**
 * Rendered Markdown (the server's sanitized HTML of descriptions and comments)
 * and the Markdown editor's toolbar and upload status. The base styles reset
 * lists, paragraphs and tables for the widgets' own markup; `.md` gives the
 * user's content its usual typography back, in the theme's colours.
 */
export const markdownStyles = css`
  .md { overflow-wrap: anywhere; line-height: 1.55; color: var(--_text); }
  .md > :first-child { margin-top: 0; }
  .md > :last-child { margin-bottom: 0; }
  .md :is(p, ul, ol, pre, table, blockquote, h1, h2, h3, h4, h5, h6, hr) { margin: 0 0 0.7em; }
  .md :is(h1, h2, h3, h4, h5, h6) { line-height: 1.25; font-weight: 650; }
  .md h1 { font-size: 1.4em; } .md h2 { font-size: 1.25em; } .md h3 { font-size: 1.1em; } .md :is(h4, h5, h6) { font-size: 1em; }
  .md ul { list-style: disc; padding-left: 1.6em; }
  .md ol { list-style: decimal; padding-left: 1.6em; }
  .md li + li, .md li > :is(ul, ol) { margin-top: 0.2em; }
  .md li > :is(ul, ol) { margin-bottom: 0; }
  /* Task lists: the server marks their items with a disabled checkbox. */
  .md li:has(> input[type='checkbox']) { list-style: none; margin-left: -1.4em; }
  .md li > input[type='checkbox'] { margin: 0 0.45em 0 0; vertical-align: -2px; accent-color: var(--_primary); width: 14px; height: 14px; }
  .md a { color: var(--_primary); text-underline-offset: 2px; }
  .md a.tb-task-ref { font-weight: 600; text-decoration: none; padding: 0 4px; border-radius: 4px; background: light-dark(#e6efff, #1f2d4d); }
  .md a.tb-task-ref:hover { text-decoration: underline; }
  .md .tb-mention { color: var(--_primary); font-weight: 600; }
  .md :is(code, pre) { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88em; }
  .md code { padding: 1px 5px; border-radius: 4px; background: var(--_surface); border: 1px solid var(--_border); }
  .md pre { padding: 10px 12px; border-radius: var(--_radius); background: var(--_surface); border: 1px solid var(--_border); overflow-x: auto; line-height: 1.45; }
  .md pre code { padding: 0; border: 0; background: none; font-size: 1em; }
  .md blockquote { padding: 2px 0 2px 12px; border-left: 3px solid var(--_border); color: var(--_muted); }
  .md table { border-collapse: collapse; display: block; max-width: 100%; overflow-x: auto; font-size: 0.93em; }
  .md :is(th, td) { padding: 5px 10px; border: 1px solid var(--_border); text-align: left; }
  .md th { background: var(--_surface); font-weight: 650; }
  .md tr:nth-child(2n) td { background: light-dark(#fafbfc, #1b1e25); }
  .md hr { border: 0; border-top: 1px solid var(--_border); }
  .md img { max-width: 100%; height: auto; max-height: 24em; border-radius: calc(var(--_radius) - 2px); border: 1px solid var(--_border); vertical-align: middle; }
  .md del { color: var(--_muted); }

  .md-field { display: grid; gap: 6px; margin: calc(var(--_space) * 1.5) 0; }
  .md-field > .md { padding: 10px 12px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface); }
  .md-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 2px; }
  .md-toolbar .md-button { min-width: 30px; min-height: 28px; justify-content: center; padding: 2px 6px; color: var(--_muted); }
  .md-toolbar .md-button:hover { color: var(--_text); }
  .md-toolbar .md-button :is(b, i) { font-family: Georgia, 'Times New Roman', serif; font-size: 1.05em; line-height: 1; }
  .md-hint { margin-left: auto; font-size: 0.8em; color: var(--_muted); }
  .md-status:empty { display: none; }
  .md-status, .upload-status { display: grid; gap: 4px; font-size: 0.85em; color: var(--_muted); }
  .md-progress { display: flex; align-items: center; gap: var(--_space); }
  .md-progress progress { flex: 0 1 10em; height: 6px; accent-color: var(--_primary); }
  .field-error p { margin: 0; }
  @media (max-width: 480px) { .md-hint { flex-basis: 100%; margin-left: 0; } }
`;
