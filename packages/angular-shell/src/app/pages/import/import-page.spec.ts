import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { RealtimeHandler } from '@taskbase/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportJob, ImportPreview, RowError } from '../../core/data-jobs';
import { TASKBASE_CLIENT } from '../../core/taskbase-client';
import { fakeClient } from '../../testing';
import { ImportPage } from './import-page';

const projects = [{ id: 3, key: 'OPS', name: 'Operations', isDefault: true, statuses: [] }];
const preview: ImportPreview = {
  columns: ['Summary', 'Owner', 'Due', 'Notes'],
  sample: [
    ['Renew the lease', 'ada@example.test', '2026-02-01', ''],
    ['Order chairs', '', 'tomorrow', 'Ten of them'],
  ],
  rows: 3,
  suggested: { Summary: 'title', Owner: 'assigneeEmail', Due: 'dueDate' },
};
const zero = { users: 0, projects: 0, labels: 0, fields: 0, tasks: 0, comments: 0, relations: 0, attachments: 0 };

function job(over: Partial<ImportJob> = {}): ImportJob {
  return {
    id: 41, kind: 'import', status: 'running', params: {}, progress: { done: 0, total: 3, phase: 'tasks' }, result: null, error: null,
    createdBy: 1, createdAt: '2026-12-01T10:00:00Z', startedAt: null, finishedAt: null, expiresAt: null, ...over,
  };
}

function finished(over: Partial<ImportJob>, errors: RowError[], created = 2, skipped = 0): ImportJob {
  return job({
    status: 'succeeded', progress: { done: 3, total: 3, phase: 'done' },
    result: { dryRun: true, created: { ...zero, tasks: created }, updated: zero, skipped, errorCount: errors.length, errors },
    ...over,
  });
}

function render(imports: Record<string, unknown>) {
  let handler: RealtimeHandler | undefined;
  const client = fakeClient({
    projects: { iterate: async function* () { yield* projects; } } as never,
    fields: { list: vi.fn().mockResolvedValue({ data: [{ key: 'tier', name: 'Tier' }], nextCursor: null }) } as never,
    realtime: { close: vi.fn(), subscribe: vi.fn((_topic: string, h: RealtimeHandler) => ((handler = h), () => undefined)) } as never,
  });
  const api = { preview: vi.fn().mockResolvedValue(preview), get: vi.fn(() => new Promise(() => undefined)), ...imports };
  Object.assign(client, { imports: api });
  TestBed.configureTestingModule({ providers: [{ provide: TASKBASE_CLIENT, useValue: client }, provideRouter([])] });
  const fixture = TestBed.createComponent(ImportPage);
  const element = fixture.nativeElement as HTMLElement;
  const push = (event: string, data: ImportJob) => handler!({ type: 'event', event, data: { job: data }, topic: 'jobs' } as never);
  const button = (testid: string) => element.querySelector<HTMLButtonElement>(`[data-testid="${testid}"]`)!;
  const settle = async (check: () => void) => vi.waitFor(async () => (await fixture.whenStable(), check()));
  return { fixture, element, api, push, button, settle };
}

function chooseFile(element: HTMLElement, name: string, text: string) {
  const input = element.querySelector<HTMLInputElement>('[data-testid="file-input"]')!;
  const transfer = new DataTransfer();
  transfer.items.add(new File([text], name, { type: 'text/csv' }));
  input.files = transfer.files;
  input.dispatchEvent(new Event('change'));
}

