import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api } from './api.ts';
import { formatValue } from './figures.ts';

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

/** A chart from the dashboards-as-code (the console picks the panel; this draws it), refreshed every 5 s. */
export function PanelChart(props: { id: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [data, setData] = useState<ChartData | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let stopped = false;
    const load = () =>
      api<ChartData>('GET', `/console/charts/${props.id}?minutes=${windowMinutes}`).then(
        (d) => {
          if (stopped) return;
          setData(d);
          setError('');
        },
        (err: Error) => !stopped && setError(err.message),
      );
    load();
    const timer = setInterval(load, 5000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [props.id]);
  useEffect(() => {
    if (!data || !box.current) return;
    const now = Date.now() / 1000;
    const plot = new uPlot(
      {
        width: box.current.clientWidth || 600,
        height: 200,
        // The whole window, even while Prometheus has only a few points of it.
        scales: { x: { time: true, range: () => [now - windowMinutes * 60, now] } },
        series: [{}, ...data.series.map((s, i) => ({ label: s.label, stroke: seriesColours[i % seriesColours.length], points: { show: true, size: 4 } }))],
        axes: [{}, { label: axisLabels[data.unit] ?? '' }],
      },
      toColumns(data),
      box.current,
    );
    return () => plot.destroy();
  }, [data]);
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
    </figure>
  );
}
