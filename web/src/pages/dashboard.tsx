/** The dashboard: live (WebSocket) or a past range; throughput, counters and the top lists. */
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type uPlot from 'uplot';
import type { Page, Series, Stats, TopEntry } from '../api.ts';
import { BarList, Card, PageHead, Segmented, Stat, type BarItem } from '../components/ui.tsx';
import { RangeForm } from '../components/range-form.tsx';
import { TimeChart, type ChartSeries } from '../components/time-chart.tsx';
import { clause } from '../fields.ts';
import { countryName, flag, fmtBps, fmtBytes, fmtCount, fmtRate, protoName } from '../format.ts';
import { useApi } from '../hooks.ts';
import { setLiveSettings, useLive } from '../live.ts';
import { setQuery, useLocation } from '../router.ts';
import {
  customQuery,
  MIN_SELECTION_MS,
  rangeQuery,
  seriesStep,
  timeWindow,
  windowLabel,
  type TimeWindow,
} from '../time-window.ts';

export const RANGES = [
  { value: 'live', label: 'Live' },
  { value: '1h', label: '1 h' },
  { value: '6h', label: '6 h' },
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
] as const;
const MAX_POINTS = 900;

/** Where a drill-down from a value goes: the explorer filtered on it, over the same window. */
const explore = (filter: string, link = 'range=1h'): string =>
  `/explorer?filter=${encodeURIComponent(filter)}&${link}`;

function topItems(
  list: TopEntry[] | undefined,
  kind: 'host' | 'app' | 'category' | 'proto' | 'as' | 'country',
  live: boolean,
  /** The window drill-downs keep ("range=1h" for live views: they drill into the last hour). */
  link: string,
): BarItem[] | undefined {
  return list?.map((e) => {
    const value = live ? e.bps : e.bytes;
    const display = live ? fmtBps(e.bps) : fmtBytes(e.bytes);
    switch (kind) {
      case 'host':
        return {
          key: e.key,
          label: <span className="mono">{e.key}</span>,
          value,
          display,
          href: `/hosts/${encodeURIComponent(e.key)}`,
        };
      case 'proto':
        return {
          key: e.key,
          label: protoName(e.key),
          value,
          display,
          href: explore(clause('proto', e.key), link),
        };
      case 'as':
        return {
          key: e.key,
          label: (
            <>
              AS{e.key} <span className="muted">{e.label ?? ''}</span>
            </>
          ),
          value,
          display,
          href: explore(clause('as', e.key), link),
        };
      case 'country':
        return {
          key: e.key,
          label: (
            <>
              {flag(e.key)} {countryName(e.key)}
            </>
          ),
          value,
          display,
          href: explore(clause('country', e.key), link),
        };
      case 'app':
        return {
          key: e.key,
          label: e.key || 'Unknown',
          value,
          display,
          href: explore(clause('app', e.key), link),
        };
      case 'category':
        return {
          key: e.key,
          label: e.key || 'Unknown',
          value,
          display,
          href: explore(clause('category', e.key), link),
        };
    }
  });
}

type Row = { key: string | null; bytes?: number; sum?: number; packets?: number; flows?: number };
function asTop(rows: Row[] | undefined): TopEntry[] | undefined {
  return rows?.map((r) => ({
    key: r.key ?? '',
    bytes: r.bytes ?? r.sum ?? 0,
    packets: r.packets ?? 0,
    flows: r.flows ?? 0,
    bps: 0,
  }));
}
function mergeReports(
  a: Page<{ keys: Record<string, string | null>; sum: number }> | undefined,
  b: typeof a,
): TopEntry[] | undefined {
  if (!a || !b) return undefined;
  const m = new Map<string, number>();
  for (const r of [...a.items, ...b.items]) {
    const k = Object.values(r.keys)[0];
    if (k === null || k === undefined) continue;
    m.set(String(k), (m.get(String(k)) ?? 0) + r.sum);
  }
  return [...m]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 8)
    .map(([key, bytes]) => ({ key, bytes, packets: 0, flows: 0, bps: 0 }));
}

