import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type BlockList, type LookupFunction } from 'node:net';
import { classifyAddress, rangeList, withinRanges } from './addresses.js';

/**
 * WEBHOOK_ALLOW_PRIVATE: `false` (public destinations only), `true` (also
 * every private and loopback range) or the private ranges allowed, as CIDRs.
 * Link-local and metadata addresses are refused whatever it says
 * (addresses.ts): with them, a webhook reads the host's cloud credentials.
 */
export type PrivateDestinations = boolean | readonly string[];

const rangeCache = new Map<string, BlockList>();
function ranges(cidrs: readonly string[]): BlockList {
  const key = cidrs.join(',');
  let list = rangeCache.get(key);
  if (!list) rangeCache.set(key, (list = rangeList(cidrs)));
  return list;
}

/** Whether a webhook may connect to this IP address under the policy. */
export function isAllowedAddress(address: string, policy: PrivateDestinations): boolean {
  const kind = classifyAddress(address);
  if (kind === 'public') return true;
  if (kind === 'forbidden' || policy === false) return false;
  return policy === true || withinRanges(address, ranges(policy));
}

/** Whether an IP address is one webhooks must not reach by default (no private destinations allowed). */
export function isBlockedAddress(address: string): boolean {
  return !isAllowedAddress(address, false);
}

/**
 * Whether the start of a response from this peer may be kept in the delivery
 * log: only from public addresses, or the log becomes a way to read internal
 * services' answers.
 */
export function keepsResponseBodyOf(remoteAddress: string | undefined): boolean {
  return remoteAddress !== undefined && classifyAddress(remoteAddress) === 'public';
}

export class UnsafeDestinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeDestinationError';
  }
}

function refusal(address: string): UnsafeDestinationError {
  return classifyAddress(address) === 'forbidden'
    ? new UnsafeDestinationError('resolves to a link-local, cloud metadata, multicast or reserved address, which webhooks may never reach')
    : new UnsafeDestinationError(
        'resolves to a private or loopback address, which webhooks may not reach by default; for a local receiver in development, ' +
          'start the server with WEBHOOK_ALLOW_PRIVATE=true (or a list of allowed ranges, e.g. WEBHOOK_ALLOW_PRIVATE=127.0.0.1/32)',
      );
}

/**
 * Checks a URL for registration: http(s), no credentials, and every address
 * it resolves to allowed by the policy. Throws UnsafeDestinationError with a
 * sentence for the client. With private destinations allowed, a name that
 * does not resolve here is accepted: the connect-time guard judges it.
 */
export async function assertSafeUrl(raw: string, policy: PrivateDestinations): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeDestinationError('must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeDestinationError('must use http or https');
  if (url.username || url.password) throw new UnsafeDestinationError('must not contain credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolveAll(host);
  } catch (error) {
    if (policy === false) throw error;
    return url;
  }
  const refused = addresses.find((address) => !isAllowedAddress(address, policy));
  if (refused !== undefined) throw refusal(refused);
  return url;
}

function resolveAll(host: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(new UnsafeDestinationError(`host "${host}" could not be resolved`));
      else resolve(addresses.map((entry) => entry.address));
    });
  });
}

type Resolver = (hostname: string, options: { all: true }, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/**
 * A `lookup` for http.request that refuses addresses the policy does not
 * allow at connection time, so a name that resolved to a public address at
 * registration cannot later be pointed at an internal one (DNS rebinding).
 * `resolve` is the system resolver; tests hand in their own answers.
 */
export function guardedLookupFor(policy: PrivateDestinations, resolve: Resolver = dnsLookup as unknown as Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const bad = addresses.find((entry) => !isAllowedAddress(entry.address, policy));
      if (bad || addresses.length === 0) {
        return callback(new UnsafeDestinationError(`${hostname} resolves to a blocked address`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** The guard for the default policy: public destinations only. */
export const guardedLookup: LookupFunction = guardedLookupFor(false);
