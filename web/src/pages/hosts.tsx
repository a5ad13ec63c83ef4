/** Active hosts (live, sorted, filtered, paged) and a host's own page. */
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type uPlot from 'uplot';
import type { FlowRow, Page, Series } from '../api.ts';
import { Link } from '../components/link.tsx';
import { TimeChart } from '../components/time-chart.tsx';
import { BarList, Card, PageHead, Skeleton, Stat } from '../components/ui.tsx';
import { countryName, flag, fmtBps, fmtBytes, fmtCount, fmtTime, protoName } from '../format.ts';
import { useApi } from '../hooks.ts';
import { setLiveSettings, useLive } from '../live.ts';
import { navigate } from '../router.ts';
import { customWindow, MIN_SELECTION_MS } from '../time-window.ts';
import { HostDeviceCard } from './devices-host-card.tsx';

/** A host of the live `hosts` topic (src/live HostView). */
interface LiveHost {
  addr: string;
  name?: string;
  local: boolean;
  bytesIn: number;
  bytesOut: number;
  flows: number;
  bpsIn: number;
  bpsOut: number;
  lastSeenMs: number;
}

const PAGE = 25;
/** Hosts the live topic sends (the server's most per list): the busiest by current rate. */
const LIVE_HOSTS = 100;

type HostSortKey = 'addr' | 'rate' | 'in' | 'out' | 'bytes' | 'flows' | 'lastSeenMs';
const HOST_SORTS: Record<Exclude<HostSortKey, 'addr'>, (h: LiveHost) => number> = {
  rate: (h) => h.bpsIn + h.bpsOut,
  in: (h) => h.bpsIn,
  out: (h) => h.bpsOut,
  bytes: (h) => h.bytesIn + h.bytesOut,
  flows: (h) => h.flows,
  lastSeenMs: (h) => h.lastSeenMs,
};

