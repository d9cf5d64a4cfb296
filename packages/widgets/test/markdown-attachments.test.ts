import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type Person, type TestEnv } from './support/env.js';
import { axe, mount } from './support/page.js';

const SHOTS = process.env.SHOTS18_DIR ?? '/tmp/shots18/';
/** A 2×2 PNG (the server detects a file's type from its bytes). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGNkYPj/n4GBgYGJgYGBgQEAIfQDAaJtuHMAAAAASUVORK5CYII=', 'base64');

/** Pastes a PNG drawn in the page (a File in a DataTransfer, as a real paste carries) into a textarea. */
async function pastePng(area: Locator, name = 'pasted.png'): Promise<void> {
  await area.evaluate(async (element, filename) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 40;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#3451d1';
    g.fillRect(0, 0, 64, 40);
    g.fillStyle = '#ffd166';
    g.fillRect(12, 12, 40, 16);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
    const data = new DataTransfer();
    data.items.add(new File([blob], filename, { type: 'image/png' }));
    (element as HTMLTextAreaElement).focus();
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
  }, name);
}

/** Drops a file made in the page (from base64) on an element: dragenter, dragover, drop with a DataTransfer holding it. */
async function dropFile(target: Locator, name: string, type: string, bytes: Buffer): Promise<void> {
  await target.evaluate((element, [filename, mime, base64]) => {
    const data = new DataTransfer();
    data.items.add(new File([Uint8Array.from(atob(base64!), (c) => c.charCodeAt(0))], filename!, { type: mime }));
    for (const type of ['dragenter', 'dragover', 'drop']) element.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true, composed: true }));
  }, [name, type, bytes.toString('base64')]);
}

/** Whether an image has loaded real pixels. */
const loaded = (img: Locator) => img.evaluate((element) => (element as HTMLImageElement).complete && (element as HTMLImageElement).naturalWidth > 0);

/** Records the page's tb-task-open events (their detail). */
const recordOpens = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { opens: unknown[] };
    w.opens = [];
    document.addEventListener('tb-task-open', (e) => w.opens.push((e as CustomEvent).detail && { identifier: (e as CustomEvent).detail.identifier, taskId: (e as CustomEvent).detail.taskId }));
  });
const opens = (page: Page) => page.evaluate(() => (window as unknown as { opens: unknown[] }).opens);

