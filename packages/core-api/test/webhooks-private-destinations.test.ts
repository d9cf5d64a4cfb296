import type { LookupAddress } from 'node:dns';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import type { RunningServer } from '../src/server.js';
import * as destinations from '../src/services/webhooks/destinations.js';
import { sendWebhook } from '../src/webhooks/sender.js';
import { TestClient, createTeam } from './support/client.js';
import { databaseMode, startTestServer } from './support/server.js';
import { Receiver } from './support/webhooks.js';

/** 169.254.169.254 (a9fe:a9fe), the metadata service, in every form a URL or a DNS answer can carry it. */
const METADATA_ADDRESSES = [
  '169.254.169.254',
  '169.254.0.1',
  '100.100.100.200',
  'fe80::1',
  'fd00:ec2::254',
  '::169.254.169.254',
  '::ffff:169.254.169.254',
  '::ffff:a9fe:a9fe',
  '::ffff:0:169.254.169.254',
  '64:ff9b::169.254.169.254',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b:1::a9fe:a9fe',
  '64:ff9b:1:a9fe:a9:fe00::',
  '2002:a9fe:a9fe::1',
  '2001:0:a9fe:a9fe::1',
];
const PRIVATE_ADDRESSES = ['127.0.0.1', '10.1.2.3', '192.168.1.1', '::1', 'fd12::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::10.0.0.1', '2002:0a00:0001::1'];
const PUBLIC_ADDRESSES = ['1.1.1.1', '93.184.216.34', '2606:4700::1111', '::ffff:1.1.1.1', '64:ff9b::1.1.1.1', '2002:0101:0101::1'];

const url = (address: string, path = '/latest/meta-data') => `http://${address.includes(':') ? `[${address}]` : address}${path}`;
const policies = { none: false, all: true, tenOnly: ['10.0.0.0/8', 'fd12::/16', '169.254.0.0/16'] } as const;

describe('WEBHOOK_ALLOW_PRIVATE: a list of ranges besides true, parsed at start', () => {
  const base = { TASKBASE_DATA_DIR: mkdtempSync(join(tmpdir(), 'tb-wh-')) };
  it('reads true, false and comma-separated CIDRs, and refuses anything else', () => {
    expect(loadConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: 'true' }).webhooks.allowPrivate).toBe(true);
    expect(loadConfig(base).webhooks.allowPrivate).toBe(false);
    expect(loadConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/8, fd12::/16,192.168.5.7' }).webhooks.allowPrivate).toEqual(['10.0.0.0/8', 'fd12::/16', '192.168.5.7']);
    for (const bad of ['10.0.0.0/33', 'fd12::/129', 'intranet', '10.0.0.0/8,nope']) {
      expect(() => loadConfig({ ...base, WEBHOOK_ALLOW_PRIVATE: bad }), bad).toThrow(ConfigError);
    }
  });
});

