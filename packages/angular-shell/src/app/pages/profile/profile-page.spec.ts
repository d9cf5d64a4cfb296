import { TestBed } from '@angular/core/testing';
import { ValidationError, type Me } from '@taskbase/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TASKBASE_CLIENT } from '../../core/taskbase-client';
import { ThemeSwitcher } from '../../core/theme-switcher';
import { UserSession } from '../../core/user-session';
import { fakeClient } from '../../testing';
import { ProfilePage } from './profile-page';

const me: Me = {
  user: { id: 3, workspaceId: 7, name: 'Tom Teammate', email: 'tom@example.test', role: 'manager', active: true, externalId: null, timezone: 'UTC', createdAt: '', updatedAt: '' },
  workspace: { id: 7, name: 'Acme', createdAt: '2026-01-05T00:00:00Z' },
};

async function render(updateMe: (input: Record<string, string>) => Promise<Me>) {
  const client = fakeClient({ auth: { signIn: vi.fn().mockResolvedValue(me), updateMe: vi.fn(updateMe) } as never });
  TestBed.configureTestingModule({ providers: [{ provide: TASKBASE_CLIENT, useValue: client }] });
  await TestBed.inject(UserSession).signIn({ email: 'tom@example.test', password: 'x' });
  const fixture = TestBed.createComponent(ProfilePage);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const input = (label: string) => [...element.querySelectorAll('mat-form-field')].find((f) => f.textContent?.includes(label))!.querySelector('input')!;
  const button = (text: string) => [...element.querySelectorAll('button')].find((b) => b.textContent?.trim() === text)!;
  const type = async (label: string, value: string) => {
    input(label).value = value;
    input(label).dispatchEvent(new Event('input'));
    await fixture.whenStable();
  };
  return { fixture, element, input, button, type, client };
}

describe('ProfilePage', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('shows the name and a human role label, and saves a new name into the session', async () => {
    const { element, input, button, type, client, fixture } = await render(async ({ name }) => ({ ...me, user: { ...me.user, name: name! } }));
    expect(input('Your name').value).toBe('Tom Teammate');
    expect(element.textContent).toContain('tom@example.test · Manager');
    expect(button('Save name').disabled).toBe(true);
    await type('Your name', ' Tom Turner ');
    button('Save name').click();
    await vi.waitFor(() => expect(TestBed.inject(UserSession).user()?.name).toBe('Tom Turner'));
    await fixture.whenStable();
    expect(client.auth.updateMe).toHaveBeenCalledWith({ name: 'Tom Turner' });
    expect(element.textContent).not.toContain('Timezone');
  });

  it('changes the password with the current one, refuses a mismatched repeat, and explains a wrong current password', async () => {
    let wrong = true;
    const { element, button, type, client, fixture, input } = await render(async () => {
      if (wrong) throw new ValidationError('Validation failed', { status: 422, code: 'validation_failed' });
      return me;
    });
    await type('Current password', 'temporary-123');
    await type('New password', 'a much better one');
    await type('Repeat the new password', 'a much better on');
    button('Change password').click();
    await fixture.whenStable();
    expect(element.textContent).toContain('The two new passwords differ.');
    expect(client.auth.updateMe).not.toHaveBeenCalled();

    await type('Repeat the new password', 'a much better one');
    button('Change password').click();
    await vi.waitFor(() => expect(element.querySelector('[role="alert"]')?.textContent).toContain('Your current password is not right.'));
    wrong = false;
    button('Change password').click();
    await vi.waitFor(() => expect(client.auth.updateMe).toHaveBeenCalledTimes(2));
    expect(client.auth.updateMe).toHaveBeenLastCalledWith({ currentPassword: 'temporary-123', newPassword: 'a much better one' });
    // The emptied form is fresh, not three fields in error.
    await vi.waitFor(() => expect(input('Current password').value).toBe(''));
    await fixture.whenStable();
    expect(element.querySelectorAll('mat-error')).toHaveLength(0);
    expect(element.querySelectorAll('.mat-form-field-invalid')).toHaveLength(0);
  });

  it('switches the theme between light, dark and system', async () => {
    const { element, fixture } = await render(async () => me);
    const toggle = (label: string) => [...element.querySelectorAll('mat-button-toggle button')].find((b) => b.textContent?.includes(label)) as HTMLButtonElement;
    toggle('Dark').click();
    await fixture.whenStable();
    expect(TestBed.inject(ThemeSwitcher).choice()).toBe('dark');
    toggle('System').click();
    await fixture.whenStable();
    expect(TestBed.inject(ThemeSwitcher).choice()).toBe('system');
  });
});
