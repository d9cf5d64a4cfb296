import { TestBed } from '@angular/core/testing';
import { MatDialog, MatDialogRef } from '@angular/material/dialog';
import type { User } from '@taskbase/sdk';
import { of } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Notifier } from '../../../core/notifier';
import { TASKBASE_CLIENT } from '../../../core/taskbase-client';
import { UserSession } from '../../../core/user-session';
import { fakeClient } from '../../../testing';
import { InviteDialog } from './invite-dialog';
import { TeamPage } from './team-page';

const person = (id: number, name: string, role: User['role'], active = true): User => ({
  id, workspaceId: 1, name, email: `${name.toLowerCase()}@example.test`, role, active, externalId: null, timezone: 'UTC', createdAt: '2026-01-0' + id + 'T00:00:00Z', updatedAt: '',
});
const ada = person(1, 'Ada', 'admin');
const tom = person(2, 'Tom', 'member');

async function* many(users: User[]) {
  yield* users;
}

function render(users: { iterate?: unknown; update?: unknown; create?: unknown }) {
  TestBed.configureTestingModule({
    providers: [
      { provide: TASKBASE_CLIENT, useValue: fakeClient({ users: users as never }) },
      { provide: UserSession, useValue: { user: () => ada } },
    ],
  });
  const fixture = TestBed.createComponent(TeamPage);
  return { fixture, element: fixture.nativeElement as HTMLElement };
}

describe('TeamPage', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('lists the team in a sortable, paginated table', async () => {
    const { fixture, element } = render({ iterate: () => many([tom, ada]) });
    await fixture.whenStable();
    const rows = [...element.querySelectorAll('tr.mat-mdc-row')].map((row) => row.textContent);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('Ada'); // sorted by name
    expect(element.querySelector('mat-paginator')).not.toBeNull();
    expect(element.querySelectorAll('[mat-sort-header]').length).toBeGreaterThan(3);
    // No deactivate button for oneself
    expect(element.querySelector('[aria-label="Deactivate Ada"]')).toBeNull();
    expect(element.querySelector('[aria-label="Deactivate Tom"]')).not.toBeNull();
  });

  it('deactivates a teammate after confirmation', async () => {
    const update = vi.fn().mockResolvedValue({ ...tom, active: false });
    const { fixture, element } = render({ iterate: () => many([ada, tom]), update });
    await fixture.whenStable();
    const open = vi.spyOn(TestBed.inject(MatDialog), 'open').mockReturnValue({ afterClosed: () => of(true) } as MatDialogRef<unknown>);
    (element.querySelector('[aria-label="Deactivate Tom"]') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(update).toHaveBeenCalledWith(2, { active: false }));
    await fixture.whenStable();
    expect(open).toHaveBeenCalled();
    expect(element.textContent).toContain('Deactivated');
    expect(element.querySelector('[aria-label="Reactivate Tom"]')).not.toBeNull();
  });

  it('changes a role', async () => {
    const update = vi.fn().mockResolvedValue({ ...tom, role: 'manager' });
    const { fixture } = render({ iterate: () => many([ada, tom]), update });
    await fixture.whenStable();
    const confirm = vi.spyOn(TestBed.inject(Notifier), 'confirm');
    await (fixture.componentInstance as unknown as { changeRole(p: User, r: string): Promise<void> }).changeRole(tom, 'manager');
    expect(update).toHaveBeenCalledWith(2, { role: 'manager' });
    // People read labels, not the API's keys.
    expect(confirm).toHaveBeenCalledWith('Tom’s role is now Manager');
  });
});

describe('InviteDialog', () => {
  afterEach(() => TestBed.resetTestingModule());

  function renderDialog(create: unknown) {
    const close = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        { provide: TASKBASE_CLIENT, useValue: fakeClient({ users: { create } as never }) },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    const fixture = TestBed.createComponent(InviteDialog);
    return { fixture, element: fixture.nativeElement as HTMLElement, close };
  }

  it('shows validation messages and sends nothing while the form is invalid', async () => {
    const create = vi.fn();
    const { fixture, element } = renderDialog(create);
    await fixture.whenStable();
    (element.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(element.textContent).toContain('Enter their name.');
    expect(element.textContent).toContain('Enter their email.');
    expect(create).not.toHaveBeenCalled();
  });

  it('invites with the chosen role and closes with the answer', async () => {
    const answer = { user: tom, temporaryPassword: 'temp-pass-123' };
    const create = vi.fn().mockResolvedValue(answer);
    const { fixture, element, close } = renderDialog(create);
    await fixture.whenStable();
    const type = (selector: string, value: string) => {
      const input = element.querySelector(selector) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    type('input[formcontrolname="name"]', 'Tom');
    type('input[formcontrolname="email"]', 'tom@example.test');
    (element.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(close).toHaveBeenCalledWith(answer));
    expect(create).toHaveBeenCalledWith({ name: 'Tom', email: 'tom@example.test', role: 'member' });
  });
});
