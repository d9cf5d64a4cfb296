import { describe, expect, it } from 'vitest';
import { attachmentImagesIn, renderMarkdown } from './render.js';

const context = { members: [{ id: 5, name: 'Ann Lee' }, { id: 6, name: 'Bob' }], projectKeys: new Set(['CRM']) };

describe('renderMarkdown', () => {
  it('renders CommonMark and GitHub’s extensions: lists, task lists, tables, code, strikethrough, links', () => {
    const html = renderMarkdown('# Plan\n\n- [x] done\n- [ ] *next*\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```js\nconst a = "<b>";\n```\n\n~~old~~ [site](https://example.com)', context);
    expect(html).toContain('<h1>Plan</h1>');
    expect(html).toContain('<li><input type="checkbox" disabled checked /> done</li>');
    expect(html).toContain('<li><input type="checkbox" disabled /> <em>next</em></li>');
    expect(html).toContain('<th align="left">a</th>');
    expect(html).toContain('<code class="language-js">const a = "&lt;b&gt;";');
    expect(html).toContain('<del>old</del>');
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow" target="_blank">site</a>');
  });

  it('links @mentions of members and references to tasks of known projects, nothing else', () => {
    const html = renderMarkdown('@Ann Lee and @bob: see CRM-42, not XYZ-1 nor mail@bob.com', context);
    expect(html).toContain('<span class="tb-mention" data-user-id="5">@Ann Lee</span>');
    expect(html).toContain('<span class="tb-mention" data-user-id="6">@Bob</span>');
    expect(html).toContain('<a class="tb-task-ref" data-task="CRM-42" href="#CRM-42">CRM-42</a>');
    expect(html).not.toContain('data-task="XYZ-1"');
    expect(html).not.toContain('data-user-id="6">@bob.com');
  });

  it('escapes what a member’s name holds', () => {
    const html = renderMarkdown('hi @<img src=x onerror=alert(1)>', { members: [{ id: 9, name: '<img src=x onerror=alert(1)>' }], projectKeys: new Set() });
    expect(html).not.toMatch(/<img/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it.each([
    ['a script tag', '<script>window.pwned = 1</script>'],
    ['an event handler', '<img src="x" onerror="window.pwned = 1">'],
    ['a javascript: link', '[click](javascript:window.pwned=1)'],
    ['an encoded javascript: link', '<a href="jav&#x61;script:window.pwned=1">x</a>'],
    ['an iframe', '<iframe src="https://evil.example"></iframe>'],
    ['an SVG with onload', '<svg onload="window.pwned=1"><circle r="5"/></svg>'],
    ['a style tag', '<style>body{display:none}</style>'],
    ['a form', '<form action="https://evil.example"><button>go</button></form>'],
    ['a data: image', '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
    ['a foreign image (a tracking pixel)', '![x](https://tracker.example/p.gif)'],
    ['an attribute breaking out', '<a href="https://ok.example" onclick="window.pwned=1" style="position:fixed">x</a>'],
  ])('removes %s', (_what, source) => {
    const html = renderMarkdown(source, context);
    expect(html).not.toMatch(/<script|<iframe|<svg|<style|<form|onerror|onload|onclick|javascript:|data:|style=|tracker\.example/i);
  });

  it('keeps attachment images, and only those, marking their id', () => {
    const html = renderMarkdown('![shot](/api/attachments/12/content) ![x](/api/attachments/12/content/../../x)', context);
    expect(html).toContain('<img alt="shot" src="/api/attachments/12/content" data-attachment-id="12" />');
    expect(html.match(/<img/g)).toHaveLength(1);
    expect(attachmentImagesIn('![a](/api/attachments/3/content) ![b](/api/attachments/4/content) ![a](/api/attachments/3/content)')).toEqual([3, 4]);
  });

  it('answers the empty string for an empty text', () => {
    expect(renderMarkdown('  \n', context)).toBe('');
  });
});
