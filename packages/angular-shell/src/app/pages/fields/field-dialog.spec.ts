import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { CustomField } from '@taskbase/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TASKBASE_CLIENT } from '../../core/taskbase-client';
import { fakeClient } from '../../testing';
import { FieldDialog, type FieldDialogData } from './field-dialog';

const projects = [{ id: 1, key: 'GEN', name: 'General', isDefault: true, statuses: [] }];

describe('FieldDialog', () => {
  afterEach(() => TestBed.resetTestingModule());

  function render(data: FieldDialogData) {
    const close = vi.fn();
    const client = fakeClient({
      fields: { create: vi.fn(async (input: object) => ({ id: 9, ...input })), update: vi.fn(async (key: string, input: object) => ({ key, ...input })) } as never,
      projects: { iterate: async function* () { yield* projects; } } as never,
    });
    TestBed.configureTestingModule({
      providers: [{ provide: TASKBASE_CLIENT, useValue: client }, { provide: MatDialogRef, useValue: { close } }, { provide: MAT_DIALOG_DATA, useValue: data }],
    });
    const fixture = TestBed.createComponent(FieldDialog);
    const element = fixture.nativeElement as HTMLElement;
    const type = (selector: string, value: string) => {
      const input = element.querySelector<HTMLInputElement>(selector)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    };
    // By its aria-label, or its text after the icon's ligature ("add Add option").
    const button = (name: string) => [...element.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === name || b.textContent?.trim().endsWith(name))!;
    return { fixture, element, close, client, type, button, dialog: fixture.componentInstance as unknown as { typeChanged(type: string): void; form: { controls: { type: { setValue(v: string): void } } } } };
  }

  it('suggests a free key from the name, starts a select with two options, and creates it with the options in order', async () => {
    const { fixture, element, close, client, type, button, dialog } = render({ field: null, takenKeys: ['release'] });
    await fixture.whenStable();
    type('[data-testid="field-name"]', 'Release');
    await fixture.whenStable();
    expect(element.querySelector<HTMLInputElement>('[data-testid="field-key"]')!.value).toBe('release_2');

    dialog.form.controls.type.setValue('select');
    dialog.typeChanged('select');
    fixture.detectChanges();
    await fixture.whenStable();
    const options = () => [...element.querySelectorAll<HTMLInputElement>('[data-option-index]')];
    expect(options()).toHaveLength(2);
    type('[data-option-index="0"]', 'Spring');
    type('[data-option-index="1"]', 'Autumn');
    button('Add option').click();
    await fixture.whenStable();
    type('[data-option-index="2"]', 'Winter');
    button('Move option 3 up').click();
    await fixture.whenStable();
    button('Remove option 1').click();
    await fixture.whenStable();
    expect(options().map((input) => input.value)).toEqual(['Winter', 'Autumn']);

    button('Create field').click();
    await vi.waitFor(() => expect(close).toHaveBeenCalled());
    expect(client.fields.create).toHaveBeenCalledWith(
      expect.objectContaining({ key: 'release_2', name: 'Release', type: 'select', projectIds: null, options: [expect.objectContaining({ name: 'Winter' }), expect.objectContaining({ name: 'Autumn' })] }),
    );
  });

  it('edits a field without its key or type, keeping option ids and projects it cannot list', async () => {
    const field = {
      id: 3, workspaceId: 1, key: 'tier', name: 'Tier', type: 'select', description: '', position: 1, createdAt: '', updatedAt: '',
      options: [{ id: 'gold', name: 'Gold', color: '#ca8a04' }, { id: 'silver', name: 'Silver', color: '#6b7280' }],
      projectIds: [1, 77],
    } as CustomField;
    const { fixture, element, client, type, button } = render({ field, takenKeys: ['tier'] });
    await fixture.whenStable();
    expect(element.querySelector<HTMLInputElement>('[data-testid="field-key"]')!.disabled).toBe(true);
    await vi.waitFor(() => expect(element.textContent).toContain('Also limited to 1 project not listed here'));
    type('[data-option-index="0"]', 'Gold plus');
    button('Remove option 2').click();
    await fixture.whenStable();
    button('Save').click();
    await vi.waitFor(() => expect(client.fields.update).toHaveBeenCalled());
    const [key, input] = (client.fields.update as unknown as { mock: { calls: [string, Record<string, unknown>][] } }).mock.calls[0]!;
    expect(key).toBe('tier');
    expect(input).toEqual({ name: 'Tier', description: '', projectIds: [1, 77], options: [{ id: 'gold', name: 'Gold plus', color: '#ca8a04' }] });
    expect(input).not.toHaveProperty('type');
    expect(input).not.toHaveProperty('key');
  });
});
