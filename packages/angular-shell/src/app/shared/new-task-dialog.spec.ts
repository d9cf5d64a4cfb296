import { TestBed } from '@angular/core/testing';
import { MatDialogRef } from '@angular/material/dialog';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TASKBASE_CLIENT } from '../core/taskbase-client';
import { fakeClient } from '../testing';
import { NewTaskDialog } from './new-task-dialog';

describe('NewTaskDialog', () => {
  afterEach(() => TestBed.resetTestingModule());

  function render(create: (input: unknown) => Promise<unknown>) {
    const close = vi.fn();
    const client = fakeClient({ tasks: { create: vi.fn(create) } as never });
    TestBed.configureTestingModule({ providers: [{ provide: TASKBASE_CLIENT, useValue: client }, { provide: MatDialogRef, useValue: { close } }] });
    const fixture = TestBed.createComponent(NewTaskDialog);
    return { fixture, element: fixture.nativeElement as HTMLElement, close, client };
  }

  it('asks for a title, then creates the task with Material selects for status and priority and closes with it', async () => {
    const created = { id: 42, title: 'Plan the offsite' };
    const { fixture, element, close, client } = render(async () => created);
    await fixture.whenStable();
    expect(element.querySelectorAll('mat-select')).toHaveLength(2);
    expect(element.querySelector('select')).toBeNull();
    const submit = [...element.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Create')!;
    submit.click();
    await fixture.whenStable();
    expect(element.textContent).toContain('Give the task a title.');
    expect(client.tasks.create).not.toHaveBeenCalled();

    const title = element.querySelector<HTMLInputElement>('[data-testid="new-task-title"]')!;
    title.value = ' Plan the offsite ';
    title.dispatchEvent(new Event('input'));
    submit.click();
    await vi.waitFor(() => expect(close).toHaveBeenCalledWith(created));
    expect(client.tasks.create).toHaveBeenCalledWith({ title: 'Plan the offsite', status: 'todo', priority: 'medium' });
  });
});
