import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError } from '../src/index.js';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('verifyWebhook', () => {
  it('passes the Standard Webhooks conformance vector', async () => {
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const payload = await verifyWebhook('{"test": 2432232314}', headers, secret, { now: 1614265330_000 });
    expect(payload).toEqual({ test: 2432232314 });
  });

  /** A delivery signed by the reference library, as a Taskbase server would send it. */
  function signed(body: string, timestamp = new Date(), key = secret) {
    const id = `msg_${crypto.randomUUID()}`;
    const signature = new Webhook(key).sign(id, timestamp, body);
    return new Headers({ 'webhook-id': id, 'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)), 'webhook-signature': signature });
  }

  it('accepts deliveries signed by the standardwebhooks library (Headers, plain objects, bytes)', async () => {
    const body = JSON.stringify({ type: 'task.created', data: { task: { id: 1, title: 'é ✓' } } });
    const headers = signed(body);
    expect(await verifyWebhook(body, headers, secret)).toMatchObject({ type: 'task.created' });
    expect(await verifyWebhook(new TextEncoder().encode(body), Object.fromEntries(headers), secret)).toMatchObject({ type: 'task.created' });
  });

  it('accepts any of several signatures (secret rotation sends both)', async () => {
    const body = '{"ok":true}';
    const headers = signed(body);
    const other = signed(body, new Date(), 'whsec_' + btoa('another secret, 32 bytes long!!!'));
    headers.set('webhook-signature', `${other.get('webhook-signature')} ${headers.get('webhook-signature')}`);
    expect(await verifyWebhook(body, headers, secret)).toEqual({ ok: true });
  });

  it.each([
    ['a tampered body', (body: string, headers: Headers) => [body.replace('1', '2'), headers] as const, 'bad_signature'],
    ['another id', (body: string, headers: Headers) => (headers.set('webhook-id', 'msg_other'), [body, headers] as const), 'bad_signature'],
    ['a garbled signature', (body: string, headers: Headers) => (headers.set('webhook-signature', 'v1,not base64!'), [body, headers] as const), 'bad_signature'],
    ['a v2 signature', (body: string, headers: Headers) => (headers.set('webhook-signature', headers.get('webhook-signature')!.replace('v1,', 'v2,')), [body, headers] as const), 'bad_signature'],
    ['no signature', (body: string, headers: Headers) => (headers.delete('webhook-signature'), [body, headers] as const), 'missing_headers'],
  ])('rejects %s', async (_name, tamper, code) => {
    const [body, headers] = tamper('{"id":1}', signed('{"id":1}'));
    const error = await verifyWebhook(body, headers, secret).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ code });
  });

  it('rejects stale and future timestamps beyond the tolerance', async () => {
    const body = '{"id":1}';
    const stale = signed(body, new Date(Date.now() - 301_000));
    await expect(verifyWebhook(body, stale, secret)).rejects.toMatchObject({ code: 'stale_timestamp' });
    await expect(verifyWebhook(body, signed(body, new Date(Date.now() + 400_000)), secret)).rejects.toMatchObject({ code: 'stale_timestamp' });
    expect(await verifyWebhook(body, stale, secret, { toleranceSeconds: 600 })).toEqual({ id: 1 });
  });

  it('rejects the wrong secret', async () => {
    const body = '{"id":1}';
    await expect(verifyWebhook(body, signed(body), 'whsec_' + btoa('a different secret entirely....'))).rejects.toMatchObject({ code: 'bad_signature' });
    await expect(verifyWebhook(body, signed(body), '')).rejects.toMatchObject({ code: 'bad_secret' });
  });
});
