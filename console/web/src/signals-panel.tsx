import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { PanelChart } from './panel-chart.tsx';

interface ChartEntry {
  id: string;
  group: string;
  title: string;
}

/** The charts the console offers for one part of the page (golden signals, the shop's queue and payments); `team`: the instructor's pick in a class. */
export function SignalsPanel(props: { group: string; heading: string; headingId: string; team?: string | null }) {
  const [charts, setCharts] = useState<ChartEntry[]>([]);
  useEffect(() => {
    api<{ charts: ChartEntry[] }>('GET', '/console/charts').then(({ charts }) => setCharts(charts.filter((c) => c.group === props.group)));
  }, [props.group]);
  return (
    <section aria-labelledby={props.headingId} class="charts">
      <h2 id={props.headingId}>{props.heading}</h2>
      {charts.map((c) => (
        <PanelChart key={c.id} id={c.id} team={props.team ?? null} />
      ))}
    </section>
  );
}
