/** The device inventory: search, filters (type, vendor, online/offline, discovery source), sortable columns. */
import { useMemo, useState, type ReactElement } from 'react';
import type { Page } from '../api.ts';
import { Link } from '../components/link.tsx';
import { Card, ErrorNote, PageHead, Skeleton } from '../components/ui.tsx';
import { fmtCount, fmtTime } from '../format.ts';
import { useApi, useDebounced } from '../hooks.ts';
import { setQuery, useLocation } from '../router.ts';
import './devices.css';

/** A device in the list (GET /api/v1/devices). */
export interface DeviceSummary {
  id: string;
  ip?: string;
  mac?: string;
  name?: string;
  deviceType: string;
  deviceTypeConfidence: number;
  manufacturer?: string;
  model?: string;
  os?: string;
  osVersion?: string;
  online: boolean;
  firstSeenMs: number;
  lastSeenMs: number;
  sources: string[];
  randomisedMac: boolean;
}

/** The device classes the API knows (a manual edit must name one). */
export const DEVICE_TYPES = [
  'phone',
  'tablet',
  'computer',
  'server',
  'printer',
  'tv',
  'media',
  'speaker',
  'game-console',
  'voip-phone',
  'camera',
  'iot',
  'appliance',
  'network',
  'nas',
  'unknown',
] as const;

/** Discovery sources (the `source` filter). */
const SOURCES = ['dhcp', 'lease', 'arp', 'ndp', 'arp-scan', 'mdns', 'ssdp', 'rdns', 'static', 'nft', 'flow'];

type SortKey = 'name' | 'deviceType' | 'manufacturer' | 'ip' | 'lastSeenMs';
const LIMIT = 1000;

/** "87 %" of a 0..1 confidence. */
export const pct = (x: number): string => `${Math.round(x * 100)} %`;

/** The name a device is shown by. */
export const deviceLabel = (d: { name?: string; ip?: string; mac?: string; id: string }): string =>
  d.name ?? d.ip ?? d.mac ?? d.id;

function compare(a: DeviceSummary, b: DeviceSummary, key: SortKey): number {
  if (key === 'lastSeenMs') return b.lastSeenMs - a.lastSeenMs;
  const av = key === 'name' ? deviceLabel(a) : (a[key] ?? '');
  const bv = key === 'name' ? deviceLabel(b) : (b[key] ?? '');
  // Empty values last, addresses in numeric order.
  if (!av !== !bv) return av ? -1 : 1;
  return av.localeCompare(bv, undefined, { numeric: true, sensitivity: 'base' });
}

function Select(props: {
  label: string;
  value: string;
  options: readonly string[];
  /** Text shown for an option, when not the value itself. */
  labels?: Record<string, string>;
  all: string;
  onChange: (v: string) => void;
}): ReactElement {
  return (
    <select
      className="search"
      aria-label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    >
      <option value="">{props.all}</option>
      {props.options.map((o) => (
        <option key={o} value={o}>
          {props.labels?.[o] ?? o}
        </option>
      ))}
    </select>
  );
}

