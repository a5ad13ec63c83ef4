/** Reports: group-by dimensions and a metric over a range; table, trend, comparison with the previous range, CSV/JSON export. */
import { useMemo, type ReactElement } from 'react';
import type uPlot from 'uplot';
import { apiUrl, type Page } from '../api.ts';
import { Icon } from '../components/icons.tsx';
import { TimeChart } from '../components/time-chart.tsx';
import { Card, ErrorNote, PageHead, Segmented, Skeleton } from '../components/ui.tsx';
import { fmtBps, fmtMetric, fmtPct } from '../format.ts';
import { useApi } from '../hooks.ts';
import { setQuery, useLocation } from '../router.ts';

const DIMENSIONS = [
  ['appProto', 'Application'],
  ['appCategory', 'Category'],
  ['srcAddr', 'Source'],
  ['dstAddr', 'Destination'],
  ['dstPort', 'Destination port'],
  ['proto', 'Protocol'],
  ['srcCountry', 'Source country'],
  ['dstCountry', 'Destination country'],
  ['srcAs', 'Source AS'],
  ['dstAs', 'Destination AS'],
  ['exporter', 'Exporter'],
  ['inIf', 'Input interface'],
  ['outIf', 'Output interface'],
  ['vlan', 'VLAN'],
] as const;
const RANGE_MS: Record<string, number> = {
  '1h': 3_600_000,
  '6h': 21_600_000,
  '24h': 86_400_000,
  '7d': 604_800_000,
};
const STEP: Record<string, string> = { '1h': '5m', '6h': '15m', '24h': '1h', '7d': '6h' };

interface ReportRow {
  keys: Record<string, string | number | null>;
  sum: number;
  avg: number;
  p95: number;
  count: number;
}
interface CompareRow {
  keys: Record<string, string | number | null>;
  a: number;
  b: number;
  delta: number;
  change: number | null;
}

const keyText = (keys: Record<string, string | number | null>): string =>
  Object.values(keys)
    .map((v) => (v === null ? '(unknown)' : String(v)))
    .join(' · ');

export function Reports(): ReactElement {
  const { query } = useLocation();
  const range = query.get('range') ?? '1h';
  const dims = (query.get('dims') ?? 'appProto').split(',').filter(Boolean);
  const metric = query.get('metric') ?? 'bytes';
  const filter = query.get('filter') ?? '';
  const params = { from: `-${range}`, dimensions: dims, metric, step: STEP[range], filter, limit: 25 };
  const report = useApi<Page<ReportRow> & { stepMs: number }>('reports', params);
  const span = RANGE_MS[range] ?? 3_600_000;
  // Fixed instants for the comparison, rounded to the minute so the request is stable across renders.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const compare = useApi<{ rows: CompareRow[]; movers: CompareRow[] }>('reports/compare', {
    aFrom: now - 2 * span,
    aTo: now - span,
    bFrom: now - span,
    bTo: now,
    dimensions: dims,
    metric,
    filter,
    limit: 10,
  });
  const series = useApi<{
    stepMs: number;
    points: { t: number; bytes: number; packets: number; flows: number }[];
  }>('series', { from: `-${range}`, step: STEP[range], filter });
  const chart = useMemo<uPlot.AlignedData>(() => {
    const pts = series.data?.points ?? [];
    const step = (series.data?.stepMs ?? 60_000) / 1000;
    const val = (p: { bytes: number; packets: number; flows: number }): number =>
      metric === 'bytes' ? (p.bytes * 8) / step : metric === 'packets' ? p.packets / step : p.flows / step;
    return [pts.map((p) => p.t / 1000), pts.map(val)];
  }, [series.data, metric]);
  const exportUrl = (format: string): string =>
    apiUrl('reports/export', { ...params, limit: undefined, format });
  const toggleDim = (d: string): void => {
    const next = dims.includes(d) ? dims.filter((x) => x !== d) : [...dims, d].slice(-3);
    setQuery({ dims: (next.length ? next : [d]).join(',') });
  };

  return (
    <>
      <PageHead
        title="Reports"
        sub="Group traffic by up to three dimensions; compare with the previous period."
      >
        <Segmented
          label="Time range"
          value={range}
          options={Object.keys(RANGE_MS).map((r) => ({ value: r, label: r }))}
          onChange={(v) => setQuery({ range: v })}
        />
      </PageHead>
      <Card>
        <div className="report-controls">
          <fieldset>
            <legend>Group by</legend>
            <div className="chips">
              {DIMENSIONS.map(([d, label]) => (
                <label key={d} className={`chip ${dims.includes(d) ? 'on' : ''}`}>
                  <input type="checkbox" checked={dims.includes(d)} onChange={() => toggleDim(d)} />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="report-side">
            <Segmented
              label="Metric"
              value={metric}
              options={[
                { value: 'bytes', label: 'Bytes' },
                { value: 'packets', label: 'Packets' },
                { value: 'flows', label: 'Flows' },
              ]}
              onChange={(v) => setQuery({ metric: v })}
            />
            <a
              className="btn"
              href={exportUrl('csv')}
              download="flowlens-report.csv"
              data-testid="export-csv"
            >
              <Icon name="download" /> CSV
            </a>
            <a className="btn" href={exportUrl('json')} download="flowlens-report.json">
              <Icon name="download" /> JSON
            </a>
          </div>
        </div>
      </Card>
      <Card title="Trend" id="trend">
        <TimeChart
          label="Trend of the metric"
          data={chart}
          series={[{ label: metric === 'bytes' ? 'Bits per second' : `${metric} per second`, color: '--c1' }]}
          fmt={metric === 'bytes' ? fmtBps : (v) => v.toFixed(v < 10 ? 1 : 0)}
          height={180}
        />
      </Card>
      <div className="grid2">
        <Card title="Breakdown" id="breakdown">
          <ErrorNote error={report.error} />
          {!report.data ? (
            <Skeleton rows={8} />
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="report-table">
                <thead>
                  <tr>
                    <th scope="col">
                      {dims.map((d) => DIMENSIONS.find(([x]) => x === d)?.[1] ?? d).join(' · ')}
                    </th>
                    <th scope="col" className="r">
                      Total
                    </th>
                    <th scope="col" className="r">
                      Avg / step
                    </th>
                    <th scope="col" className="r">
                      p95 / step
                    </th>
                    <th scope="col" className="r">
                      Flows
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {report.data.items.map((r) => (
                    <tr key={keyText(r.keys)}>
                      <td>{keyText(r.keys)}</td>
                      <td className="r num">{fmtMetric(metric, r.sum)}</td>
                      <td className="r num">{fmtMetric(metric, r.avg)}</td>
                      <td className="r num">{fmtMetric(metric, r.p95)}</td>
                      <td className="r num">{fmtMetric('flows', r.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
        <Card title={`This ${range} vs the previous ${range}`} id="compare">
          {!compare.data ? (
            <Skeleton rows={8} />
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Top movers</th>
                    <th scope="col" className="r">
                      Before
                    </th>
                    <th scope="col" className="r">
                      Now
                    </th>
                    <th scope="col" className="r">
                      Change
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {compare.data.movers.map((r) => (
                    <tr key={keyText(r.keys)}>
                      <td>{keyText(r.keys)}</td>
                      <td className="r num">{fmtMetric(metric, r.a)}</td>
                      <td className="r num">{fmtMetric(metric, r.b)}</td>
                      <td className={`r num ${r.delta >= 0 ? 'up' : 'down'}`}>{fmtPct(r.change)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