describe('link-local and metadata destinations are refused whatever WEBHOOK_ALLOW_PRIVATE says', () => {
  it('refuses them by default, with true, and with a list that names them, when an endpoint is saved', async () => {
    for (const policy of Object.values(policies)) {
      for (const address of METADATA_ADDRESSES) {
        await expect(destinations.assertSafeUrl(url(address), policy), `${address} under ${String(policy)}`).rejects.toThrow(destinations.UnsafeDestinationError);
      }
    }
    // The decimal spelling of 169.254.169.254 is the same host once parsed.
    await expect(destinations.assertSafeUrl('http://2852039166/', true)).rejects.toThrow(destinations.UnsafeDestinationError);
  });

  it('keeps true meaning every private and loopback range; a list allows only its ranges', async () => {
    for (const address of PRIVATE_ADDRESSES) {
      await expect(destinations.assertSafeUrl(url(address, '/hook'), true), address).resolves.toBeInstanceOf(URL);
      await expect(destinations.assertSafeUrl(url(address, '/hook'), false), address).rejects.toThrow(destinations.UnsafeDestinationError);
    }
    for (const allowed of ['10.1.2.3', '::ffff:10.1.2.3', 'fd12::1', '2002:0a00:0001::1']) {
      await expect(destinations.assertSafeUrl(url(allowed, '/hook'), policies.tenOnly), allowed).resolves.toBeInstanceOf(URL);
    }
    for (const refused of ['127.0.0.1', '192.168.1.1', '::1', 'fd13::1', '::ffff:127.0.0.1']) {
      await expect(destinations.assertSafeUrl(url(refused, '/hook'), policies.tenOnly), refused).rejects.toThrow(destinations.UnsafeDestinationError);
    }
    for (const address of PUBLIC_ADDRESSES) expect(destinations.isBlockedAddress(address), address).toBe(false);
    for (const address of [...METADATA_ADDRESSES, ...PRIVATE_ADDRESSES]) expect(destinations.isBlockedAddress(address), address).toBe(true);
  });

  it('refuses them at connect time too, when a name that looked safe now resolves to them (DNS rebinding)', async () => {
    const resolvingTo =
      (...addresses: string[]) =>
      (_host: string, _options: object, callback: (error: Error | null, addresses: LookupAddress[]) => void) =>
        callback(null, addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
    const lookup = (policy: destinations.PrivateDestinations, ...addresses: string[]) =>
      new Promise<string>((resolve, reject) => {
        destinations.guardedLookupFor(policy, resolvingTo(...addresses))('hooks.example', { all: false }, (error, address) => (error ? reject(error) : resolve(address as string)));
      });
    for (const policy of Object.values(policies)) {
      await expect(lookup(policy, '169.254.169.254')).rejects.toThrow(destinations.UnsafeDestinationError);
      await expect(lookup(policy, '93.184.216.34', '64:ff9b::a9fe:a9fe')).rejects.toThrow(destinations.UnsafeDestinationError);
      await expect(lookup(policy, '93.184.216.34')).resolves.toBe('93.184.216.34');
    }
    await expect(lookup(true, '127.0.0.1')).resolves.toBe('127.0.0.1');
    await expect(lookup(policies.tenOnly, '10.9.9.9')).resolves.toBe('10.9.9.9');
    await expect(lookup(policies.tenOnly, '127.0.0.1')).rejects.toThrow(destinations.UnsafeDestinationError);
  });

  it('the sender refuses a link-local literal with WEBHOOK_ALLOW_PRIVATE=true, and a name outside the allowed list', async () => {
    const receiver = await Receiver.start();
    try {
      const port = new URL(receiver.url).port;
      for (const host of ['[fe80::1]', '[fe80::a9fe:a9fe]']) {
        const result = await sendWebhook({ url: `http://${host}:${port}/hook`, headers: {}, body: '{}', timeoutMs: 1000, allowPrivate: true });
        expect(result.error, host).toMatch(/blocked destination/);
      }
      const outside = await sendWebhook({ url: `http://localhost:${port}/hook`, headers: {}, body: '{}', timeoutMs: 1000, allowPrivate: ['10.0.0.0/8'] });
      expect(outside.error).toMatch(/blocked destination/);
      expect(receiver.received).toHaveLength(0);
      const inside = await sendWebhook({ url: `http://localhost:${port}/hook`, headers: {}, body: '{}', timeoutMs: 1000, allowPrivate: ['127.0.0.0/8', '::1'] });
      expect(inside.statusCode).toBe(200);
    } finally {
      await receiver.close();
    }
  });
});

describe('responses of private destinations are not kept', () => {
  it('reads no response body from a private target into the result (so no attempt stores it)', async () => {
    const receiver = await Receiver.start();
    try {
      receiver.reply('/hook', () => ({ status: 500, body: 'internal: db password is hunter2' }));
      const result = await sendWebhook({ url: `${receiver.url}/hook`, headers: {}, body: '{}', timeoutMs: 1000, allowPrivate: true });
      expect(result.statusCode).toBe(500);
      expect(result.error).toBe('HTTP 500');
      expect(result.responseBody).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it('keeps the start of the body for public targets', () => {
    expect(destinations.keepsResponseBodyOf('93.184.216.34')).toBe(true);
    expect(destinations.keepsResponseBodyOf('127.0.0.1')).toBe(false);
    expect(destinations.keepsResponseBodyOf('::ffff:10.0.0.1')).toBe(false);
    expect(destinations.keepsResponseBodyOf(undefined)).toBe(false);
  });
});

describe(`endpoint creation over HTTP (${databaseMode()} database)`, () => {
  let open: RunningServer;
  let ranged: RunningServer;
  beforeAll(async () => {
    open = await startTestServer({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    ranged = await startTestServer({ WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/8' });
  });
  afterAll(async () => {
    await open.close();
    await ranged.close();
  });

  it('answers 422 on the url for metadata addresses even with WEBHOOK_ALLOW_PRIVATE=true, and 201 for loopback', async () => {
    const client = new TestClient(open.url);
    const team = await createTeam(client, 'Metadata');
    for (const address of ['169.254.169.254', 'fd00:ec2::254', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::']) {
      const refused = await client.post('/api/webhooks', { url: url(address) }, { token: team.admin.token });
      expect(refused.status, address).toBe(422);
      expect(refused.body.errors[0].path).toBe('url');
    }
    expect((await client.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook' }, { token: team.admin.token })).status).toBe(201);
  });

  it('with a list of ranges, allows those and refuses other private addresses', async () => {
    const client = new TestClient(ranged.url);
    const team = await createTeam(client, 'Ranged');
    expect((await client.post('/api/webhooks', { url: 'http://10.20.30.40/hook' }, { token: team.admin.token })).status).toBe(201);
    for (const refused of ['http://127.0.0.1:9/hook', 'http://192.168.0.10/hook', 'http://localhost:9/hook']) {
      expect((await client.post('/api/webhooks', { url: refused }, { token: team.admin.token })).status, refused).toBe(422);
    }
  });
});
