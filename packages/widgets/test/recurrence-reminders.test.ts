import { mkdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type Person, type TestEnv } from './support/env.js';
import { axe, mount } from './support/page.js';

const SHOTS = process.env.SHOTS19_DIR ?? '/tmp/shots19/';

describe('tb-task-detail: repeat and reminders (issue 19)', () => {
  let env: TestEnv;
  let ada: Person;

  beforeAll(async () => {
    env = await testEnv();
    ({ ada } = await env.workspace());
    mkdirSync(SHOTS, { recursive: true });
  });

  it('sets a repeat preset and mode with the keyboard, shows the rule, refuses a bad custom rule, and stops', async () => {
    const task = await ada.client.tasks.create({ title: 'Weekly report', dueDate: '2031-03-07T16:00:00.000Z' });
    const page = await mount(env, ada.token, `<tb-task-detail task-id="${task.id}"></tb-task-detail>`);
    const section = page.locator('tb-task-detail [part="schedule"]');
    await section.waitFor();
    expect(await section.locator('[role="heading"]').textContent()).toBe('Repeat and reminders');

    const preset = section.locator('select[name="repeat"]');
    await preset.focus();
    await preset.selectOption('weekdays');
    const mode = section.locator('select[name="repeatMode"]');
    await mode.selectOption('schedule');
    await section.getByRole('button', { name: 'Save repeat' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await ada.client.tasks.get(task.id)).recurrence).toMatchObject({ rule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', mode: 'schedule' });
    await expect.poll(() => section.locator('.help').textContent()).toContain('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
    expect(await preset.inputValue()).toBe('weekdays');
    await page.screenshot({ path: `${SHOTS}repeat-light.png`, fullPage: true });

    await preset.selectOption('custom');
    const rule = section.locator('input[name="rule"]');
    await rule.fill('FREQ=MINUTELY');
    await rule.press('Enter');
    const alert = section.locator('.field-error[role="alert"]');
    await expect.poll(() => alert.textContent()).toContain('hourly');
    expect((await ada.client.tasks.get(task.id)).recurrence?.rule).toBe('FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR');
    await rule.fill('FREQ=MONTHLY;BYDAY=1MO');
    await rule.press('Enter');
    await expect.poll(async () => (await ada.client.tasks.get(task.id)).recurrence?.rule).toBe('FREQ=MONTHLY;BYDAY=+1MO');

    await section.getByRole('button', { name: 'Stop repeating' }).click();
    await expect.poll(async () => (await ada.client.tasks.get(task.id)).recurrence).toBeNull();
    expect(await preset.inputValue()).toBe('none');
    expect(await axe(page, 'tb-task-detail')).toEqual([]);
    await page.context().close();
  });

  it('adds reminders before the due date and at a time, lists and removes them (keyboard), in light, dark and at 380px', async () => {
    const task = await ada.client.tasks.create({ title: 'Renew the certificate', dueDate: '2031-05-20T09:00:00.000Z' });
    for (const variant of [{ name: 'light' }, { name: 'dark', colorScheme: 'dark' as const }, { name: 'narrow', width: 380 }]) {
      const page = await mount(env, ada.token, `<tb-task-detail task-id="${task.id}"></tb-task-detail>`, variant);
      const section = page.locator('tb-task-detail [part="schedule"]');
      await section.waitFor();
      if (variant.name === 'light') {
        await expect.poll(() => section.textContent()).toContain('No reminders');
        const when = section.locator('select[name="reminderWhen"]');
        await when.selectOption('P1D');
        await section.getByRole('button', { name: 'Add reminder' }).click();
        await expect.poll(() => section.locator('.items li').count()).toBe(1);
        await when.selectOption('at');
        await section.locator('input[name="reminderAt"]').fill('2031-05-19T18:30');
        await section.getByRole('button', { name: 'Add reminder' }).click();
        await expect.poll(() => section.locator('.items li').count()).toBe(2);
        await when.selectOption('PT1H');
        await section.getByRole('button', { name: 'Add reminder' }).click();
        await expect.poll(() => section.locator('.items li').count()).toBe(3);
        const saved = (await ada.client.tasks.reminders.list(task.id)).data;
        expect(saved.map((r) => r.beforeDue)).toEqual(['P1D', null, 'PT1H']);
        expect(saved[0]!.fireAt).toBe('2031-05-19T09:00:00.000Z');
        expect(saved[1]!.at).toBe(new Date('2031-05-19T18:30').toISOString().replace(/\.\d+Z$/, '.000Z'));

        // Removed with the keyboard: the focus goes back to the "When" field.
        const remove = section.getByRole('button', { name: 'Remove the reminder 1 hour before due' });
        await remove.focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => section.locator('.items li').count()).toBe(2);
        await expect.poll(() => page.evaluate(() => document.querySelector('tb-task-detail')!.shadowRoot!.activeElement?.getAttribute('name'))).toBe('reminderWhen');
        expect((await ada.client.tasks.reminders.list(task.id)).data.map((r) => r.beforeDue)).toEqual(['P1D', null]);
        await section.locator('select[name="repeat"]').selectOption('daily');
        await section.getByRole('button', { name: 'Save repeat' }).click();
        await expect.poll(() => section.locator('.help').count()).toBe(1);
      } else {
        await expect.poll(() => section.locator('.items li').count()).toBe(2);
      }
      expect(await section.locator('.items li').first().textContent()).toContain('1 day before due');
      expect(await axe(page, 'tb-task-detail')).toEqual([]);
      if (variant.name === 'narrow') {
        // Nothing wider than the phone.
        expect(await section.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
      }
      await section.scrollIntoViewIfNeeded();
      await section.screenshot({ path: `${SHOTS}reminders-${variant.name}.png` });
      await page.context().close();
    }
  });
});