export function Hosts(): ReactElement {
  useEffect(() => setLiveSettings('5m', LIVE_HOSTS), []);
  const live = useLive<{ total: number; items: LiveHost[] }>('hosts');
  const [q, setQ] = useState('');
  const [sortKey, setSortKey] = useState<HostSortKey>('rate');
  const [page, setPage] = useState(0);
  const rows = useMemo(() => {
    const needle = q.toLowerCase();
    const items = (live?.items ?? []).filter(
      (h) => !needle || h.addr.includes(needle) || (h.name?.toLowerCase().includes(needle) ?? false),
    );
    return items.sort((a, b) =>
      sortKey === 'addr'
        ? a.addr.localeCompare(b.addr, undefined, { numeric: true })
        : HOST_SORTS[sortKey](b) - HOST_SORTS[sortKey](a),
    );
  }, [live, q, sortKey]);
  const shown = rows.slice(page * PAGE, page * PAGE + PAGE);
  const th = (key: HostSortKey, label: string, right = true): ReactElement => (
    <th
      scope="col"
      className={right ? 'r' : ''}
      aria-sort={sortKey === key ? (key === 'addr' ? 'ascending' : 'descending') : undefined}
    >
      <button type="button" className="th-btn" onClick={() => setSortKey(key)}>
        {label}
        {sortKey === key ? (key === 'addr' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
  return (
    <>
      <PageHead
        title="Active hosts"
        sub={
          live
            ? `${fmtCount(live.total)} active now; the ${fmtCount(live.items.length)} busiest, updated every second`
            : 'Connecting…'
        }
      >
        <input
          className="search"
          aria-label="Filter hosts"
          placeholder="Filter hosts…"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(0);
          }}
        />
      </PageHead>
      <Card>
        {!live ? (
          <Skeleton rows={10} />
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="hosts-table">
              <thead>
                <tr>
                  {th('addr', 'Host', false)}
                  <th scope="col" className="hide-phone">
                    Name
                  </th>
                  <th scope="col" className="hide-phone">
                    Network
                  </th>
                  {th('rate', 'Total')}
                  {th('in', 'In')}
                  {th('out', 'Out')}
                  {th('bytes', 'Bytes')}
                  {th('flows', 'Flows')}
                  {th('lastSeenMs', 'Last seen')}
                </tr>
              </thead>
              <tbody>
                {shown.map((h) => (
                  <tr key={h.addr}>
                    <td>
                      <Link to={`/hosts/${encodeURIComponent(h.addr)}`} className="mono">
                        {h.addr}
                      </Link>
                    </td>
                    <td className="hide-phone">{h.name ?? <span className="muted">–</span>}</td>
                    <td className="hide-phone">
                      {h.local ? 'local' : <span className="muted">remote</span>}
                    </td>
                    <td className="r num">{fmtBps(h.bpsIn + h.bpsOut)}</td>
                    <td className="r num">{fmtBps(h.bpsIn)}</td>
                    <td className="r num">{fmtBps(h.bpsOut)}</td>
                    <td className="r num">{fmtBytes(h.bytesIn + h.bytesOut)}</td>
                    <td className="r num">{fmtCount(h.flows)}</td>
                    <td className="r num">{fmtTime(h.lastSeenMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {rows.length === 0 && <p className="empty">No active host matches.</p>}
          </div>
        )}
        <nav className="pager" aria-label="Pages">
          <button type="button" className="btn" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span className="muted num">
            {rows.length
              ? `${page * PAGE + 1}–${Math.min(rows.length, page * PAGE + PAGE)} of ${rows.length}`
              : ''}
          </span>
          <button
            type="button"
            className="btn"
            disabled={(page + 1) * PAGE >= rows.length}
            onClick={() => setPage(page + 1)}
          >
            Next
          </button>
        </nav>
      </Card>
    </>
  );
}

export function HostPage({ addr }: { addr: string }): ReactElement {
  const filter = `host ${addr}`;
  const series = useApi<{ stepMs: number; points: { t: number; bytes: number }[] }>('series', {
    from: '-6h',
    step: '5m',
    filter,
  });
  // Peers: whom it sent to, and who sent to it.
  type Top = Page<{ key: string | null; bytes: number }>;
  const sentTo = useApi<Top>('top-talkers', {
    from: '-6h',
    filter: `src ${addr}`,
    direction: 'dst',
    limit: 10,
  });
  const heardFrom = useApi<Top>('top-talkers', {
    from: '-6h',
    filter: `dst ${addr}`,
    direction: 'src',
    limit: 10,
  });
  const seriesOut = useApi<Series>('series', { from: '-6h', step: '5m', filter: `src ${addr}` });
  const seriesIn = useApi<Series>('series', { from: '-6h', step: '5m', filter: `dst ${addr}` });
  const geo = useApi<{ addr: string; country?: string; city?: string; special?: string }>('geo/address', {
    addr,
  });
  const peers = useMemo(() => {
    const m = new Map<string, number>();
    for (const p of [...(sentTo.data?.items ?? []), ...(heardFrom.data?.items ?? [])])
      if (p.key && p.key !== addr) m.set(p.key, (m.get(p.key) ?? 0) + p.bytes);
    return [...m].sort((a, b) => b[1] - a[1]).slice(0, 10);
  }, [sentTo.data, heardFrom.data, addr]);
  const apps = useApi<Page<{ key: string | null; bytes: number }>>('protocols', {
    from: '-6h',
    filter,
    by: 'appProto',
    limit: 8,
  });
  const flows = useApi<Page<FlowRow>>('flows', {
    from: '-6h',
    filter,
    limit: 15,
    sort: 'bytes',
    order: 'desc',
  });
  const first = useApi<Page<FlowRow>>('flows', { from: '-7d', filter, limit: 1, sort: 'time', order: 'asc' });
  const last = useApi<Page<FlowRow>>('flows', { from: '-7d', filter, limit: 1, sort: 'time', order: 'desc' });
  const chart = useMemo<uPlot.AlignedData>(() => {
    const pts = series.data?.points ?? [];
    const step = (series.data?.stepMs ?? 300_000) / 1000;
    const rate = (s: Series | undefined, i: number): number => ((s?.points[i]?.bytes ?? 0) * 8) / step;
    return [
      pts.map((p) => p.t / 1000),
      pts.map((_, i) => rate(seriesIn.data, i)),
      pts.map((_, i) => rate(seriesOut.data, i)),
    ];
  }, [series.data, seriesIn.data, seriesOut.data]);
  const sample = flows.data?.items[0];
  const side = sample ? (sample.srcAddr === addr ? 'src' : 'dst') : 'src';
  const country = geo.data?.country ?? sample?.[`${side}Country`];
  const place = country
    ? `${flag(String(country))} ${[geo.data?.city, countryName(String(country))].filter(Boolean).join(', ')}`
    : geo.data?.special
      ? `Local (${geo.data.special})`
      : 'Local / unknown';
  return (
    <>
      <PageHead title={addr} sub={<Link to="/hosts">← All hosts</Link>} />
      <div className="stats-row">
        <Stat
          label="First seen (7 d)"
          value={fmtTime(Number(first.data?.items[0]?.end ?? NaN) || undefined)}
        />
        <Stat label="Last seen" value={fmtTime(Number(last.data?.items[0]?.end ?? NaN) || undefined)} />
        <Stat label="Location" value={place} testId="host-location" />
        <Stat
          label="AS"
          value={sample?.[`${side}As`] ? `AS${sample[`${side}As`]}` : '–'}
          sub={String(sample?.[`${side}AsName`] ?? '')}
        />
        <Stat
          label="Device"
          value={String(sample?.[`${side}Vendor`] ?? '–')}
          sub={sample?.[`${side}Mac`] ? String(sample[`${side}Mac`]) : undefined}
        />
      </div>
      <HostDeviceCard addr={addr} />
      <Card title="Traffic, last 6 hours" id="host-traffic">
        <TimeChart
          label="Host traffic in bits per second, received and sent"
          data={chart}
          series={[
            { label: 'Received', color: '--c2' },
            { label: 'Sent', color: '--c1' },
          ]}
          fmt={fmtBps}
          height={180}
          onSelect={(from, to) => {
            // Zooming into the host's chart opens its flows in that range.
            if (to - from >= MIN_SELECTION_MS)
              navigate(`/explorer?filter=${encodeURIComponent(filter)}&${customWindow(from, to).link}`);
          }}
        />
      </Card>
      <div className="grid2">
        <Card title="Peers" id="host-peers">
          <BarList
            label="Peers"
            items={
              sentTo.data && heardFrom.data
                ? peers.map(([key, bytes]) => ({
                    key,
                    label: <span className="mono">{key}</span>,
                    value: bytes,
                    display: fmtBytes(bytes),
                    href: `/hosts/${encodeURIComponent(key)}`,
                  }))
                : undefined
            }
          />
        </Card>
        <Card title="Applications" id="host-apps">
          <BarList
            label="Applications"
            items={apps.data?.items.map((p) => ({
              key: String(p.key),
              label: p.key ?? 'Unknown',
              value: p.bytes,
              display: fmtBytes(p.bytes),
            }))}
          />
        </Card>
      </div>
      <Card
        title="Largest flows"
        id="host-flows"
        actions={
          <Link to={`/explorer?filter=${encodeURIComponent(filter)}&range=6h`}>Open in explorer →</Link>
        }
      >
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Source</th>
                <th scope="col">Destination</th>
                <th scope="col">Protocol</th>
                <th scope="col">Application</th>
                <th scope="col" className="r">
                  Bytes
                </th>
              </tr>
            </thead>
            <tbody>
              {flows.data?.items.map((f, i) => (
                // Flow ids repeat for identical records in one millisecond: the position keeps keys unique.
                <tr key={`${i}:${f.id}`}>
                  <td>{fmtTime(Number(f.end))}</td>
                  <td className="mono">
                    {f.srcAddr}:{f.srcPort}
                  </td>
                  <td className="mono">
                    {f.dstAddr}:{f.dstPort}
                  </td>
                  <td>{protoName(f.proto)}</td>
                  <td>{f.appProto ?? '–'}</td>
                  <td className="r num">{fmtBytes(Number(f.bytes))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </>
  );
}
