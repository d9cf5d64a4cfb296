import { html, svg } from 'lit';
import { countTicks } from './ticks.js';

export interface Bar {
  label: string;
  value: number;
  color: string;
}

const fmt = (lang: string) => new Intl.NumberFormat(lang).format;

/** Horizontal bars with a text alternative (a visually hidden table). */
export function barChart(title: string, bars: Bar[], lang: string, labels: { count: string; chart: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const n = fmt(lang);
  const row = 30;
  const width = 560;
  const aria = `${title}: ${bars.map((b) => `${b.label} ${n(b.value)}`).join(', ')}`;
  return html`<figure class="chart" part="chart">
    <figcaption>${title}</figcaption>
    <svg role="img" aria-label=${aria} viewBox="0 0 ${width} ${bars.length * row}" preserveAspectRatio="xMinYMin meet">
      ${bars.map((b, i) => {
        const w = Math.max(b.value ? 3 : 0, (b.value / max) * (width - 170));
        return svg`<g transform="translate(0 ${i * row})">
          <text x="0" y="19" class="label">${b.label}</text>
          <rect x="110" y="6" rx="4" width=${w} height="18" fill=${b.color}></rect>
          <text x=${116 + w} y="19" class="value">${n(b.value)}</text>
        </g>`;
      })}
    </svg>
    ${table(title, [labels.chart, labels.count], bars.map((b) => [b.label, n(b.value)]))}
  </figure>`;
}

/** Two lines (created and completed per day). */
export function trendChart(title: string, days: Array<{ date: string; created: number; completed: number }>, lang: string, labels: { date: string; created: string; completed: string }) {
  const width = 1100;
  const height = 220;
  const pad = { l: 28, r: 8, t: 10, b: 24 };
  const levels = countTicks(Math.max(...days.flatMap((d) => [d.created, d.completed]), 0));
  const max = levels.at(-1)!;
  const x = (i: number) => pad.l + (days.length <= 1 ? 0 : (i / (days.length - 1)) * (width - pad.l - pad.r));
  const y = (v: number) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const line = (key: 'created' | 'completed') => days.map((d, i) => `${x(i).toFixed(1)},${y(d[key]).toFixed(1)}`).join(' ');
  const n = fmt(lang);
  const day = (iso: string) => new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
  const totals = days.reduce((acc, d) => ({ created: acc.created + d.created, completed: acc.completed + d.completed }), { created: 0, completed: 0 });
  const aria = `${title}: ${labels.created} ${n(totals.created)}, ${labels.completed} ${n(totals.completed)}`;
  const ticks = days.length ? [0, Math.floor((days.length - 1) / 2), days.length - 1] : [];
  return html`<figure class="chart wide" part="chart">
    <figcaption>${title}
      <span class="legend"><i style="background:var(--_c1)"></i>${labels.created} <i style="background:var(--_c2)"></i>${labels.completed}</span></figcaption>
    <svg role="img" aria-label=${aria} viewBox="0 0 ${width} ${height}">
      ${levels.map((v) => svg`<line x1=${pad.l} x2=${width - pad.r} y1=${y(v)} y2=${y(v)} class="grid"></line>
        <text x="0" y=${y(v) + 4} class="axis">${n(v)}</text>`)}
      ${ticks.map((i) => svg`<text x=${x(i)} y=${height - 6} class="axis" text-anchor=${i === 0 ? 'start' : i === days.length - 1 ? 'end' : 'middle'}>${day(days[i]!.date)}</text>`)}
      <polyline points=${line('created')} fill="none" stroke="var(--_c1)" stroke-width="2.5" stroke-linejoin="round"></polyline>
      <polyline points=${line('completed')} fill="none" stroke="var(--_c2)" stroke-width="2.5" stroke-linejoin="round" stroke-dasharray="6 3"></polyline>
    </svg>
    ${table(title, [labels.date, labels.created, labels.completed], days.map((d) => [day(d.date), n(d.created), n(d.completed)]))}
  </figure>`;
}

/** Stacked open/overdue/done bars per assignee. */
export function loadChart(title: string, rows: Array<{ name: string; open: number; done: number; overdue: number }>, lang: string, labels: { person: string; open: string; overdue: string; done: string }) {
  const n = fmt(lang);
  const max = Math.max(1, ...rows.map((r) => r.open + r.done));
  const width = 1100;
  const row = 30;
  const scale = (v: number) => (v / max) * (width - 260);
  const aria = `${title}: ${rows.map((r) => `${r.name} ${labels.open} ${n(r.open)}, ${labels.overdue} ${n(r.overdue)}, ${labels.done} ${n(r.done)}`).join('; ')}`;
  return html`<figure class="chart wide" part="chart">
    <figcaption>${title}
      <span class="legend"><i style="background:var(--_c1)"></i>${labels.open} <i style="background:var(--_c3)"></i>${labels.overdue} <i style="background:var(--_c2)"></i>${labels.done}</span></figcaption>
    <svg role="img" aria-label=${aria} viewBox="0 0 ${width} ${Math.max(1, rows.length) * row}">
      ${rows.map((r, i) => {
        const onTime = scale(r.open - r.overdue);
        const late = scale(r.overdue);
        const done = scale(r.done);
        return svg`<g transform="translate(0 ${i * row})">
          <text x="0" y="19" class="label">${r.name}</text>
          <rect x="140" y="6" width=${onTime} height="18" fill="var(--_c1)"></rect>
          <rect x=${140 + onTime} y="6" width=${late} height="18" fill="var(--_c3)"></rect>
          <rect x=${140 + onTime + late} y="6" width=${done} height="18" fill="var(--_c2)"></rect>
          <text x=${146 + onTime + late + done} y="19" class="value">${n(r.open)} / ${n(r.done)}</text>
        </g>`;
      })}
    </svg>
    ${table(title, [labels.person, labels.open, labels.overdue, labels.done], rows.map((r) => [r.name, n(r.open), n(r.overdue), n(r.done)]))}
  </figure>`;
}

function table(caption: string, head: string[], rows: string[][]) {
  return html`<table class="sr-only">
    <caption>${caption}</caption>
    <thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
    <tbody>${rows.map((r) => html`<tr>${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : html`<td>${c}</td>`))}</tr>`)}</tbody>
  </table>`;
}
