import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderPrometheusConfig } from './prometheus-config.ts';

describe('renderPrometheusConfig', () => {
  const config = parse(
    renderPrometheusConfig({
      rulesDir: '/repo/prometheus/rules',
      targets: [
        { job: 'api', port: 7400, metricsPath: '/metrics' },
        { job: 'prometheus', port: 7490, metricsPath: '/metrics' },
      ],
    }),
  );

  it('when rendered, then it scrapes and evaluates every 5 seconds', () => {
    expect(config.global).toMatchObject({ scrape_interval: '5s', evaluation_interval: '5s' });
  });

  it('when rendered, then every target becomes a job scraping 127.0.0.1 on its port', () => {
    expect(config.scrape_configs).toEqual([
      { job_name: 'api', metrics_path: '/metrics', static_configs: [{ targets: ['127.0.0.1:7400'] }] },
      { job_name: 'prometheus', metrics_path: '/metrics', static_configs: [{ targets: ['127.0.0.1:7490'] }] },
    ]);
  });

  it('when rendered, then it loads every rule file of the rules folder', () => {
    expect(config.rule_files).toEqual(['/repo/prometheus/rules/*.yml']);
  });

  it('when targets of one job carry team labels, then the job has one static config per team', () => {
    const teams = parse(
      renderPrometheusConfig({
        rulesDir: '/r',
        targets: [
          { job: 'api', port: 7500, metricsPath: '/metrics', labels: { team: 'blue' } },
          { job: 'api', port: 7600, metricsPath: '/metrics', labels: { team: 'green' } },
        ],
      }),
    );
    expect(teams.scrape_configs).toEqual([
      {
        job_name: 'api',
        metrics_path: '/metrics',
        static_configs: [
          { targets: ['127.0.0.1:7500'], labels: { team: 'blue' } },
          { targets: ['127.0.0.1:7600'], labels: { team: 'green' } },
        ],
      },
    ]);
  });

  it("when a job's targets name metric relabels, then the job sets them on its series: the label from the source's capture", () => {
    const relabelled = parse(
      renderPrometheusConfig({
        rulesDir: '/r',
        targets: [
          {
            job: 'postgres-exporter',
            port: 7487,
            metricsPath: '/metrics',
            metricRelabels: [{ sourceLabel: 'datname', regex: 'shop_([a-z]+)', targetLabel: 'team', replacement: '$1' }],
          },
        ],
      }),
    );
    expect(relabelled.scrape_configs).toEqual([
      {
        job_name: 'postgres-exporter',
        metrics_path: '/metrics',
        metric_relabel_configs: [{ source_labels: ['datname'], regex: 'shop_([a-z]+)', target_label: 'team', replacement: '$1' }],
        static_configs: [{ targets: ['127.0.0.1:7487'] }],
      },
    ]);
  });
});
