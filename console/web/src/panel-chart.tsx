import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api } from './api.ts';
import { formatValue } from './figures.ts';
import { withTeam } from './team-scope.ts';

interface ChartData {
  title: string;
  description: string;
  unit: string;
  series: Array<{ label: string; points: Array<[number, number]> }>;
}

/** uPlot wants one shared x array and one y array per series. */
function toColumns(data: ChartData): uPlot.AlignedData {
  const times = [...new Set(data.series.flatMap((s) => s.points.map(([t]) => t)))].sort((a, b) => a - b);
  return [
    times,
    ...data.series.map((s) => {
      const byTime = new Map(s.points);
      return times.map((t) => byTime.get(t) ?? null);
    }),
  ];
}

/** The newest value of each series, as text beside the chart (a chart alone is colour and shape). */
function latestValues(data: ChartData): Array<{ label: string; value: string }> {
  return data.series.map((s) => {
    const last = [...s.points].reverse().find(([, v]) => Number.isFinite(v));
    return { label: s.label, value: last ? formatValue(last[1], data.unit) : 'no data' };
  });
}

/** How long a chart reaches back. */
const windowMinutes = 15;

/** The y axis' label for a Grafana unit id. */
const axisLabels: Record<string, string> = { reqps: 'requests/s', ops: 'per second', percentunit: 'share (0–1)', s: 'seconds', bytes: 'bytes' };

/** Distinct colours in a fixed order, so a service keeps its colour across refreshes. */
const seriesColours = ['#0b57d0', '#a4161a', '#1b6e2a', '#8a5300', '#6a1b9a', '#00695c'];

/** A moment marked on a chart: a vertical line, its label also listed as text below the chart. */
export interface ChartAnnotation {
  /** Unix seconds. */
  at: number;
  label: string;
}

const annotationColour = '#5f2400';

/**
 * Draws each annotation as a dashed vertical line with its number at the top; the numbered list
 * under the chart says what each one is (position and colour are never the only signal).
 */
function annotationPlugin(annotations: readonly ChartAnnotation[]): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx, bbox } = u;
          ctx.save();
          ctx.strokeStyle = annotationColour;
          ctx.fillStyle = annotationColour;
          ctx.lineWidth = 2;
          ctx.setLineDash([6, 4]);
          ctx.font = `${Math.round(12 * devicePixelRatio)}px sans-serif`;
          annotations.forEach((a, i) => {
            const x = Math.round(u.valToPos(a.at, 'x', true));
            if (x < bbox.left || x > bbox.left + bbox.width) return;
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
            ctx.fillText(String(i + 1), x + 3, bbox.top + 12 * devicePixelRatio);
          });
          ctx.restore();
        },
      ],
    },
  };
}

const clockTime = (at: number) => new Date(at * 1000).toISOString().slice(11, 19);

/**
 * A chart from the dashboards-as-code (the console picks the panel; this draws it). Live: the last
 * 15 minutes, refreshed every 5 s. With a `window` (a run's debrief): that span, read once, with
 * the `annotations` (fault and cause times) marked on it.
 */
export function PanelChart(props: { id: string; window?: { from: number; to: number }; annotations?: readonly ChartAnnotation[]; team?: string | null }) {
  const from = props.window?.from;
  const to = props.window?.to;
  const box = useRef<HTMLDivElement>(null);
  const [data, setData] = useState<ChartData | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let stopped = false;
    const query = from !== undefined && to !== undefined ? `from=${from}&to=${to}` : `minutes=${windowMinutes}`;
    const load = () =>
      api<ChartData>('GET', withTeam(`/console/charts/${props.id}?${query}`, props.team)).then(
        (d) => {
          if (stopped) return;
          setData(d);
          setError('');
        },
        (err: Error) => !stopped && setError(err.message),
      );
    load();
    // A window wholly past does not change; the live chart, or a window reaching into the future
    // (a debrief straight after the run), is read again.
    const timer = to === undefined || to * 1000 > Date.now() ? setInterval(load, 5000) : undefined;
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [props.id, from, to, props.team]);
  useEffect(() => {
    if (!data || !box.current) return;
    const now = Date.now() / 1000;
    const range: [number, number] = from !== undefined && to !== undefined ? [from, to] : [now - windowMinutes * 60, now];
    const plot = new uPlot(
      {
        width: box.current.clientWidth || 600,
        height: 200,
        // The whole window, even while Prometheus has only a few points of it.
        scales: { x: { time: true, range: () => range } },
        series: [{}, ...data.series.map((s, i) => ({ label: s.label, stroke: seriesColours[i % seriesColours.length], points: { show: true, size: 4 } }))],
        axes: [{}, { label: axisLabels[data.unit] ?? '' }],
        plugins: props.annotations && props.annotations.length > 0 ? [annotationPlugin(props.annotations)] : [],
      },
      toColumns(data),
      box.current,
    );
    return () => plot.destroy();
  }, [data, props.annotations]);
  return (
    <figure class="chart" data-chart={props.id}>
      <figcaption>{data?.title ?? 'Loading chart…'}</figcaption>
      {error && <p role="alert">Chart unavailable: {error}</p>}
      <div ref={box} aria-label={data ? `${data.title}: ${data.description}` : 'Chart loading'} role="img" />
      {data && data.series.length === 0 && <p class="latest">No data yet</p>}
      {data && data.series.length > 0 && (
        <dl class="latest" aria-label={`${data.title}, latest values`}>
          {latestValues(data).map((v) => (
            <div key={v.label}>
              <dt>{v.label}</dt>
              <dd>{v.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {props.annotations && props.annotations.length > 0 && (
        <ol class="annotations" aria-label={`${data?.title ?? 'Chart'}, marked moments`}>
          {props.annotations.map((a) => (
            <li key={`${a.at}-${a.label}`}>
              <time dateTime={new Date(a.at * 1000).toISOString()}>{clockTime(a.at)}</time> {a.label}
            </li>
          ))}
        </ol>
      )}
    </figure>
  );
}