describe('ImportPage (the import wizard)', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('maps a CSV with the suggested mapping and its sample values, dry-runs it, lists the bad rows, then imports the rest with a live bar', async () => {
    const errors = [{ line: 3, field: 'Due', message: 'not a date: tomorrow' }];
    const create = vi.fn()
      .mockResolvedValueOnce(job({ id: 41, params: { dryRun: true } }))
      .mockResolvedValueOnce(job({ id: 42, progress: { done: 0, total: null, phase: 'queued' }, status: 'queued' }));
    const { element, api, push, button, settle } = render({ create });
    await settle(() => expect(element.textContent).toContain('Operations'));
    expect(button('file-next').disabled).toBe(true);

    chooseFile(element, 'tasks.csv', 'Summary,Owner,Due,Notes\n');
    await settle(() => expect(button('file-next').disabled).toBe(false));
    button('file-next').click();
    await settle(() => expect(element.querySelector('tb-shell-column-mapping tr[data-column="Due"]')).not.toBeNull());
    expect(api.preview).toHaveBeenCalledWith(expect.any(File), 'csv');
    const due = element.querySelector('tr[data-column="Due"]')!;
    expect(due.querySelector('.samples')!.textContent).toContain('2026-02-01');
    expect(due.querySelector('.samples')!.textContent).toContain('tomorrow');
    expect(due.querySelector('mat-select')!.textContent).toContain('Due date');
    expect(element.querySelector('tr[data-column="Notes"] mat-select')!.textContent).toContain('Don’t import');

    button('mapping-next').click();
    await settle(() => expect(create).toHaveBeenCalledTimes(1));
    expect(create.mock.calls[0][1]).toMatchObject({
      source: 'csv', projectId: 3, dryRun: true, filename: 'tasks.csv',
      mapping: { Summary: 'title', Owner: 'assigneeEmail', Due: 'dueDate', Notes: 'ignore' },
    });
    push('import.completed', finished({ id: 41 }, errors));
    await settle(() => expect(element.querySelector('[data-testid="import-errors"]')).not.toBeNull());
    expect(element.textContent).toContain('1 row has an error');
    const cells = [...element.querySelectorAll('[data-testid="import-errors"] tbody td')].map((cell) => cell.textContent!.trim());
    expect(cells).toEqual(['3', 'Due', 'not a date: tomorrow']);
    expect(element.querySelector('[data-testid="dry-run-counts"]')!.textContent).toBe('Checked 3 rows; 1 has an error. Would create 2 tasks.');
    // Bad rows and "import nothing": the run is not offered.
    expect(button('start-import').disabled).toBe(true);

    (element.querySelector('[data-testid="skip-bad-rows"] input') as HTMLInputElement).click();
    await settle(() => expect(button('start-import').disabled).toBe(false));
    expect(button('start-import').textContent).toContain('Import the good rows');
    button('start-import').click();
    await settle(() => expect(create).toHaveBeenCalledTimes(2));
    expect(create.mock.calls[1][1]).toMatchObject({ dryRun: false, onError: 'skip' });

    push('import.progress', job({ id: 42, progress: { done: 1, total: 2, phase: 'tasks' } }));
    await settle(() => expect(element.querySelector('[data-testid="job-progress"]')?.getAttribute('aria-valuenow')).toBe('50'));
    expect(button('cancel-import')).not.toBeNull();
    push('import.completed', finished({ id: 42 }, errors, 2, 1));
    await settle(() => expect(element.querySelector('[data-testid="import-summary"]')?.textContent).toContain('Import finished.'));
    expect(element.querySelector('[data-testid="import-summary"]')!.textContent).toContain('Created 2 tasks');
    expect(element.querySelector('[data-testid="import-summary"]')!.textContent).toContain('Skipped 1 row with errors');
    expect(element.querySelector('[data-testid="job-progress"]')!.getAttribute('aria-valuenow')).toBe('100');
  });

  it('pages a long error list and says how many there are past the first thousand', async () => {
    const errors = Array.from({ length: 1000 }, (_, i) => ({ line: i + 2, field: 'title', message: 'empty title' }));
    const create = vi.fn().mockResolvedValue(job({ id: 41 }));
    const { element, push, button, settle } = render({ create });
    await settle(() => expect(element.textContent).toContain('Operations'));
    chooseFile(element, 'big.csv', 'Summary\n');
    await settle(() => expect(button('file-next').disabled).toBe(false));
    button('file-next').click();
    await settle(() => expect(button('mapping-next')).not.toBeNull());
    button('mapping-next').click();
    await settle(() => expect(create).toHaveBeenCalled());
    push('import.completed', { ...finished({ id: 41 }, errors), result: { ...finished({}, errors).result!, errorCount: 2500 } });
    await settle(() => expect(element.querySelector('[data-testid="import-errors"]')).not.toBeNull());
    expect(element.textContent).toContain('2,500 rows have errors');
    expect(element.textContent).toContain('the first 1,000 are listed');
    expect(element.querySelectorAll('[data-testid="import-errors"] tbody tr').length).toBe(10);
    expect(element.querySelector('mat-paginator')).not.toBeNull();
  });

  it('cancels a running import', async () => {
    const cancel = vi.fn().mockResolvedValue(job({ id: 41, status: 'cancelled' }));
    const create = vi.fn().mockResolvedValue(job({ id: 41 }));
    const { element, button, settle } = render({ create, cancel });
    await settle(() => expect(element.textContent).toContain('Operations'));
    chooseFile(element, 'tasks.csv', 'Summary\n');
    await settle(() => expect(button('file-next').disabled).toBe(false));
    button('file-next').click();
    await settle(() => expect(button('mapping-next')).not.toBeNull());
    button('mapping-next').click();
    await settle(() => expect(element.textContent).toContain('Checking every row'));
    [...element.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Cancel')!.click();
    await settle(() => expect(element.textContent).toContain('The check was cancelled.'));
    expect(cancel).toHaveBeenCalledWith(41);
  });

  it('refuses a file that is not of the chosen source, and shows why the preview failed', async () => {
    const { element, button, settle, api } = render({ preview: vi.fn().mockRejectedValue(new Error('The file is not UTF-8')) });
    await settle(() => expect(element.textContent).toContain('Operations'));
    chooseFile(element, 'board.json', '{}');
    await settle(() => expect(element.querySelector('[role="alert"]')?.textContent).toContain('“board.json” is not a CSV file'));
    chooseFile(element, 'tasks.csv', 'a\n');
    await settle(() => expect(button('file-next').disabled).toBe(false));
    button('file-next').click();
    await settle(() => expect(element.querySelector('[role="alert"]')?.textContent).toContain('The file is not UTF-8'));
    expect(api.preview).toHaveBeenCalled();
  });

  it('a Trello board goes straight to the check (no columns step, no mapping sent); a run that fails shows why', async () => {
    const create = vi.fn()
      .mockResolvedValueOnce(job({ id: 41 }))
      .mockResolvedValueOnce(job({ id: 42 }));
    const { element, push, button, settle, api } = render({ create });
    await settle(() => expect(element.textContent).toContain('Operations'));
    (element.querySelector('[data-source="trello"] input') as HTMLInputElement).click();
    await settle(() => expect(button('file-next').textContent).toContain('Check the file'));
    expect(element.textContent).not.toContain('Columns');
    chooseFile(element, 'board.json', '{}');
    await settle(() => expect(button('file-next').disabled).toBe(false));
    button('file-next').click();
    await settle(() => expect(create).toHaveBeenCalledTimes(1));
    expect(api.preview).not.toHaveBeenCalled();
    expect(create.mock.calls[0][1]).toMatchObject({ source: 'trello', projectId: 3, dryRun: true });
    expect(create.mock.calls[0][1].mapping).toBeUndefined();
    push('import.completed', finished({ id: 41 }, []));
    await settle(() => expect(button('start-import').disabled).toBe(false));
    expect(element.querySelector('[data-testid="dry-run-counts"]')!.textContent).toBe('Checked 3 records. Would create 2 tasks.');
    button('start-import').click();
    await settle(() => expect(create).toHaveBeenCalledTimes(2));
    push('import.failed', job({ id: 42, status: 'failed', error: 'The archive ended early' }));
    await settle(() => expect(element.querySelector('[data-testid="import-summary"]')?.textContent).toContain('Import failed.'));
    expect(element.querySelector('[data-testid="import-summary"]')!.textContent).toContain('The archive ended early');
  });
});
