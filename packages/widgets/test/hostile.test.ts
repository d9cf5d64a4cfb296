import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { testEnv } from './support/env.js';
import { mount } from './support/page.js';

// Each payload, if it ever ran, would set window.__pwned to say which one it was.
const RLO = '\u202E';
const TITLE = `${RLO}<img src=x onerror="window.__pwned='title-img'"><svg onload="window.__pwned='title-svg'">`;
const RENAMED = `<script>window.__pwned='title-script'</script>${RLO}gnp.exe`;
const DESCRIPTION = `<a href="javascript:window.__pwned='description-href'">open</a> javascript:window.__pwned='text' <img src=x onerror="window.__pwned='description-img'">`;
const NAME = `<img src=x onerror="window.__pwned='name'">${RLO}Eve`;
// It also mentions Eve, whose name the thread highlights as a mention.
const COMMENT = `<img src=x onerror="window.__pwned='comment-img'"> see <a href="javascript:window.__pwned='comment-href'">this</a> @${NAME} ${RLO}evil <svg onload="window.__pwned='comment-svg'">`;
// Descriptions and comments are Markdown (issue 18): the server's sanitized HTML is inserted as is, so
// every way Markdown or raw HTML could smuggle script in is tried on both.
const MARKDOWN = [
  `[md link](javascript:window.__pwned='md-link') [spaced](  javascript:alert('md-spaced')) [entity](&#106;avascript:alert('md-entity'))`,
  `![md image](javascript:window.__pwned='md-img') ![x](x" onerror="window.__pwned='md-img-attr') <https://x.test" onmouseover="alert(1)>`,
  `<script>window.__pwned='md-script'</script><iframe src="javascript:window.__pwned='md-iframe'"></iframe><iframe srcdoc="<script>parent.__pwned='srcdoc'</script>"></iframe>`,
  `<svg><script>window.__pwned='svg-script'</script></svg><svg onload="window.__pwned='md-svg'"></svg><math><mtext><img src=x onerror="window.__pwned='math'"></mtext></math>`,
  `<details open ontoggle="window.__pwned='details'">x</details><img src=x onerror=alert('md-alert')><a href="JaVaScRiPt:window.__pwned='case'">case</a>`,
  `<object data="javascript:window.__pwned='object'"></object><embed src="javascript:window.__pwned='embed'"><form action="javascript:window.__pwned='form'"><button>go</button></form>`,
  '<style>* { display: none }</style><a href="data:text/html,<script>alert(1)</script>">data</a> <img src="/api/attachments/1/content" data-attachment-id="1" onerror="window.__pwned=\'attachment-img\'">',
].join('\n\n');