export function Devices(): ReactElement {
  const { query } = useLocation();
  const [q, setQ] = useState(query.get('q') ?? '');
  const dq = useDebounced(q, 250);
  const filters = {
    type: query.get('type') ?? '',
    manufacturer: query.get('manufacturer') ?? '',
    online: query.get('online') ?? '',
    source: query.get('source') ?? '',
  };
  const sortKey = (query.get('sort') as SortKey | null) ?? 'lastSeenMs';
  const list = useApi<Page<DeviceSummary> & { note?: string }>(
    'devices',
    { ...filters, q: dq, limit: LIMIT },
    { refreshMs: 15_000 },
  );
  // Vendors to choose from: every one the unfiltered inventory names.
  const all = useApi<Page<DeviceSummary>>('devices', { limit: LIMIT }, { refreshMs: 60_000 });
  const vendors = useMemo(
    () => [...new Set((all.data?.items ?? []).flatMap((d) => d.manufacturer ?? []))].sort(),
    [all.data],
  );
  const rows = useMemo(
    () => [...(list.data?.items ?? [])].sort((a, b) => compare(a, b, sortKey)),
    [list.data, sortKey],
  );
  const head = (key: SortKey, label: string, className?: string): ReactElement => (
    <th
      scope="col"
      className={className}
      aria-sort={sortKey === key ? (key === 'lastSeenMs' ? 'descending' : 'ascending') : undefined}
    >
      <button type="button" className="th-btn" onClick={() => setQuery({ sort: key })}>
        {label}
        {sortKey === key ? (key === 'lastSeenMs' ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  const online = list.data?.items.filter((d) => d.online).length ?? 0;
  return (
    <>
      <PageHead
        title="Devices"
        sub={
          list.data
            ? `${fmtCount(list.data.total)} devices shown, ${fmtCount(online)} online`
            : 'Everything discovery has found on the local network'
        }
      >
        <input
          className="search"
          type="search"
          aria-label="Search devices"
          placeholder="Name, address or MAC…"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setQuery({ q: e.target.value });
          }}
        />
      </PageHead>
      <div className="report-side" role="group" aria-label="Filters">
        <Select
          label="Type"
          all="All types"
          value={filters.type}
          options={DEVICE_TYPES}
          onChange={(v) => setQuery({ type: v })}
        />
        <Select
          label="Vendor"
          all="All vendors"
          value={filters.manufacturer}
          options={vendors}
          onChange={(v) => setQuery({ manufacturer: v })}
        />
        <Select
          label="Status"
          all="Online and offline"
          value={filters.online}
          options={['true', 'false']}
          labels={{ true: 'Online', false: 'Offline' }}
          onChange={(v) => setQuery({ online: v })}
        />
        <Select
          label="Source"
          all="All sources"
          value={filters.source}
          options={SOURCES}
          onChange={(v) => setQuery({ source: v })}
        />
      </div>
      <ErrorNote error={list.error} />
      <Card>
        {!list.data ? (
          <Skeleton rows={8} />
        ) : rows.length === 0 ? (
          <p className="empty">{list.data.note ?? 'No device matches these filters.'}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="devices-table">
              <thead>
                <tr>
                  {head('name', 'Device')}
                  {head('deviceType', 'Type')}
                  {head('manufacturer', 'Vendor')}
                  <th scope="col" className="wide-only">
                    Model / OS
                  </th>
                  {head('ip', 'Address')}
                  <th scope="col">Status</th>
                  <th scope="col" className="wide-only">
                    Sources
                  </th>
                  {head('lastSeenMs', 'Last seen', 'r')}
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <Link to={`/devices/${encodeURIComponent(d.id)}`}>{deviceLabel(d)}</Link>
                      {d.mac && <div className="muted small mono">{d.mac}</div>}
                    </td>
                    <td>
                      {d.deviceType}{' '}
                      <span className="muted small" title="Confidence">
                        {pct(d.deviceTypeConfidence)}
                      </span>
                    </td>
                    <td>{d.manufacturer ?? <span className="muted">–</span>}</td>
                    <td className="wide-only">
                      {[d.model, [d.os, d.osVersion].filter(Boolean).join(' ')]
                        .filter(Boolean)
                        .join(' · ') || <span className="muted">–</span>}
                    </td>
                    <td>
                      {d.ip ? (
                        <Link to={`/hosts/${encodeURIComponent(d.ip)}`} className="mono">
                          {d.ip}
                        </Link>
                      ) : (
                        <span className="muted">–</span>
                      )}
                    </td>
                    <td>
                      <span className={`health ${d.online ? 'ok' : 'silent'}`}>
                        {d.online ? 'online' : 'offline'}
                      </span>
                    </td>
                    <td className="small wide-only">{d.sources.join(', ')}</td>
                    <td className="r num">{fmtTime(d.lastSeenMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.data?.truncated || (list.data && list.data.total > LIMIT) ? (
          <p className="muted small">
            The first {fmtCount(LIMIT)} of {fmtCount(list.data.total)}: narrow the search to see the rest.
          </p>
        ) : null}
      </Card>
    </>
  );
}