describe('Markdown, attachments and reactions (issue 18)', () => {
  let env: TestEnv;
  let ada: Person;
  let bob: Person;

  beforeAll(async () => {
    env = await testEnv();
    ({ ada, bob } = await env.workspace());
    mkdirSync(SHOTS, { recursive: true });
  });

  it('renders the description and comments as Markdown: lists, task lists, a table, code, a mention; a task reference opens that task', async () => {
    const other = await ada.client.tasks.create({ title: 'Referenced task' });
    const description = [
      '## Plan', '', '- first', '- second', '', '- [x] done item', '- [ ] open item', '',
      '| Col A | Col B |', '|---|---|', '| 1 | 2 |', '', 'Run `npm test` then:', '', '```', 'const x = 1;', '```', '', '> quoted', '', `Depends on ${other.identifier}.`,
    ].join('\n');
    const task = await ada.client.tasks.create({ title: 'Markdown task', description });
    await ada.client.comments.create(task.id, { comment: `**Bold** and \`code\`, cc @Bob Builder, see ${other.identifier}` });
    const page = await mount(env, ada.token, `<tb-task-detail task-id="${task.id}"></tb-task-detail><tb-comments task-id="${task.id}"></tb-comments>`);
    await recordOpens(page);

    const md = page.locator('tb-task-detail .md');
    await md.waitFor();
    expect(await md.locator('h2').textContent()).toBe('Plan');
    expect((await md.locator('li').allTextContents()).map((s) => s.trim())).toEqual(['first', 'second', 'done item', 'open item']);
    expect(await md.locator('li input[type="checkbox"]').evaluateAll((boxes) => boxes.map((b) => [(b as HTMLInputElement).checked, (b as HTMLInputElement).disabled]))).toEqual([[true, true], [false, true]]);
    expect(await md.locator('table td').allTextContents()).toEqual(['1', '2']);
    expect(await md.locator('pre code').textContent()).toBe('const x = 1;\n');
    expect(await md.locator('p code').textContent()).toBe('npm test');
    expect(await md.locator('blockquote').textContent()).toContain('quoted');

    const comment = page.locator('tb-comments .comment .md');
    await expect.poll(() => comment.locator('strong').textContent()).toBe('Bold');
    expect(await comment.locator('.tb-mention').textContent()).toBe('@Bob Builder');
    // In a comment the reference only asks the host (tb-comments shows no task).
    await comment.locator('a.tb-task-ref').click();
    await expect.poll(() => opens(page)).toEqual([{ identifier: other.identifier, taskId: other.id }]);
    expect(page.url()).not.toContain('#');

    // In the description it opens the task in the detail, unless the host cancels the event.
    await md.locator(`a.tb-task-ref[data-task="${other.identifier}"]`).click();
    await expect.poll(() => page.locator('tb-task-detail .title').inputValue()).toBe('Referenced task');
    expect(await opens(page)).toHaveLength(2);
    await page.context().close();
  });

  it("in the board's dialog, a task reference clicked in a comment shows that task in the detail and the thread", async () => {
    const target = await ada.client.tasks.create({ title: 'Target task' });
    const source = await ada.client.tasks.create({ title: 'Source task' });
    await ada.client.comments.create(source.id, { comment: `Duplicate of ${target.identifier}?` });
    await ada.client.comments.create(target.id, { comment: 'The original' });
    const page = await mount(env, ada.token, '<tb-task-board></tb-task-board>');
    await page.locator('tb-task-board .card-title', { hasText: 'Source task' }).click();
    const dialog = page.locator('tb-task-board dialog');
    await expect.poll(() => dialog.locator('tb-task-detail .title').inputValue()).toBe('Source task');
    await dialog.locator('tb-comments a.tb-task-ref').click();
    await expect.poll(() => dialog.locator('tb-task-detail .title').inputValue()).toBe('Target task');
    await expect.poll(async () => (await dialog.locator('tb-comments .comment .md').allTextContents()).map((s) => s.trim())).toEqual(['The original']);
    await page.context().close();
  });

  it('formats with the toolbar and shortcuts; an image pasted into the comment box becomes an attachment shown inline in the posted comment', async () => {
    const task = await ada.client.tasks.create({ title: 'Paste an image' });
    const page = await mount(env, ada.token, `<tb-comments task-id="${task.id}"></tb-comments>`);
    const box = page.locator('tb-comments #composer');
    await box.fill('make this loud');
    await box.evaluate((area) => (area as HTMLTextAreaElement).setSelectionRange(10, 14));
    await box.press('Control+b');
    await expect.poll(() => box.inputValue()).toBe('make this **loud**');
    await box.press('End');
    await page.getByRole('button', { name: 'Code (Ctrl+E)' }).click();
    await expect.poll(() => box.inputValue()).toBe('make this **loud**`code`');
    await box.fill('Here is the screenshot: ');

    await pastePng(box);
    await expect.poll(() => box.inputValue()).toMatch(/^Here is the screenshot: \n!\[pasted\.png\]\(\/api\/attachments\/\d+\/content\)\n$/);
    const files = await ada.client.attachments.list(task.id);
    expect(files.data.map((a) => [a.filename, a.contentType])).toEqual([['pasted.png', 'image/png']]);

    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    const img = page.locator('tb-comments .comment .md img');
    await img.waitFor();
    expect(await img.getAttribute('src')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/files\/\d+\?.*sig=/);
    expect(await img.getAttribute('alt')).toBe('pasted.png');
    await expect.poll(() => loaded(img)).toBe(true);

    // A signed URL that stopped working (expired on a page left open): the image gets a fresh one.
    const signed = (await img.getAttribute('src'))!;
    await img.evaluate((element, src) => ((element as HTMLImageElement).src = src.replace(/exp=\d+/, 'exp=100')), signed);
    await expect.poll(() => img.evaluate((element) => (element as HTMLImageElement).src)).not.toMatch(/exp=100&/);
    await expect.poll(() => loaded(img)).toBe(true);

    // An image dropped on the box is uploaded and inserted the same way.
    await box.fill('Dropped: ');
    await dropFile(box, 'dropped.png', 'image/png', PNG);
    await expect.poll(() => box.inputValue()).toMatch(/^Dropped: \n!\[dropped\.png\]\(\/api\/attachments\/\d+\/content\)\n$/);
    await page.context().close();
  });

  it('an image pasted into the description is saved with it and shown inline', async () => {
    const task = await ada.client.tasks.create({ title: 'Describe with a picture', description: 'Before' });
    const page = await mount(env, ada.token, `<tb-task-detail task-id="${task.id}"></tb-task-detail>`);
    const area = page.locator('tb-task-detail textarea[name="description"]');
    await expect.poll(() => area.inputValue()).toBe('Before');
    await area.evaluate((element) => (element as HTMLTextAreaElement).setSelectionRange(6, 6));
    await pastePng(area, 'diagram.png');
    const img = page.locator('tb-task-detail .md img[alt="diagram.png"]');
    await img.waitFor();
    await expect.poll(() => loaded(img)).toBe(true);
    expect((await ada.client.tasks.get(task.id)).description).toMatch(/^Before\n!\[diagram\.png\]\(\/api\/attachments\/\d+\/content\)\n$/);
    // It is one of the task's attachments too, with its thumbnail.
    await expect.poll(() => page.locator('tb-task-detail .file-name').allTextContents()).toEqual(['diagram.png']);
    // A change made with the toolbar alone (no typing, so no native change event) is saved on leaving the box.
    await area.evaluate((element) => (element as HTMLTextAreaElement).setSelectionRange(0, 6));
    await page.getByRole('button', { name: 'Italic (Ctrl+I)' }).click();
    await expect.poll(() => area.inputValue()).toMatch(/^_Before_\n/);
    await page.locator('tb-task-detail .title').focus();
    await expect.poll(() => page.locator('tb-task-detail .md em').textContent()).toBe('Before');
    expect((await ada.client.tasks.get(task.id)).description).toMatch(/^_Before_\n!\[diagram\.png\]/);
    await page.context().close();
  });

  it('attaches files with the button, deletes one, and shows another client’s uploads and deletions live', async () => {
    const task = await ada.client.tasks.create({ title: 'Files here' });
    const page = await mount(env, ada.token, `<tb-task-detail task-id="${task.id}"></tb-task-detail>`);
    const section = page.locator('tb-task-detail .attachments');
    await expect.poll(() => section.locator('.muted').first().textContent()).toBe('No files attached');

    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('some notes\n') },
      { name: 'dot.png', mimeType: 'image/png', buffer: PNG },
    ]);
    const names = section.locator('.file-name');
    await expect.poll(async () => (await names.allTextContents()).sort()).toEqual(['dot.png', 'notes.txt']);
    expect(await section.locator('.file[data-id] .file-size').allTextContents()).toEqual(expect.arrayContaining(['11 bytes']));
    const thumb = section.locator('img.thumb');
    await expect.poll(() => loaded(thumb)).toBe(true);
    expect(await section.locator('a.file-name', { hasText: 'notes.txt' }).getAttribute('href')).toMatch(/\/api\/files\/\d+\?.*sig=/);

    // Files dropped anywhere on the section are attached too.
    await dropFile(section, 'dropped.md', 'text/markdown', Buffer.from('# dropped'));
    await expect.poll(async () => (await names.allTextContents()).sort()).toEqual(['dot.png', 'dropped.md', 'notes.txt']);
    await page.getByRole('button', { name: 'Delete dropped.md' }).click();
    await expect.poll(async () => (await names.allTextContents()).sort()).toEqual(['dot.png', 'notes.txt']);

    await page.getByRole('button', { name: 'Delete notes.txt' }).click();
    await expect.poll(() => names.allTextContents()).toEqual(['dot.png']);
    expect((await ada.client.attachments.list(task.id)).data.map((a) => a.filename)).toEqual(['dot.png']);

    // Another client: its upload and its deletion show without a reload.
    const live = await bob.client.attachments.upload(task.id, new Blob(['from bob']), { filename: 'from-bob.txt' });
    await expect.poll(() => names.allTextContents()).toEqual(['dot.png', 'from-bob.txt']);
    await bob.client.attachments.remove(task.id, live.id);
    await expect.poll(() => names.allTextContents()).toEqual(['dot.png']);
    await page.context().close();
  });

  it('says so when an upload is refused (413), in the attachments section and in the comment box', async () => {
    const task = await ada.client.tasks.create({ title: 'Too big' });
    const page = await mount(env, ada.token, `<tb-task-detail task-id="${task.id}"></tb-task-detail><tb-comments task-id="${task.id}"></tb-comments>`, {
      beforeMount: (p) =>
        p.route('**/attachments', (route) =>
          route.request().method() === 'POST'
            ? route.fulfill({
                status: 413, contentType: 'application/problem+json', headers: { 'access-control-allow-origin': '*' },
                body: JSON.stringify({ type: 'https://taskbase.dev/problems/file-too-large', status: 413, code: 'file_too_large', title: 'Payload Too Large', detail: 'The file exceeds the limit of 26214400 bytes' }),
              })
            : route.fallback(),
        ),
    });
    await expect.poll(() => page.locator('tb-task-detail .attachments .muted').first().textContent()).toBe('No files attached');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles([{ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('x') }]);
    await expect.poll(() => page.locator('tb-task-detail .attachments [role="alert"]').textContent()).toBe('Could not upload huge.bin: The file exceeds the limit of 26214400 bytes');

    const box = page.locator('tb-comments #composer');
    await box.fill('Look: ');
    await pastePng(box, 'huge.png');
    await expect.poll(() => page.locator('tb-comments .composer [role="alert"]').textContent()).toBe('Could not upload huge.png: The file exceeds the limit of 26214400 bytes');
    expect(await box.inputValue()).toBe('Look: ');
    await page.locator('tb-comments .composer').screenshot({ path: `${SHOTS}comments-upload-error.png`, animations: 'disabled' });
    await page.context().close();
  });

  it('toggles reactions (count and pressed state), and another client’s reaction arrives live', async () => {
    const task = await ada.client.tasks.create({ title: 'React to me' });
    const comment = await ada.client.comments.create(task.id, { comment: 'Shipped!' });
    const page = await mount(env, bob.token, `<tb-comments task-id="${task.id}"></tb-comments>`);
    const chip = (emoji: string) => page.locator(`tb-comments .reaction[data-emoji="${emoji}"]`);
    const focused = () => page.evaluate(() => document.querySelector('tb-provider tb-comments')!.shadowRoot!.activeElement?.getAttribute('aria-label'));
    const add = page.getByRole('button', { name: 'Add reaction' });
    // The picker takes the focus; Escape closes it and gives the focus back; so does going elsewhere, without taking it back.
    await add.click();
    await expect.poll(focused).toBe('React with 👍');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('tb-comments .picker').count()).toBe(0);
    expect(await focused()).toBe('Add reaction');
    await add.click();
    await page.locator('tb-comments #composer').click();
    await expect.poll(() => page.locator('tb-comments .picker').count()).toBe(0);
    expect(await focused()).toBe('Write a comment… Type @ to mention someone');
    await add.click();
    await page.getByRole('button', { name: 'React with 👍' }).click();
    await expect.poll(() => chip('👍').getAttribute('aria-pressed')).toBe('true');
    expect(await chip('👍').locator('.count').textContent()).toBe('1');
    await chip('👍').click();
    await expect.poll(() => chip('👍').count()).toBe(0);

    await ada.client.comments.react(task.id, comment.id, '🎉');
    await expect.poll(() => chip('🎉').locator('.count').textContent()).toBe('1');
    expect(await chip('🎉').getAttribute('aria-pressed')).toBe('false');
    await chip('🎉').click();
    await expect.poll(() => chip('🎉').locator('.count').textContent()).toBe('2');
    expect(await chip('🎉').getAttribute('aria-pressed')).toBe('true');
    expect((await ada.client.comments.list(task.id)).data[0]!.reactions).toEqual([{ emoji: '🎉', count: 2, me: true }]);
    await page.context().close();
  });

  it('has no axe violations, and is screenshotted in light, dark and at 380px', async () => {
    const other = await ada.client.tasks.create({ title: 'Card vault' });
    const task = await ada.client.tasks.create({
      title: 'Saved cards at checkout',
      description: [
        'Let returning customers **pick a saved card**. Blocked by ' + other.identifier + '.', '',
        '- [x] Store the token', '- [ ] Show the cards', '', '| Card | Expires |', '|---|---|', '| Visa ···4242 | 04/28 |', '| Amex ···0005 | 11/27 |', '',
        '```js', "charge({ card: saved.id, amount });", '```', '', '> Keep the CVC prompt for cards older than a year.',
      ].join('\n'),
    });
    await ada.client.attachments.upload(task.id, PNG, { filename: 'mockup.png' });
    await ada.client.attachments.upload(task.id, new Blob(['a,b\n1,2\n']), { filename: 'card-usage-2026.csv' });
    const first = await bob.client.comments.create(task.id, { comment: 'Looks good @Ada Lovelace — see `charge()` and ' + other.identifier });
    await ada.client.comments.react(task.id, first.id, '👍');
    await bob.client.comments.react(task.id, first.id, '👍');
    await bob.client.comments.react(task.id, first.id, '🚀');
    const html = `<tb-task-detail task-id="${task.id}"></tb-task-detail><tb-comments task-id="${task.id}"></tb-comments>`;
    for (const [name, options] of [['light', { colorScheme: 'light' }], ['dark', { colorScheme: 'dark' }], ['narrow', { colorScheme: 'light', width: 380 }]] as const) {
      const page = await mount(env, ada.token, html, { ...options, width: 'width' in options ? options.width : 900 });
      await page.locator('tb-task-detail .md table').waitFor();
      await expect.poll(() => page.locator('tb-task-detail .file-name').count()).toBe(2);
      await expect.poll(() => loaded(page.locator('tb-task-detail img.thumb'))).toBe(true);
      await page.locator('tb-comments .reaction[data-emoji="👍"]').waitFor();
      expect(await axe(page, 'tb-task-detail'), `${name} detail`).toEqual([]);
      expect(await axe(page, 'tb-comments'), `${name} comments`).toEqual([]);
      await page.locator('tb-task-detail').screenshot({ path: `${SHOTS}detail-${name}.png`, animations: 'disabled' });
      await page.getByRole('button', { name: 'Add reaction' }).click();
      await page.locator('tb-comments .picker').waitFor();
      expect(await axe(page, 'tb-comments'), `${name} picker`).toEqual([]);
      await page.locator('tb-comments').screenshot({ path: `${SHOTS}comments-${name}.png`, animations: 'disabled' });
      await page.context().close();
    }
  });
});