/** What the page's scripts could have been tricked into: live handlers, scripts, javascript: links, anywhere (shadow roots included). */
function inspect(page: Page) {
  return page.evaluate(() => {
    const elements: Element[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const element of root.querySelectorAll('*')) {
        elements.push(element);
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
    const inWidgets = elements.filter((element) => element.getRootNode() instanceof ShadowRoot || element.closest('tb-provider'));
    return {
      pwned: (window as unknown as { __pwned?: string }).__pwned,
      handlers: inWidgets.filter((element) => [...element.attributes].some((a) => /^on/i.test(a.name))).map((element) => element.outerHTML.slice(0, 120)),
      scripts: inWidgets.filter((element) => element.localName === 'script').length,
      // Markdown may show attachment images (the server keeps only those): with a signed src, or none for an unknown one.
      images: inWidgets
        .filter((element) => element.localName === 'img' && !(element.matches('.md img[data-attachment-id]') && /^(|https?:\/\/[^/]+\/api\/files\/\d+\?.*)$/.test(element.getAttribute('src') ?? '')))
        .map((element) => element.outerHTML),
      embedded: inWidgets.filter((element) => ['iframe', 'object', 'embed', 'form', 'style'].includes(element.localName) && element.closest('.md')).map((element) => element.localName),
      javascriptLinks: inWidgets
        .filter((element) => ['href', 'src', 'xlink:href', 'action', 'formaction'].some((name) => /^\s*javascript:/i.test(element.getAttribute(name) ?? '')))
        .map((element) => element.outerHTML.slice(0, 120)),
    };
  });
}

/** The text a widget shows: its shadow root's text, nested shadow roots included. */
function shownText(page: Page, tag: string): Promise<string> {
  return page.evaluate((name) => {
    const text = (root: Node): string =>
      [...root.childNodes].map((node) => (node instanceof Element && node.shadowRoot ? text(node.shadowRoot) : '') + (node.nodeType === Node.TEXT_NODE ? node.textContent : node instanceof Element && node.localName !== 'style' ? text(node) : '')).join('');
    return text(document.querySelector(name)!.shadowRoot!);
  }, tag);
}

/**
 * A positive control: the same kind of payload, put into the page's own DOM
 * on purpose, does run here (no CSP on this page). Once it has, any copy a
 * widget had turned into markup earlier would have run too.
 */
async function controlPayloadRan(page: Page): Promise<void> {
  await page.evaluate(() => {
    const control = document.createElement('div');
    control.innerHTML = `<img src=x onerror="window.__control = true">`;
    document.body.append(control);
  });
  await page.waitForFunction(() => (window as unknown as { __control?: boolean }).__control === true);
  await page.evaluate(() => document.body.lastElementChild!.remove());
}

async function expectInert(page: Page, dialogs: string[] = []): Promise<void> {
  await controlPayloadRan(page);
  const found = await inspect(page);
  expect(found.pwned).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(found.handlers).toEqual([]);
  expect(found.scripts).toBe(0);
  expect(found.images).toEqual([]);
  expect(found.embedded).toEqual([]);
  expect(found.javascriptLinks).toEqual([]);
}

describe('hostile titles, descriptions, comments and names render as text in every widget', () => {
  it('board, list, detail (with its activity), comments, the bell and analytics: nothing executes, no live javascript: link', async () => {
    const env = await testEnv();
    const { ada, bob } = await env.workspace();
    const { user: eve } = await ada.client.users.create({ name: NAME, email: `eve-${Date.now()}@example.test`, role: 'member', password: 'correct horse battery' });
    const task = await ada.client.tasks.create({ title: TITLE, description: `${DESCRIPTION}\n\n${MARKDOWN}`, assignedTo: bob.id, priority: 'high' });
    await ada.client.tasks.create({ title: TITLE, assignedTo: eve.id });
    await ada.client.comments.create(task.id, { comment: `${COMMENT}\n\n${MARKDOWN}` });
    await ada.client.tasks.update(task.id, { status: 'in_progress' }); // the bell words this one itself
    await ada.client.tasks.update(task.id, { title: RENAMED }); // activity: "changed title from … to …"

    const dialogs: string[] = [];
    const page = await mount(
      env,
      bob.token,
      `<tb-notification-bell group="none"></tb-notification-bell>
       <tb-task-board></tb-task-board>
       <tb-task-list></tb-task-list>
       <tb-task-detail task-id="${task.id}"></tb-task-detail>
       <tb-comments task-id="${task.id}"></tb-comments>`,
      { beforeMount: (p) => Promise.resolve(p.on('dialog', (dialog) => void (dialogs.push(dialog.message()), dialog.dismiss()))) },
    );
    // Every widget shows the hostile text, as text.
    await expect.poll(() => page.locator('tb-task-board .card-title').allTextContents()).toEqual(expect.arrayContaining([RENAMED, TITLE]));
    await expect.poll(() => shownText(page, 'tb-task-list')).toContain(RENAMED);
    await expect.poll(() => shownText(page, 'tb-task-list')).toContain(NAME);
    await expect.poll(() => page.locator('tb-task-detail .title').inputValue()).toBe(RENAMED);
    expect(await page.locator('tb-task-detail textarea[name="description"]').inputValue()).toBe(`${DESCRIPTION}\n\n${MARKDOWN}`);
    // The rendered Markdown keeps the words and drops the markup that could act (the server's sanitizer).
    await expect.poll(() => page.locator('tb-task-detail .md').textContent()).toContain('md link');
    await expect.poll(() => page.locator('tb-task-detail .activity').textContent()).toContain('Ada Lovelace changed title');
    // The comment is Markdown too: raw HTML tags are dropped, their words stay; the hostile name is a mention, as text.
    await expect.poll(() => page.locator('tb-comments .text').first().textContent()).toContain(`${RLO}evil`);
    expect(await page.locator('tb-comments .text .tb-mention').first().textContent()).toBe(`@${NAME}`);
    expect(await page.locator('tb-comments .text').first().textContent()).toContain('md link');
    await page.locator('tb-notification-bell .bell').click();
    const messages = page.locator('tb-notification-bell .item .msg');
    await expect.poll(() => messages.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(`“${TITLE}”`), `Ada Lovelace moved “${TITLE}” to In progress`]),
    );
    // The card's dialog (detail and comments inside the board) shows them too.
    await page.locator('tb-task-board .card-title', { hasText: RENAMED }).click();
    await expect.poll(() => page.locator('tb-task-board dialog tb-task-detail textarea[name="description"]').inputValue()).toBe(`${DESCRIPTION}\n\n${MARKDOWN}`);
    await expect.poll(() => page.locator('tb-task-board dialog tb-comments .text').first().textContent()).toContain(`${RLO}evil`);

    await expectInert(page, dialogs);
    await page.context().close();

    // An admin's analytics names every assignee (Eve's name is hostile).
    const admin = await mount(env, ada.token, '<tb-analytics></tb-analytics>');
    await expect.poll(() => shownText(admin, 'tb-analytics')).toContain(NAME);
    await expectInert(admin);
    await admin.context().close();
  });
});
