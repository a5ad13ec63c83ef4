/**
 * Reports: group-by dimensions and a metric over a preset or custom range;
 * table and trend; a second period (previous, day or week before, or custom)
 * side by side with deltas and top movers; CSV/JSON export.
 */
import { useMemo, type ReactElement } from 'react';
import type uPlot from 'uplot';
import { apiUrl, type Page, type Series } from '../api.ts';
import { FilterInput } from '../components/filter-input.tsx';
import { Icon } from '../components/icons.tsx';
import { TimeChart } from '../components/time-chart.tsx';
import { Card, ErrorNote, PageHead, Segmented, Skeleton } from '../components/ui.tsx';
import { fmtBps, fmtMetric, fmtPct } from '../format.ts';
import { useApi } from '../hooks.ts';
import { setQuery, useLocation } from '../router.ts';
import { customQuery, fmtPeriod, MIN_SELECTION_MS, PRESET_MS } from '../time-window.ts';
import { RangeForm } from '../components/range-form.tsx';

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
const COMPARE = [
  { value: 'prev', label: 'Previous' },
  { value: 'day', label: 'Day before' },
  { value: 'week', label: 'Week before' },
  { value: 'custom', label: 'Custom' },
];
const SHIFT_MS: Record<string, number> = { day: 86_400_000, week: 604_800_000 };