/**
 * Rates over time: times, then bits per second in, out and total, then
 * packets per second in, out and total. "In" enters the local networks from
 * outside, "out" leaves them; the total also holds internal and transit traffic.
 */
type Rates = [number[], number[], number[], number[], number[], number[], number[]];

const DIRECTION_SERIES: ChartSeries[] = [
  { label: 'In', color: '--c2' },
  { label: 'Out', color: '--c1' },
  { label: 'Total', color: '--muted', fill: false },
];

/** A history series as rates per second of its step. */
function historyRates(total?: Series, into?: Series, out?: Series): Rates {
  const pts = total?.points ?? [];
  const step = (total?.stepMs ?? 60_000) / 1000;
  const at = (s: Series | undefined, i: number, k: 'bytes' | 'packets'): number =>
    ((s?.points[i]?.[k] ?? 0) * (k === 'bytes' ? 8 : 1)) / step;
  return [
    pts.map((p) => p.t / 1000),
    pts.map((_, i) => at(into, i, 'bytes')),
    pts.map((_, i) => at(out, i, 'bytes')),
    pts.map((_, i) => at(total, i, 'bytes')),
    pts.map((_, i) => at(into, i, 'packets')),
    pts.map((_, i) => at(out, i, 'packets')),
    pts.map((_, i) => at(total, i, 'packets')),
  ];
}

function useHistory(win: TimeWindow | undefined): {
  chart: Rates;
  top: Record<string, TopEntry[] | undefined>;
  totals: { bytes: number; flows: number; bytesIn: number; bytesOut: number } | undefined;
  /** Distinct addresses in the range ("+" when there are more than the API counts). */
  hosts: string | undefined;
} {
  const on = win !== undefined;
  const from = win?.from ?? '-1h';
  const to = win?.to;
  const step = seriesStep(win?.spanMs ?? 3_600_000);
  const base = { from, to, limit: 8 };
  const series = useApi<Series>('series', { from, to, step }, { enabled: on });
  const seriesIn = useApi<Series>('series', { from, to, step, direction: 'in' }, { enabled: on });
  const seriesOut = useApi<Series>('series', { from, to, step, direction: 'out' }, { enabled: on });
  // Talkers by what they sent and received, as the live list counts them.
  const talkers = useApi<
    Page<{ host: string; bytes: number; packets: number; flows: number }> & { truncated?: boolean }
  >('hosts', base, { enabled: on });
  const apps = useApi<Page<Row>>('protocols', { ...base, by: 'appProto' }, { enabled: on });
  const cats = useApi<Page<Row>>('protocols', { ...base, by: 'appCategory' }, { enabled: on });
  const protos = useApi<Page<Row>>('protocols', { ...base, by: 'proto' }, { enabled: on });
  type Rep = Page<{ keys: Record<string, string | null>; sum: number }>;
  const rep = (d: string) => ({ from, to, dimensions: [d], metric: 'bytes', limit: 10 });
  const sc = useApi<Rep>('reports', rep('srcCountry'), { enabled: on });
  const dc = useApi<Rep>('reports', rep('dstCountry'), { enabled: on });
  const sa = useApi<Rep>('reports', rep('srcAs'), { enabled: on });
  const da = useApi<Rep>('reports', rep('dstAs'), { enabled: on });
  const chart = useMemo(
    () => historyRates(series.data, seriesIn.data, seriesOut.data),
    [series.data, seriesIn.data, seriesOut.data],
  );
  const sum = (s: Series | undefined, k: 'bytes' | 'flows'): number =>
    s?.points.reduce((n, p) => n + p[k], 0) ?? 0;
  const totals = series.data
    ? {
        bytes: sum(series.data, 'bytes'),
        flows: sum(series.data, 'flows'),
        bytesIn: sum(seriesIn.data, 'bytes'),
        bytesOut: sum(seriesOut.data, 'bytes'),
      }
    : undefined;
  return {
    chart,
    totals,
    hosts: talkers.data ? `${fmtCount(talkers.data.total)}${talkers.data.truncated ? '+' : ''}` : undefined,
    top: {
      talkers: asTop(talkers.data?.items.map((h) => ({ ...h, key: h.host }))),
      applications: asTop(apps.data?.items),
      categories: asTop(cats.data?.items),
      protocols: asTop(protos.data?.items),
      countries: mergeReports(sc.data, dc.data),
      as: mergeReports(sa.data, da.data),
    },
  };
}

