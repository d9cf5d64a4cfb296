/**
 * Ticks for an axis of counts: whole numbers from 0 in even steps of 1, 2, 5,
 * 10, 20…, at most about `most` intervals, the last at or above `max`. Never a
 * fraction, so never the same label twice (rounding 0.5 gave "1, 1, 0").
 */
export function countTicks(max: number, most = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / most;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!);
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => Math.round(i * step));
}