/** A bucket width that gives the trend a few dozen points. */
function stepFor(spanMs: number): string {
  if (spanMs <= 3_600_000) return '5m';
  if (spanMs <= 21_600_000) return '15m';
  if (spanMs <= 86_400_000) return '1h';
  if (spanMs <= 604_800_000) return '6h';
  return '1d';
}

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
  const cmp = query.get('cmp') ?? 'prev';
  // Fixed instants, rounded to the minute so the requests are stable across renders.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const custom = range === 'custom';
  const bTo = custom ? Number(query.get('to') ?? now) : now;
  const bFrom = custom ? Number(query.get('from') ?? now - 3_600_000) : now - (PRESET_MS[range] ?? 3_600_000);
  const span = Math.max(60_000, bTo - bFrom);
  const shift = SHIFT_MS[cmp] ?? span;
  const aFrom = cmp === 'custom' ? Number(query.get('aFrom') ?? bFrom - span) : bFrom - shift;
  const aTo = cmp === 'custom' ? Number(query.get('aTo') ?? bFrom) : bTo - shift;
  const step = stepFor(span);
  const params = { from: String(bFrom), to: String(bTo), dimensions: dims, metric, step, filter, limit: 25 };
  const report = useApi<Page<ReportRow> & { stepMs: number }>('reports', params);
  const compare = useApi<{ rows: CompareRow[]; movers: CompareRow[] }>('reports/compare', {
    aFrom,
    aTo,
    bFrom,
    bTo,
    dimensions: dims,
    metric,
    filter,
    limit: 15,
  });
  const series = useApi<Series>('series', { from: String(bFrom), to: String(bTo), step, filter });
  const before = useApi<Series>('series', { from: String(aFrom), to: String(aTo), step, filter });
  const chart = useMemo<uPlot.AlignedData>(() => {
    const pts = series.data?.points ?? [];
    const stepS = (series.data?.stepMs ?? 60_000) / 1000;
    const val = (p: { bytes: number; packets: number; flows: number } | undefined): number | null =>
      p === undefined
        ? null
        : metric === 'bytes'
          ? (p.bytes * 8) / stepS
          : metric === 'packets'
            ? p.packets / stepS
            : p.flows / stepS;
    // The comparison period is drawn over the current one, bucket by bucket.
    const prev = before.data?.points ?? [];
    return [pts.map((p) => p.t / 1000), pts.map(val), pts.map((_, i) => val(prev[i]))];
  }, [series.data, before.data, metric]);
  const exportUrl = (format: string): string =>
    apiUrl('reports/export', { ...params, limit: undefined, format });
  const toggleDim = (d: string): void => {
    const next = dims.includes(d) ? dims.filter((x) => x !== d) : [...dims, d].slice(-3);
    setQuery({ dims: (next.length ? next : [d]).join(',') });
  };
  const dimLabel = dims.map((d) => DIMENSIONS.find(([x]) => x === d)?.[1] ?? d).join(' · ');
  const unit =
    metric === 'bytes' ? 'Bits per second' : `${metric[0]!.toUpperCase()}${metric.slice(1)} per second`;

  return (
    <>
      <PageHead
        title="Reports"
        sub="Group traffic by up to three dimensions; compare two periods side by side."
      >
        <Segmented
          label="Time range"
          value={range}
          options={[
            ...Object.keys(PRESET_MS).map((r) => ({ value: r, label: r })),
            { value: 'custom', label: 'Custom' },
          ]}
          onChange={(v) =>
            setQuery(
              v === 'custom'
                ? { range: v, from: String(bFrom), to: String(bTo) }
                : { range: v, from: undefined, to: undefined },
            )
          }
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
        <FilterInput
          range={custom ? '24h' : range}
          value={filter}
          onSubmit={(v) => setQuery({ filter: v || undefined })}
          error={report.error?.message}
        />
        <div className="report-periods">
          <div>
            <span className="period-tag b">This period</span> {fmtPeriod(bFrom, bTo)}
            {custom && (
              <RangeForm
                label="This period"
                testId="range-b"
                from={bFrom}
                to={bTo}
                onApply={(f, t) => setQuery({ from: String(f), to: String(t) })}
              />
            )}
          </div>
          <div>
            <span className="period-tag a">Compared with</span> {fmtPeriod(aFrom, aTo)}
            <Segmented
              label="Compare with"
              value={cmp}
              options={COMPARE}
              onChange={(v) =>
                setQuery(
                  v === 'custom'
                    ? { cmp: v, aFrom: String(aFrom), aTo: String(aTo) }
                    : { cmp: v === 'prev' ? undefined : v, aFrom: undefined, aTo: undefined },
                )
              }
            />
            {cmp === 'custom' && (
              <RangeForm
                label="Comparison period"
                testId="range-a"
                from={aFrom}
                to={aTo}
                onApply={(f, t) => setQuery({ aFrom: String(f), aTo: String(t) })}
              />
            )}
          </div>
        </div>
      </Card>
      <Card title="Trend" id="trend">
        <TimeChart
          label={`Trend of ${metric}: this period and the comparison period`}
          data={chart}
          series={[
            { label: `${unit}, this period`, color: '--c1' },
            { label: 'Compared with', color: '--muted', fill: false },
          ]}
          fmt={metric === 'bytes' ? fmtBps : (v) => v.toFixed(v < 10 ? 1 : 0)}
          height={200}
          onSelect={(from, to) => {
            if (to - from >= MIN_SELECTION_MS) setQuery(customQuery(from, to), false);
          }}
        />
      </Card>
      <Card title="Breakdown" id="breakdown">
        <ErrorNote error={report.error} />
        {!report.data ? (
          <Skeleton rows={8} />
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="report-table">
              <thead>
                <tr>
                  <th scope="col">{dimLabel}</th>
                  <th scope="col" className="r">
                    Total
                  </th>
                  <th scope="col" className="r">
                    Share
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
                    <td className="r num">{share(r.sum, report.data?.items)}</td>
                    <td className="r num">{fmtMetric(metric, r.avg)}</td>
                    <td className="r num">{fmtMetric(metric, r.p95)}</td>
                    <td className="r num">{fmtMetric('flows', r.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {report.data.items.length === 0 && <p className="empty">No traffic in this period.</p>}
          </div>
        )}
      </Card>
      <div className="grid2">
        <Card title="Side by side" id="compare">
          <ErrorNote error={compare.error} />
          {!compare.data ? (
            <Skeleton rows={8} />
          ) : (
            <CompareTable rows={compare.data.rows} metric={metric} head={dimLabel} testId="compare-table" />
          )}
        </Card>
        <Card title="Top movers" id="movers">
          {!compare.data ? (
            <Skeleton rows={8} />
          ) : (
            <CompareTable
              rows={compare.data.movers}
              metric={metric}
              head="Largest change"
              testId="movers-table"
            />
          )}
        </Card>
      </div>
    </>
  );
}

function share(v: number, rows: ReportRow[] | undefined): string {
  const total = rows?.reduce((n, r) => n + r.sum, 0) ?? 0;
  return total > 0 ? `${((v / total) * 100).toFixed(1)} %` : '–';
}

function CompareTable(props: {
  rows: CompareRow[];
  metric: string;
  head: string;
  testId: string;
}): ReactElement {
  const { rows, metric } = props;
  return (
    <div className="table-wrap">
      <table className="table" data-testid={props.testId}>
        <thead>
          <tr>
            <th scope="col">{props.head}</th>
            <th scope="col" className="r">
              Compared with
            </th>
            <th scope="col" className="r">
              This period
            </th>
            <th scope="col" className="r">
              Δ
            </th>
            <th scope="col" className="r">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={keyText(r.keys)}>
              <td>{keyText(r.keys)}</td>
              <td className="r num">{fmtMetric(metric, r.a)}</td>
              <td className="r num">{fmtMetric(metric, r.b)}</td>
              <td className={`r num ${r.delta >= 0 ? 'up' : 'down'}`}>
                {r.delta >= 0 ? '+' : '−'}
                {fmtMetric(metric, Math.abs(r.delta))}
              </td>
              <td className={`r num ${r.delta >= 0 ? 'up' : 'down'}`}>{fmtPct(r.change)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="empty">No traffic in either period.</p>}
    </div>
  );
}