export function Dashboard(): ReactElement {
  const { query } = useLocation();
  const live = (query.get('range') ?? 'live') === 'live';
  const win = live ? undefined : timeWindow(query);
  const range = win?.range ?? 'live';
  const link = win?.link ?? 'range=1h';
  useEffect(() => setLiveSettings('5m', 8), []);
  const stats = useLive<Stats>('stats', live);
  // Talkers: both ways (the top list), or the hosts sending / receiving the most.
  const [side, setSide] = useState<'both' | 'src' | 'dst'>('both');
  type HostRate = { addr: string; bpsIn: number; bpsOut: number; bytesIn: number; bytesOut: number };
  const liveSources = useLive<HostRate[]>('top-sources', live && side === 'src');
  const liveDestinations = useLive<HostRate[]>('top-destinations', live && side === 'dst');
  const histSide = useApi<Page<Row>>(
    'top-talkers',
    { from: win?.from ?? '-1h', to: win?.to, limit: 8, direction: side === 'dst' ? 'dst' : 'src' },
    { enabled: !live && side !== 'both' },
  );
  const liveSide = side === 'src' ? liveSources : liveDestinations;
  const sideTop: TopEntry[] | undefined = live
    ? liveSide?.map((h) => ({
        key: h.addr,
        bytes: side === 'src' ? h.bytesOut : h.bytesIn,
        packets: 0,
        flows: 0,
        bps: side === 'src' ? h.bpsOut : h.bpsIn,
      }))
    : asTop(histSide.data?.items);
  const [points, setPoints] = useState<Map<number, number[]>>(new Map());
  useEffect(() => {
    if (!stats) return;
    setPoints((prev) => {
      const next = new Map(prev);
      for (const p of stats.throughput.series)
        next.set(p.t, [p.inBps, p.outBps, p.bps, p.inPps, p.outPps, p.pps]);
      const keys = [...next.keys()].sort((a, b) => a - b);
      for (const k of keys.slice(0, Math.max(0, keys.length - MAX_POINTS))) next.delete(k);
      return next;
    });
  }, [stats]);
  const liveChart = useMemo<Rates>(() => {
    const ts = [...points.keys()].sort((a, b) => a - b);
    const col = (i: number): number[] => ts.map((t) => points.get(t)?.[i] ?? 0);
    return [ts.map((t) => t / 1000), col(0), col(1), col(2), col(3), col(4), col(5)];
  }, [points]);
  const hist = useHistory(win);
  // Past windows zoom: dragging across a chart narrows the window to the selection.
  const zoom = live
    ? {}
    : {
        onSelect: (fromMs: number, toMs: number) => {
          if (toMs - fromMs >= MIN_SELECTION_MS) setQuery(customQuery(fromMs, toMs), false);
        },
      };
  const chart = live ? liveChart : hist.chart;
  const bits = useMemo<uPlot.AlignedData>(() => [chart[0], chart[1], chart[2], chart[3]], [chart]);
  const packets = useMemo<uPlot.AlignedData>(() => [chart[0], chart[4], chart[5], chart[6]], [chart]);
  const tp = stats?.throughput;
  const top = live ? stats?.top : hist.top;

  return (
    <>
      <PageHead
        title="Dashboard"
        sub={live ? 'Live, updated every second' : `${windowLabel(win!)} · drag across a chart to zoom in`}
      >
        <Segmented
          label="Time range"
          value={range}
          options={[...RANGES, { value: 'custom', label: 'Custom' }]}
          onChange={(v) => {
            // Live is the default: no range in the URL.
            const q = rangeQuery(v, win);
            setQuery(v === 'live' ? { ...q, range: undefined } : q, v !== 'custom');
          }}
        />
      </PageHead>
      {range === 'custom' && (
        <RangeForm
          label="Time range"
          testId="dashboard-range"
          from={win!.fromMs!}
          to={win!.toMs!}
          onApply={(f, t) => setQuery(customQuery(f, t), false)}
        />
      )}
      <div className="stats-row">
        {live ? (
          <>
            <Stat
              label="Throughput"
              value={fmtBps(tp?.bps)}
              testId="live-bps"
              sub={tp ? fmtRate(tp.pps) : undefined}
            />
            <Stat
              label="In"
              value={fmtBps(tp?.inBps)}
              testId="live-in-bps"
              sub={tp ? fmtRate(tp.inPps) : undefined}
            />
            <Stat
              label="Out"
              value={fmtBps(tp?.outBps)}
              testId="live-out-bps"
              sub={tp ? fmtRate(tp.outPps) : undefined}
            />
            <Stat label="New flows" value={fmtRate(stats?.throughput.fps, 'fps')} />
            <Stat label="Active flows" value={fmtCount(stats?.activeFlows)} />
            <Stat
              label="Active hosts"
              value={fmtCount(stats?.activeHosts)}
              sub={stats ? `${fmtCount(stats.clients.online)} local clients online` : undefined}
            />
          </>
        ) : (
          <>
            <Stat label="Volume" value={fmtBytes(hist.totals?.bytes)} testId="hist-volume" />
            <Stat label="In" value={fmtBytes(hist.totals?.bytesIn)} testId="hist-in" />
            <Stat label="Out" value={fmtBytes(hist.totals?.bytesOut)} testId="hist-out" />
            <Stat
              label="Average rate"
              value={fmtBps(hist.totals ? (hist.totals.bytes * 8 * 1000) / win!.spanMs : undefined)}
            />
            <Stat label="Flows" value={fmtCount(hist.totals?.flows)} />
            <Stat label="Hosts" value={hist.hosts ?? '–'} testId="hist-hosts" />
          </>
        )}
      </div>
      <div className="grid2">
        <Card title="Bits per second" id="tp">
          <TimeChart
            label="Throughput in bits per second: in, out and total"
            data={bits}
            series={DIRECTION_SERIES}
            fmt={fmtBps}
            {...zoom}
          />
        </Card>
        <Card title="Packets per second" id="tp-pps">
          <TimeChart
            label="Throughput in packets per second: in, out and total"
            data={packets}
            series={DIRECTION_SERIES}
            fmt={(v) => fmtRate(v)}
            {...zoom}
          />
        </Card>
      </div>
      <div className="grid3">
        <Card
          title="Top talkers"
          id="t-talkers"
          actions={
            <Segmented
              label="Talkers by"
              value={side}
              options={[
                { value: 'both', label: 'All' },
                { value: 'src', label: 'Sources' },
                { value: 'dst', label: 'Destinations' },
              ]}
              onChange={setSide}
            />
          }
        >
          <BarList
            label={side === 'both' ? 'Top talkers' : side === 'src' ? 'Top sources' : 'Top destinations'}
            items={topItems(side === 'both' ? top?.talkers : sideTop, 'host', live, link)}
          />
        </Card>
        <Card title="Applications" id="t-apps">
          <BarList label="Top applications" items={topItems(top?.applications, 'app', live, link)} />
        </Card>
        <Card title="Categories" id="t-cats">
          <BarList label="Top categories" items={topItems(top?.categories, 'category', live, link)} />
        </Card>
        <Card title="Countries" id="t-countries">
          <BarList label="Top countries" items={topItems(top?.countries, 'country', live, link)} />
        </Card>
        <Card title="Autonomous systems" id="t-as">
          <BarList label="Top AS" items={topItems(top?.as, 'as', live, link)} />
        </Card>
        <Card title="Protocols" id="t-protos">
          <BarList label="Protocol mix" items={topItems(top?.protocols, 'proto', live, link)} />
        </Card>
      </div>
    </>
  );
}
