/** A small seeded PRNG (mulberry32) so every run seeds the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const WORDS = [
  'fix', 'login', 'page', 'update', 'billing', 'export', 'report', 'search', 'invoice', 'mobile', 'layout', 'crash',
  'review', 'deploy', 'cache', 'customer', 'onboarding', 'email', 'template', 'sync', 'calendar', 'upload', 'api',
  'docs', 'dashboard', 'filter', 'timeout', 'migration', 'permissions', 'webhook', 'chart', 'import', 'slow', 'query',
];

export function words(random: () => number, count: number): string {
  return Array.from({ length: count }, () => pick(random, WORDS)).join(' ');
}
