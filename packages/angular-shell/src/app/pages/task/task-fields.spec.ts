import { TestBed } from '@angular/core/testing';
import { ConflictError, type Task, type User } from '@taskbase/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TASKBASE_CLIENT } from '../../core/taskbase-client';
import { fakeClient } from '../../testing';
import { TaskFields } from './task-fields';

const task = { id: 9, title: 'Ship it', status: 'todo', priority: 'low', assignedTo: null, dueDate: null, version: 3, can: ['update', 'assign', 'move'] } as unknown as Task;
const bob = { id: 2, name: 'Bob Builder', active: true } as User;

async function render(update: (id: number, input: unknown, options: unknown) => Promise<Task>) {
  const client = fakeClient({
    tasks: { get: vi.fn().mockResolvedValue(task), update: vi.fn(update) } as never,
    users: { list: vi.fn().mockResolvedValue({ data: [bob], nextCursor: null }) } as never,
  });
  TestBed.configureTestingModule({ providers: [{ provide: TASKBASE_CLIENT, useValue: client }] });
  const fixture = TestBed.createComponent(TaskFields);
  fixture.componentRef.setInput('taskId', 9);
  await vi.waitFor(async () => {
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelectorAll('mat-select')).toHaveLength(3);
  });
  const element = fixture.nativeElement as HTMLElement;
  /** Opens a Material select by label and picks an option by text. */
  const choose = async (label: string, option: string) => {
    const field = [...element.querySelectorAll('mat-form-field')].find((f) => f.textContent?.includes(label))!;
    (field.querySelector('.mat-mdc-select-trigger') as HTMLElement).click();
    await fixture.whenStable();
    const item = [...document.querySelectorAll('mat-option')].find((o) => o.textContent?.trim() === option) as HTMLElement;
    item.click();
    await fixture.whenStable();
  };
  return { fixture, element, client, choose };
}

describe('TaskFields', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('shows status, priority and assignee as Material selects with human labels, no native select', async () => {
    const { element } = await render(async () => task);
    expect(element.querySelector('select')).toBeNull();
    expect(element.textContent).toContain('To do');
    expect(element.textContent).toContain('Low');
    expect(element.textContent).toContain('Unassigned');
  });

  it('saves a choice at once with the version on screen (If-Match)', async () => {
    const { client, choose, element, fixture } = await render(async (_id, input) => ({ ...task, ...(input as object), version: 4 }));
    await choose('Assignee', 'Bob Builder');
    expect(client.tasks.update).toHaveBeenCalledWith(9, { assignedTo: 2 }, { ifMatch: 3 });
    await fixture.whenStable();
    expect(element.textContent).toContain('Bob Builder');
  });

  it('reloads the task when someone changed it meanwhile (412)', async () => {
    const { client, choose } = await render(async () => {
      throw new ConflictError('Precondition failed', { status: 412 });
    });
    await choose('Status', 'In progress');
    await vi.waitFor(() => expect(client.tasks.get).toHaveBeenCalledTimes(2));
  });
});
