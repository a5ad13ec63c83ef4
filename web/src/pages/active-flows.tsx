/** Active flows, live: sort, filter and page while the list updates every second. */
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { Link } from '../components/link.tsx';
import { Card, PageHead, Skeleton } from '../components/ui.tsx';
import { fmtBytes, fmtCount, fmtTime, protoName } from '../format.ts';
import { setLiveSettings, useLive } from '../live.ts';

type ActiveFlow = Record<string, string | number | undefined>;
const PAGE = 25;
const COLS = [
  ['srcAddr', 'Source'],
  ['srcPort', 'Port'],
  ['dstAddr', 'Destination'],
  ['dstPort', 'Port'],
  ['proto', 'Protocol'],
  ['appProto', 'Application'],
  ['bytes', 'Bytes'],
  ['packets', 'Packets'],
  ['lastSeenMs', 'Last seen'],
] as const;

/** Columns left out at phone width (addresses, application and bytes stay). */
const PHONE_HIDDEN = new Set(['srcPort', 'dstPort', 'proto', 'packets', 'lastSeenMs']);
/** Flows the live topic sends (the server's most per list): the largest. */
const LIVE_FLOWS = 100;

export function ActiveFlows(): ReactElement {
  useEffect(() => setLiveSettings('5m', LIVE_FLOWS), []);
  const live = useLive<{ total: number; activeEstimate: number; items: ActiveFlow[] }>('flows');
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<string>('bytes');
  const [asc, setAsc] = useState(false);
  const [page, setPage] = useState(0);
  const rows = useMemo(() => {
    const items = (live?.items ?? []).filter(
      (f) => !q || Object.values(f).some((v) => String(v).toLowerCase().includes(q.toLowerCase())),
    );
    const dir = asc ? 1 : -1;
    return items.sort((a, b) => {
      const x = a[sort];
      const y = b[sort];
      return (
        (typeof x === 'number' && typeof y === 'number'
          ? x - y
          : String(x ?? '').localeCompare(String(y ?? ''), undefined, { numeric: true })) * dir
      );
    });
  }, [live, q, sort, asc]);
  const shown = rows.slice(page * PAGE, page * PAGE + PAGE);
  return (
    <>
      <PageHead
        title="Active flows"
        sub={
          live
            ? `About ${fmtCount(live.activeEstimate)} active; the ${fmtCount(live.items.length)} largest shown`
            : 'Connecting…'
        }
      >
        <input
          className="search"
          aria-label="Filter flows"
          placeholder="Filter by address, port, app…"
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
            <table className="table">
              <thead>
                <tr>
                  {COLS.map(([k, label]) => (
                    <th
                      key={k}
                      scope="col"
                      className={`${k === 'bytes' || k === 'packets' ? 'r' : ''} ${PHONE_HIDDEN.has(k) ? 'hide-phone' : ''}`}
                      aria-sort={sort === k ? (asc ? 'ascending' : 'descending') : undefined}
                    >
                      <button
                        type="button"
                        className="th-btn"
                        onClick={() => {
                          if (sort === k) setAsc(!asc);
                          else {
                            setSort(k);
                            setAsc(false);
                          }
                        }}
                      >
                        {label}
                        {sort === k ? (asc ? ' ▲' : ' ▼') : ''}
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {shown.map((f, i) => (
                  <tr key={`${f.srcAddr}-${f.srcPort}-${f.dstAddr}-${f.dstPort}-${f.proto}-${i}`}>
                    <td>
                      <Link to={`/hosts/${encodeURIComponent(String(f.srcAddr))}`} className="mono">
                        {f.srcAddr}
                      </Link>
                    </td>
                    <td className="num hide-phone">{f.srcPort ?? '–'}</td>
                    <td>
                      <Link to={`/hosts/${encodeURIComponent(String(f.dstAddr))}`} className="mono">
                        {f.dstAddr}
                      </Link>
                    </td>
                    <td className="num hide-phone">{f.dstPort ?? '–'}</td>
                    <td className="hide-phone">{protoName(f.proto)}</td>
                    <td>{f.appProto ?? '–'}</td>
                    <td className="r num">{fmtBytes(Number(f.bytes ?? 0))}</td>
                    <td className="r num hide-phone">{fmtCount(Number(f.packets ?? 0))}</td>
                    <td className="r num hide-phone">{fmtTime(Number(f.lastSeenMs ?? f.end ?? 0))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
