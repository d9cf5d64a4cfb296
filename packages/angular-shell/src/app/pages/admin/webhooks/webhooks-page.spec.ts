import { TestBed } from '@angular/core/testing';
import { MatDialog, MatDialogRef } from '@angular/material/dialog';
import type { WebhookDelivery, WebhookEndpoint } from '@taskbase/sdk';
import { of } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TASKBASE_CLIENT } from '../../../core/taskbase-client';
import { fakeClient } from '../../../testing';
import { WebhooksPage } from './webhooks-page';

const endpoint: WebhookEndpoint = {
  id: 5, url: 'https://hooks.example.com/taskbase', description: 'CRM', eventTypes: ['task.created'], changedFields: [], projectIds: null, enabled: true,
  disabledReason: null, failingSince: null, previousSecretExpiresAt: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
};
const delivery: WebhookDelivery = {
  id: 9, endpointId: 5, eventId: null, messageId: 'msg_1', eventType: 'webhook.test', status: 'succeeded', attemptCount: 1,
  nextAttemptAt: null, lastStatusCode: 200, lastError: null, createdAt: '2026-01-01T00:00:00Z', completedAt: '2026-01-01T00:00:01Z',
};

function render(webhooks: object) {
  const client = fakeClient({
    webhooks: {
      list: vi.fn().mockResolvedValue({ data: [endpoint], nextCursor: null }),
      eventTypes: vi.fn().mockResolvedValue({ data: [{ type: 'task.created', description: 'A task was created' }] }),
      deliveries: vi.fn().mockResolvedValue({ data: [delivery], nextCursor: null }),
      ...webhooks,
    } as never,
  });
  TestBed.configureTestingModule({ providers: [{ provide: TASKBASE_CLIENT, useValue: client }] });
  const fixture = TestBed.createComponent(WebhooksPage);
  return { fixture, element: fixture.nativeElement as HTMLElement, client };
}

async function settle(fixture: { whenStable(): Promise<unknown> }, element: HTMLElement, text: string) {
  await vi.waitFor(async () => {
    await fixture.whenStable();
    expect(element.textContent).toContain(text);
  });
}

describe('WebhooksPage', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('lists endpoints and shows the first one with its delivery log', async () => {
    const { fixture, element } = render({});
    await settle(fixture, element, 'webhook.test');
    expect(element.textContent).toContain('https://hooks.example.com/taskbase');
    expect(element.textContent).toContain('task.created');
    expect(element.querySelector('[data-testid="delivery-log"]')?.textContent).toContain('succeeded');
  });

  it('sends a test event and reloads the log', async () => {
    const test = vi.fn().mockResolvedValue({ ...delivery, id: 10, status: 'pending' });
    const { fixture, element, client } = render({ test });
    await settle(fixture, element, 'webhook.test');
    [...element.querySelectorAll('button')].find((button) => button.textContent?.includes('Send test event'))!.click();
    await vi.waitFor(() => expect(client.webhooks.deliveries).toHaveBeenCalledTimes(2));
    expect(test).toHaveBeenCalledWith(5);
  });

  it('reveals the secret in the copy dialog', async () => {
    const secret = vi.fn().mockResolvedValue({ secret: 'whsec_abc', previousSecret: null, previousSecretExpiresAt: null });
    const { fixture, element } = render({ secret });
    await settle(fixture, element, 'webhook.test');
    const open = vi.spyOn(TestBed.inject(MatDialog), 'open').mockReturnValue({} as MatDialogRef<unknown>);
    [...element.querySelectorAll('button')].find((button) => button.textContent?.includes('Reveal secret'))!.click();
    await vi.waitFor(() => expect(open).toHaveBeenCalled());
    expect(open.mock.calls[0][1]?.data).toMatchObject({ secret: 'whsec_abc' });
  });

  it('rotates the secret after confirmation, with a day of overlap', async () => {
    const rotateSecret = vi.fn().mockResolvedValue({ secret: 'whsec_new', previousSecret: 'whsec_abc', previousSecretExpiresAt: null });
    const { fixture, element } = render({ rotateSecret });
    await settle(fixture, element, 'webhook.test');
    vi.spyOn(TestBed.inject(MatDialog), 'open').mockReturnValue({ afterClosed: () => of(true) } as MatDialogRef<unknown>);
    [...element.querySelectorAll('button')].find((button) => button.textContent?.includes('Rotate secret'))!.click();
    await vi.waitFor(() => expect(rotateSecret).toHaveBeenCalledWith(5, { overlapSeconds: 86400 }));
  });

  it('resends a delivery and opens its attempts', async () => {
    const resend = vi.fn().mockResolvedValue({ ...delivery, status: 'succeeded' });
    const detail = { ...delivery, payload: { type: 'webhook.test' }, attempts: [] };
    const deliveryDetail = vi.fn().mockResolvedValue(detail);
    const { fixture, element } = render({ resend, delivery: deliveryDetail });
    await settle(fixture, element, 'webhook.test');
    (element.querySelector('[aria-label="Resend delivery 9"]') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(resend).toHaveBeenCalledWith(5, 9));
    const open = vi.spyOn(TestBed.inject(MatDialog), 'open').mockReturnValue({} as MatDialogRef<unknown>);
    (element.querySelector('[aria-label="Attempts of delivery 9"]') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(open).toHaveBeenCalled());
    expect(open.mock.calls[0][1]?.data).toBe(detail);
  });
});
