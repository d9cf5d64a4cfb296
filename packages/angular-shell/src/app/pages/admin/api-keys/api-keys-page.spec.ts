import { TestBed } from '@angular/core/testing';
import { FormControl } from '@angular/forms';
import { MatDialog, MatDialogRef } from '@angular/material/dialog';
import type { ApiKey } from '@taskbase/sdk';
import { of } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TASKBASE_CLIENT } from '../../../core/taskbase-client';
import { fakeClient } from '../../../testing';
import { ApiKeysPage } from './api-keys-page';
import { CreateKeyDialog, originsValidator, parseOrigins } from './create-key-dialog';

const key: ApiKey = { id: 3, name: 'Intranet', prefix: 'tb_sk_ab12', allowedOrigins: ['https://intranet.example.com'], maxRole: 'member', projects: null, createdAt: '2026-01-01T00:00:00Z', lastUsedAt: null, revokedAt: null };

describe('ApiKeysPage', () => {
  afterEach(() => TestBed.resetTestingModule());

  function render(apiKeys: object) {
    TestBed.configureTestingModule({ providers: [{ provide: TASKBASE_CLIENT, useValue: fakeClient({ apiKeys: apiKeys as never }) }] });
    const fixture = TestBed.createComponent(ApiKeysPage);
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('lists keys by their prefix, never a secret', async () => {
    const { fixture, element } = render({ list: vi.fn().mockResolvedValue({ data: [key], nextCursor: null }) });
    await fixture.whenStable();
    expect(element.querySelector('tr.mat-mdc-row')?.textContent).toContain('tb_sk_ab12…');
    expect(element.textContent).toContain('https://intranet.example.com');
    expect(element.textContent).toContain('Never');
  });

  it('says so when there is no key', async () => {
    const { fixture, element } = render({ list: vi.fn().mockResolvedValue({ data: [], nextCursor: null }) });
    await fixture.whenStable();
    expect(element.textContent).toContain('No API keys yet.');
  });

  it('revokes a key after confirmation and reloads', async () => {
    const list = vi.fn().mockResolvedValueOnce({ data: [key], nextCursor: null }).mockResolvedValue({ data: [{ ...key, revokedAt: '2026-02-01T00:00:00Z' }], nextCursor: null });
    const revoke = vi.fn().mockResolvedValue(undefined);
    const { fixture, element } = render({ list, revoke });
    await fixture.whenStable();
    vi.spyOn(TestBed.inject(MatDialog), 'open').mockReturnValue({ afterClosed: () => of(true) } as MatDialogRef<unknown>);
    (element.querySelector('[aria-label="Revoke Intranet"]') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(2));
    await fixture.whenStable();
    expect(revoke).toHaveBeenCalledWith(3);
    expect(element.textContent).toContain('Revoked');
  });

  it('shows the new key once, with a copy button', async () => {
    const { fixture } = render({ list: vi.fn().mockResolvedValue({ data: [], nextCursor: null }) });
    await fixture.whenStable();
    const dialog = TestBed.inject(MatDialog);
    const open = vi.spyOn(dialog, 'open').mockReturnValueOnce({ afterClosed: () => of({ apiKey: key, key: 'tb_sk_ab12_secret' }) } as MatDialogRef<unknown>);
    open.mockReturnValueOnce({} as MatDialogRef<unknown>);
    (fixture.componentInstance as unknown as { create(): void }).create();
    expect(open).toHaveBeenCalledTimes(2);
    expect(open.mock.calls[1][1]?.data).toMatchObject({ secret: 'tb_sk_ab12_secret', label: 'API key' });
  });
});

describe('CreateKeyDialog', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('parses and validates allowed origins', () => {
    expect(parseOrigins(' https://a.com, https://b.com:8443 https://a.com ')).toEqual(['https://a.com', 'https://b.com:8443']);
    expect(originsValidator(new FormControl('https://a.com', { nonNullable: true }))).toBeNull();
    expect(originsValidator(new FormControl('https://a.com/path, ftp://x', { nonNullable: true }))).toEqual({ origins: ['https://a.com/path', 'ftp://x'] });
  });

  it('shows the origin rule and creates nothing until fixed', async () => {
    const create = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        { provide: TASKBASE_CLIENT, useValue: fakeClient({ apiKeys: { create } as never }) },
        { provide: MatDialogRef, useValue: { close: vi.fn() } },
      ],
    });
    const fixture = TestBed.createComponent(CreateKeyDialog);
    const element = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    const origins = element.querySelector('input[formcontrolname="origins"]') as HTMLInputElement;
    origins.value = 'intranet.example.com';
    origins.dispatchEvent(new Event('input'));
    (element.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await fixture.whenStable();
    expect(element.textContent).toContain('Name the key.');
    expect(element.textContent).toContain('Use scheme and host only');
    expect(create).not.toHaveBeenCalled();
  });
});
