/**
 * Line charts as a standalone SVG, written by hand (no chart library): one
 * panel per quantity stacked vertically, sharing the x axis (seconds).
 */
export interface Series {
  name: string;
  color: string;
  /** [x, y]; a non-finite y (no sample in that window) breaks the line. */
  points: [number, number][];
  dashed?: boolean;
}

export interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
}

const WIDTH = 960;
const PANEL_HEIGHT = 250;
const MARGIN = { left: 70, right: 180, top: 34, bottom: 40 };
const HEADER = 50;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A round step so that about `count` ticks cover [0, max]. */
function tickStep(max: number, count = 5): number {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].find((f) => f * magnitude >= raw)! * magnitude;
}

const label = (value: number) => (Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(value < 1 ? 2 : 1));

function panel(spec: Panel, top: number, xMax: number): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const x0 = MARGIN.left;
  const y0 = top + MARGIN.top;
  const values = spec.series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
  const rawMax = Math.max(1e-9, ...values);
  const yStep = tickStep(rawMax * 1.05);
  const yMax = Math.ceil((rawMax * 1.05) / yStep) * yStep;
  const xStep = tickStep(xMax, 8);
  const sx = (x: number) => x0 + (x / xMax) * plotWidth;
  const sy = (y: number) => y0 + plotHeight - (y / yMax) * plotHeight;
  const out: string[] = [];

  out.push(`<text x="${x0}" y="${top + 20}" class="title">${escape(spec.title)}</text>`);
  for (let i = 0; i * yStep <= yMax * 1.0001; i++) {
    const y = i * yStep;
    out.push(`<line x1="${x0}" x2="${x0 + plotWidth}" y1="${sy(y)}" y2="${sy(y)}" class="grid"/>`);
    out.push(`<text x="${x0 - 6}" y="${sy(y) + 4}" class="tick" text-anchor="end">${label(y)}</text>`);
  }
  for (let i = 0; i * xStep <= xMax * 1.0001; i++) {
    const x = i * xStep;
    out.push(`<line x1="${sx(x)}" x2="${sx(x)}" y1="${y0 + plotHeight}" y2="${y0 + plotHeight + 5}" class="axis"/>`);
    out.push(`<text x="${sx(x)}" y="${y0 + plotHeight + 18}" class="tick" text-anchor="middle">${label(x)}</text>`);
  }
  out.push(`<rect x="${x0}" y="${y0}" width="${plotWidth}" height="${plotHeight}" class="frame"/>`);
  out.push(`<text x="${x0 + plotWidth / 2}" y="${y0 + plotHeight + 34}" class="axis-label" text-anchor="middle">seconds since the load started</text>`);
  const midY = y0 + plotHeight / 2;
  out.push(`<text x="${x0 - 52}" y="${midY}" class="axis-label" text-anchor="middle" transform="rotate(-90 ${x0 - 52} ${midY})">${escape(spec.yLabel)}</text>`);

  spec.series.forEach((series, i) => {
    // One polyline per unbroken run of finite points.
    let run: string[] = [];
    const flush = () => {
      if (run.length === 1) out.push(`<circle cx="${run[0]!.split(',')[0]}" cy="${run[0]!.split(',')[1]}" r="2" fill="${series.color}"/>`);
      if (run.length > 1) {
        out.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${series.color}" stroke-width="1.8"${series.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
      }
      run = [];
    };
    for (const [x, y] of series.points) {
      if (Number.isFinite(y)) run.push(`${sx(x).toFixed(1)},${sy(Math.min(y, yMax)).toFixed(1)}`);
      else flush();
    }
    flush();
    const ly = y0 + 8 + i * 18;
    const lx = x0 + plotWidth + 14;
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${series.color}" stroke-width="2.5"${series.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    out.push(`<text x="${lx + 28}" y="${ly + 4}" class="legend">${escape(series.name)}</text>`);
  });
  return out.join('\n');
}

/** The whole chart: a heading (title and a line of details), then the panels. */
export function renderChart(title: string, subtitle: string, panels: Panel[], xMax: number): string {
  const height = HEADER + panels.length * PANEL_HEIGHT;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif">`,
    `<style>
  .title { font-size: 14px; font-weight: 600; fill: #222; }
  .heading { font-size: 16px; font-weight: 700; fill: #111; }
  .sub { font-size: 12px; fill: #555; }
  .tick, .legend { font-size: 11px; fill: #333; }
  .axis-label { font-size: 11px; fill: #555; }
  .grid { stroke: #e6e6e6; }
  .axis { stroke: #888; }
  .frame { fill: none; stroke: #888; }
</style>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="22" class="heading">${escape(title)}</text>`,
    `<text x="${MARGIN.left}" y="40" class="sub">${escape(subtitle)}</text>`,
    ...panels.map((spec, i) => panel(spec, HEADER + i * PANEL_HEIGHT, Math.max(1, xMax))),
    '</svg>',
    '',
  ].join('\n');
}
