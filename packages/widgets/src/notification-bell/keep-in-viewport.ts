/** The room kept between a popup and the viewport's edges, in CSS pixels. */
const MARGIN = 8;

/**
 * The horizontal shift that brings a box inside the viewport: the panel opens
 * under the bell, right-aligned, which runs off the left edge whenever the bell
 * is not near the right one (an embed at the start of a toolbar, a phone).
 */
export function horizontalShift(box: { left: number; right: number }, viewportWidth: number): number {
  if (box.right - box.left > viewportWidth - 2 * MARGIN) return MARGIN - box.left;
  if (box.left < MARGIN) return MARGIN - box.left;
  if (box.right > viewportWidth - MARGIN) return viewportWidth - MARGIN - box.right;
  return 0;
}

/** Moves an element (positioned relative to its anchor) sideways until it fits the viewport. */
export function keepInViewport(element: HTMLElement): void {
  element.style.translate = '';
  const box = element.getBoundingClientRect();
  const shift = horizontalShift(box, document.documentElement.clientWidth);
  if (shift) element.style.translate = `${shift}px 0`;
}
