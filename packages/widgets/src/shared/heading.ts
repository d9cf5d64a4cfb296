/**
 * The `aria-level` of a heading: the element's `heading-level` (default 2,
 * below the host page's h1) plus `offset` for a heading nested one step
 * deeper; a missing or invalid level falls back to 2, and 1 is the minimum.
 */
export function ariaLevel(headingLevel: number | undefined, offset = 0): number {
  const level = Number.isInteger(headingLevel) && (headingLevel as number) >= 1 ? (headingLevel as number) : 2;
  return level + offset;
}
