import type { SliSeries, TimelineEntry } from './report-schema.ts';

/**
 * The SLI chart as inline SVG: one panel per series over the run's span, each timeline event a
 * numbered vertical line (the numbers are the timeline's). No script, no external resource, so
 * the page is one self-contained file.
 */
export interface ChartSpan {
  fromMs: number;
  toMs: number;
}

const width = 900;
const panelHeight = 140;
const margin = { left: 60, right: 10, top: 18, bottom: 22 };
const colours: Record<SliSeries['name'], string> = { errorRatio: '#c0392b', p95Ms: '#2471a3' };

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fixed = (n: number) => Number(n.toFixed(1));

export function sliChartSvg(series: readonly SliSeries[], events: readonly TimelineEntry[], span: ChartSpan, unavailable: string | null): string {
  const plotted = unavailable ? [] : series;
  const panels = Math.max(1, plotted.length);
  const height = panels * (panelHeight + margin.top + margin.bottom);
  const plotWidth = width - margin.left - margin.right;
  const x = (ms: number) => fixed(margin.left + ((ms - span.fromMs) / Math.max(1, span.toMs - span.fromMs)) * plotWidth);
  const parts: string[] = [`<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="SLI chart" class="chart">`];

  for (let p = 0; p < panels; p++) {
    const top = p * (panelHeight + margin.top + margin.bottom) + margin.top;
    const one = plotted[p];
    parts.push(`<rect x="${margin.left}" y="${top}" width="${plotWidth}" height="${panelHeight}" class="panel"/>`);
    if (!one || one.points.length === 0) {
      parts.push(
        `<text x="${width / 2}" y="${top + panelHeight / 2}" class="nodata" text-anchor="middle">no data${unavailable ? `: ${esc(unavailable)}` : ''}</text>`,
      );
    } else {
      const max = Math.max(...one.points.map(([, v]) => v)) || 1;
      const y = (value: number) => fixed(top + panelHeight - (value / max) * panelHeight);
      const path = one.points.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${x(t)},${y(v)}`).join(' ');
      parts.push(`<text x="${margin.left}" y="${top - 5}" class="label">${esc(one.label)} (${esc(one.unit)}), max ${fixed(max)}</text>`);
      parts.push(`<text x="${margin.left - 4}" y="${top + 10}" class="axis" text-anchor="end">${fixed(max)}</text>`);
      parts.push(`<text x="${margin.left - 4}" y="${top + panelHeight}" class="axis" text-anchor="end">0</text>`);
      parts.push(`<path d="${path}" fill="none" stroke="${colours[one.name]}" stroke-width="1.5"/>`);
    }
    events.forEach((event, i) => {
      const at = Date.parse(event.at);
      if (at < span.fromMs || at > span.toMs) return;
      parts.push(
        `<g class="event ${event.visibility}"><title>${i + 1}. ${esc(event.at.slice(11, 19))} ${esc(event.source)}: ${esc(event.summary)}</title>` +
          `<line x1="${x(at)}" x2="${x(at)}" y1="${top}" y2="${top + panelHeight}"/>` +
          (p === panels - 1 ? `<text x="${x(at)}" y="${top + panelHeight + 14}" text-anchor="middle">${i + 1}</text>` : '') +
          '</g>',
      );
    });
  }
  parts.push('</svg>');
  return parts.join('');
}
