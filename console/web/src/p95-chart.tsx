import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api } from './api.ts';

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

/** A chart from the dashboards-as-code (the console picks the panel; this draws it), refreshed every 5 s. */
export function PanelChart(props: { id: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [data, setData] = useState<ChartData | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let stopped = false;
    const load = () =>
      api<ChartData>('GET', `/console/charts/${props.id}?minutes=15`).then(
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
    const plot = new uPlot(
      { width: box.current.clientWidth || 600, height: 240, series: [{}, ...data.series.map((s) => ({ label: s.label }))], axes: [{}, { label: data.unit }] },
      toColumns(data),
      box.current,
    );
    return () => plot.destroy();
  }, [data]);
  return (
    <figure>
      <figcaption>{data?.title ?? 'Loading chart…'}</figcaption>
      {error && <p role="alert">Chart unavailable: {error}</p>}
      <div ref={box} aria-label={data ? `${data.title}: ${data.description}` : undefined} role="img" />
    </figure>
  );
}
