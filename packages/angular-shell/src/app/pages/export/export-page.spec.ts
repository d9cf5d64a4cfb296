import { TestBed } from '@angular/core/testing';
import type { RealtimeHandler } from '@taskbase/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExportJob } from '../../core/data-jobs';
import { TASKBASE_CLIENT } from '../../core/taskbase-client';
import { fakeClient } from '../../testing';
import { ExportPage } from './export-page';

const projects = [{ id: 3, key: 'OPS', name: 'Operations', isDefault: true, statuses: [] }];

function job(over: Partial<ExportJob> = {}): ExportJob {
  return {
    id: 7, kind: 'export', status: 'running', params: { format: 'csv' }, progress: { done: 0, total: 10, phase: 'tasks' }, result: null, error: null,
    createdBy: 1, createdAt: '2026-12-01T10:00:00Z', startedAt: null, finishedAt: null, expiresAt: null, download: null, ...over,
  };
}
const later = new Date(Date.now() + 15 * 60_000).toISOString();

function render(exports: Record<string, unknown>) {
  let handler: RealtimeHandler | undefined;
  const client = fakeClient({
    projects: { iterate: async function* () { yield* projects; } } as never,
    realtime: { close: vi.fn(), subscribe: vi.fn((_topic: string, h: RealtimeHandler) => ((handler = h), () => undefined)) } as never,
  });
  Object.assign(client, { exports: { list: vi.fn().mockResolvedValue({ data: [], nextCursor: null }), get: vi.fn(() => new Promise(() => undefined)), ...exports } });
  TestBed.configureTestingModule({ providers: [{ provide: TASKBASE_CLIENT, useValue: client }] });
  const fixture = TestBed.createComponent(ExportPage);
  const element = fixture.nativeElement as HTMLElement;
  const push = (event: string, data: ExportJob) => handler!({ type: 'event', event, data: { job: data }, topic: 'jobs' } as never);
  const settle = async (check: () => void) => vi.waitFor(async () => (await fixture.whenStable(), check()));
  return { element, push, settle };
}

describe('ExportPage', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('says when there are no exports yet', async () => {
    const { element, settle } = render({});
    await settle(() => expect(element.querySelector('[data-testid="no-exports"]')).not.toBeNull());
  });

  it('shows why the list could not load, with a retry', async () => {
    const list = vi.fn().mockRejectedValueOnce(new Error('Server unavailable')).mockResolvedValue({ data: [job({ status: 'failed', error: 'disk full' })], nextCursor: null });
    const { element, settle } = render({ list });
    await settle(() => expect(element.textContent).toContain('Could not load the exports: Server unavailable'));
    [...element.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Retry')!.click();
    await settle(() => expect(element.querySelector('[data-testid="recent-exports"]')?.textContent).toContain('Failed'));
  });

  it('starts a JSON export (format chosen with the keyboard), follows it to its download link and lists it', async () => {
    const create = vi.fn().mockResolvedValue(job({ params: { format: 'json', projectId: 3 }, status: 'queued', progress: { done: 0, total: null, phase: 'queued' } }));
    const { element, push, settle } = render({ create });
    await settle(() => expect(element.querySelector('[data-testid="no-exports"]')).not.toBeNull());
    const csv = element.querySelector<HTMLButtonElement>('[data-format="csv"]')!;
    csv.focus();
    csv.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await settle(() => expect(element.querySelector('[data-format="json"]')!.getAttribute('aria-checked')).toBe('true'));
    expect(document.activeElement).toBe(element.querySelector('[data-format="json"]'));
    element.querySelector<HTMLButtonElement>('[data-testid="start-export"]')!.click();
    await settle(() => expect(create).toHaveBeenCalledWith({ format: 'json' }));
    push('export.progress', job({ params: { format: 'json' }, progress: { done: 4, total: 10, phase: 'tasks' } }));
    await settle(() => expect(element.querySelector('[data-testid="job-progress"]')?.getAttribute('aria-valuenow')).toBe('40'));
    push('export.completed', job({ params: { format: 'json' }, status: 'succeeded', download: { url: '/api/exports/7/download?sig=abc', expiresAt: later } }));
    await settle(() => expect(element.querySelector('[data-testid="download-link"]')?.getAttribute('href')).toBe('/api/exports/7/download?sig=abc'));
    expect(element.querySelector('[data-testid="current-export"]')!.textContent).toContain('Your JSON archive is ready.');
    const row = element.querySelector('[data-testid="recent-exports"] tr[data-export="7"]')!;
    expect(row.textContent).toContain('JSON archive');
    expect(row.textContent).toContain('Ready');
    expect(row.querySelector('a[download]')?.getAttribute('href')).toBe('/api/exports/7/download?sig=abc');
  });

  it('asks for a fresh link when the listed one has run out', async () => {
    const stale = job({ status: 'succeeded', download: { url: '/old', expiresAt: '2026-01-01T00:00:00Z' } });
    const get = vi.fn().mockResolvedValue({ ...stale, download: { url: '/new', expiresAt: later } });
    const { element, settle } = render({ list: vi.fn().mockResolvedValue({ data: [stale], nextCursor: null }), get });
    await settle(() => expect(element.textContent).toContain('Get a link'));
    [...element.querySelectorAll('button')].find((b) => b.textContent?.includes('Get a link'))!.click();
    await settle(() => expect(element.querySelector('tr[data-export="7"] a[download]')?.getAttribute('href')).toBe('/new'));
    expect(get).toHaveBeenCalledWith(7);
  });
});
