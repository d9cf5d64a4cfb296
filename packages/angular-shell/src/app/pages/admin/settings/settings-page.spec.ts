import { TestBed } from '@angular/core/testing';
import { ValidationError, type Me } from '@taskbase/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TASKBASE_CLIENT } from '../../../core/taskbase-client';
import { UserSession } from '../../../core/user-session';
import { fakeClient } from '../../../testing';
import { SettingsPage } from './settings-page';

const me: Me = {
  user: { id: 1, workspaceId: 7, name: 'Ada Admin', email: 'ada@example.test', role: 'admin', active: true, externalId: null, timezone: 'UTC', createdAt: '', updatedAt: '' },
  workspace: { id: 7, name: 'Acme', createdAt: '2026-01-05T00:00:00Z' },
};

describe('SettingsPage', () => {
  afterEach(() => TestBed.resetTestingModule());

  async function render(update: (input: { name: string }) => Promise<unknown>) {
    const client = fakeClient({ auth: { signIn: vi.fn().mockResolvedValue(me) } as never, workspace: { update: vi.fn(update) } as never });
    TestBed.configureTestingModule({ providers: [{ provide: TASKBASE_CLIENT, useValue: client }] });
    await TestBed.inject(UserSession).signIn({ email: 'ada@example.test', password: 'x' });
    const fixture = TestBed.createComponent(SettingsPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const input = element.querySelector<HTMLInputElement>('[data-testid="workspace-name-field"]')!;
    const save = [...element.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Save')!;
    const type = async (value: string) => {
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    return { fixture, element, input, save, type, client };
  }

  it('shows the saved name, and Save only once it is changed', async () => {
    const { input, save, type } = await render(async () => ({}));
    expect(input.value).toBe('Acme');
    expect(save.disabled).toBe(true);
    await type('Acme Corp');
    expect(save.disabled).toBe(false);
  });

  it('renames the workspace: the session (and so the toolbar) has the new name at once', async () => {
    const { element, save, type, fixture, client } = await render(async ({ name }) => ({ ...me.workspace, name }));
    await type('  Acme Corp ');
    save.click();
    await vi.waitFor(() => expect(TestBed.inject(UserSession).workspace()?.name).toBe('Acme Corp'));
    await fixture.whenStable();
    expect(client.workspace.update).toHaveBeenCalledWith({ name: 'Acme Corp' });
    expect(element.textContent).toContain('The basics of Acme Corp.');
    expect(save.disabled).toBe(true);
  });

  it('asks for a name instead of sending a blank one, and shows what the API refused', async () => {
    const refuse = vi.fn(async () => {
      throw new ValidationError('Invalid name', { status: 400, code: 'validation_failed' });
    });
    const { element, save, type, fixture, client } = await render(refuse);
    await type('   ');
    save.click();
    await fixture.whenStable();
    expect(element.textContent).toContain('Enter a name.');
    expect(client.workspace.update).not.toHaveBeenCalled();
    await type('Fine name');
    save.click();
    await vi.waitFor(() => expect(element.querySelector('[role="alert"]')).not.toBeNull());
    expect(TestBed.inject(UserSession).workspace()?.name).toBe('Acme');
  });
});
