import { BlockList, isIP } from 'node:net';

/**
 * What a webhook destination address is:
 * - `public`: reachable by any webhook;
 * - `private`: loopback, private, shared and other internal ranges, reachable
 *   only where WEBHOOK_ALLOW_PRIVATE allows it;
 * - `forbidden`: link-local and cloud-metadata addresses (credentials live
 *   there), multicast and reserved ranges: never, whatever the configuration.
 */
export type AddressClass = 'public' | 'private' | 'forbidden';

function blockList(family: 'ipv4' | 'ipv6', subnets: Array<[string, number]>): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of subnets) list.addSubnet(network, prefix, family);
  return list;
}

const FORBIDDEN_V4 = blockList('ipv4', [
  ['169.254.0.0', 16], // link-local; 169.254.169.254 is the AWS, GCP, Azure and OCI metadata service
  ['100.100.100.200', 32], // Alibaba Cloud metadata
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
]);
const PRIVATE_V4 = blockList('ipv4', [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
]);
const FORBIDDEN_V6 = blockList('ipv6', [
  ['fe80::', 10], // link-local
  ['fd00:ec2::254', 128], // AWS metadata over IPv6
  ['ff00::', 8], // multicast
]);
const PRIVATE_V6 = blockList('ipv6', [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fec0::', 10], // the old site-local
]);

/** The 16 bytes of an IPv6 address (with or without a trailing dotted quad or a zone), or undefined. */
export function ipv6Bytes(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, '');
  if (isIP(text) !== 6) return undefined;
  let tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    tail = dotted.slice(1).map(Number);
    text = text.slice(0, -dotted[0].length);
    if (text.endsWith(':') && !text.endsWith('::')) text = text.slice(0, -1);
  }
  const groupCount = 8 - tail.length / 2;
  const groups = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  let all: number[];
  if (text.includes('::')) {
    const [head, rest] = text.split('::') as [string, string];
    const before = groups(head);
    const after = groups(rest);
    all = [...before, ...new Array<number>(groupCount - before.length - after.length).fill(0), ...after];
  } else {
    all = groups(text);
  }
  if (all.length !== groupCount) return undefined;
  return [...all.flatMap((group) => [group >> 8, group & 255]), ...tail];
}

const startsWith = (bytes: number[], prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);
const quad = (bytes: number[], ...at: number[]) => at.map((i) => bytes[i]).join('.');

/**
 * The IPv4 addresses an IPv6 address carries, by every standard way of
 * embedding one: the packet may end up at that IPv4 address (a dual-stack
 * socket, NAT64, 6to4, Teredo), so it is judged like it. For the local-use
 * NAT64 prefix the embedding depends on the operator's prefix length, so every
 * RFC 6052 layout counts.
 */
export function embeddedIpv4(bytes: number[]): string[] {
  const zeros = (n: number) => new Array<number>(n).fill(0);
  const last = quad(bytes, 12, 13, 14, 15);
  if (startsWith(bytes, zeros(12))) return [last]; // ::a.b.c.d (IPv4-compatible), and :: and ::1
  if (startsWith(bytes, [...zeros(10), 0xff, 0xff])) return [last]; // ::ffff:0:0/96, IPv4-mapped
  if (startsWith(bytes, [...zeros(8), 0xff, 0xff, 0, 0])) return [last]; // ::ffff:0:0:0/96, SIIT
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, ...zeros(8)])) return [last]; // 64:ff9b::/96, NAT64
  if (startsWith(bytes, [0, 0x64, 0xff, 0x9b, 0, 1])) {
    // 64:ff9b:1::/48, local-use NAT64 (RFC 8215), as /48, /56, /64 or /96
    return [quad(bytes, 6, 7, 9, 10), quad(bytes, 7, 9, 10, 11), quad(bytes, 9, 10, 11, 12), last];
  }
  if (startsWith(bytes, [0x20, 0x02])) return [quad(bytes, 2, 3, 4, 5)]; // 2002::/16, 6to4
  if (startsWith(bytes, [0x20, 0x01, 0, 0])) {
    // 2001::/32, Teredo: the server, and the client (stored inverted)
    return [quad(bytes, 4, 5, 6, 7), bytes.slice(12).map((byte) => byte ^ 0xff).join('.')];
  }
  return [];
}

/** Every address a destination stands for: itself and any IPv4 address it embeds. */
export function addressViews(address: string): Array<{ address: string; family: 'ipv4' | 'ipv6' }> | undefined {
  const plain = address.replace(/^\[|\]$/g, '');
  if (isIP(plain) === 4) return [{ address: plain, family: 'ipv4' }];
  const bytes = ipv6Bytes(plain);
  if (!bytes) return undefined;
  return [{ address: plain.replace(/%.*$/, ''), family: 'ipv6' }, ...embeddedIpv4(bytes).map((v4) => ({ address: v4, family: 'ipv4' as const }))];
}

function classOfView(view: { address: string; family: 'ipv4' | 'ipv6' }): AddressClass {
  const [forbidden, internal] = view.family === 'ipv4' ? [FORBIDDEN_V4, PRIVATE_V4] : [FORBIDDEN_V6, PRIVATE_V6];
  if (forbidden.check(view.address, view.family)) return 'forbidden';
  return internal.check(view.address, view.family) ? 'private' : 'public';
}

/** The class of an address: its worst view. Anything that is not an address is forbidden. */
export function classifyAddress(address: string): AddressClass {
  const views = addressViews(address);
  if (!views) return 'forbidden';
  const classes = views.map(classOfView);
  if (classes.includes('forbidden')) return 'forbidden';
  return classes.includes('private') ? 'private' : 'public';
}

/**
 * Whether a `private` address lies inside the allowed ranges: every private
 * view of it must (`::ffff:10.0.0.5` is judged as 10.0.0.5).
 */
export function withinRanges(address: string, ranges: BlockList): boolean {
  const views = addressViews(address);
  if (!views) return false;
  return views.filter((view) => classOfView(view) !== 'public').every((view) => ranges.check(view.address, view.family));
}

/** A BlockList of CIDRs (`10.0.0.0/8`, `fd12::/16`; a bare address is one host). Throws on a bad entry. */
export function rangeList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network = '', prefixText] = cidr.split('/');
    const family = isIP(network);
    if (!family) throw new Error(`"${cidr}" is not a CIDR range`);
    const prefix = prefixText === undefined ? (family === 4 ? 32 : 128) : Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText ?? '0') || prefix > (family === 4 ? 32 : 128)) throw new Error(`"${cidr}" has a bad prefix length`);
    list.addSubnet(network, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}
