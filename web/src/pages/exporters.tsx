/** Exporters and their interfaces: health, rates, losses, template misses, sampling. */
import type { ReactElement } from 'react';
import type { ExporterRow, Page, Throughput } from '../api.ts';
import { Card, ErrorNote, PageHead, Skeleton } from '../components/ui.tsx';
import { Link } from '../components/link.tsx';
import { fmtAgo, fmtBps, fmtBytes, fmtCount, fmtRate } from '../format.ts';
import { useApi } from '../hooks.ts';
import { useLive } from '../live.ts';

interface IfRow {
  exporter: string;
  ifIndex: number;
  inBytes: number;
  outBytes: number;
  inFlows: number;
  outFlows: number;
}

export function Exporters(): ReactElement {
  const ex = useApi<Page<ExporterRow>>('exporters', { limit: 200 }, { refreshMs: 5000 });
  const ifs = useApi<Page<IfRow>>('interfaces', { from: '-15m', limit: 200 }, { refreshMs: 15000 });
  const tp = useLive<Throughput>('throughput');
  const rate = new Map(tp?.exporters.map((e) => [e.exporter, e]));
  const ifRate = new Map(tp?.interfaces.map((i) => [`${i.exporter}/${i.ifIndex}`, i]));
  // Sampling as stored with the flows of the last 15 minutes (records without a rate are unsampled).
  const sampling = useApi<
    Page<{ keys: { exporter?: string | null; samplingRate?: number | null }; count: number }>
  >(
    'reports',
    { from: '-15m', dimensions: ['exporter', 'samplingRate'], metric: 'flows', limit: 1000 },
    { refreshMs: 60_000 },
  );
  const ratesOf = new Map<string, number[]>();
  for (const r of sampling.data?.items ?? []) {
    const e = String(r.keys.exporter ?? '');
    const list = ratesOf.get(e) ?? [];
    list.push(Number(r.keys.samplingRate ?? 1) || 1);
    ratesOf.set(e, list);
  }
  const samplingText = (exporter: string): string => {
    const list = [...new Set(ratesOf.get(exporter) ?? [])].sort((a, b) => a - b);
    if (!sampling.data) return '…';
    if (list.length === 0) return '–';
    return list.map((n) => (n <= 1 ? 'none' : `1 in ${fmtCount(n)}`)).join(', ');
  };
  return (
    <>
      <PageHead
        title="Exporters"
        sub="Every device sending flows, with the collector's view of its health."
      />
      <ErrorNote error={ex.error} />
      {!ex.data ? (
        <Skeleton rows={4} />
      ) : ex.data.items.length === 0 ? (
        <Card>
          <p className="empty">
            No exporter has sent anything yet. <Link to="/setup">Point your routers at FlowLens</Link>.
          </p>
        </Card>
      ) : (
        <div className="exporter-grid">
          {ex.data.items.map((e) => {
            const r = rate.get(e.exporter);
            const lossPct = (e.health.lossRatio * 100).toFixed(2);
            return (
              <Card
                key={e.exporter}
                title={
                  <>
                    <span className={`health ${e.health.status}`}>{e.health.status}</span>{' '}
                    <span className="mono">{e.exporter}</span>
                  </>
                }
                actions={<span className="muted small">{e.types.join(', ')}</span>}
              >
                <dl className="kv">
                  <div>
                    <dt>Traffic</dt>
                    <dd className="num">{fmtBps(r?.bps)}</dd>
                  </div>
                  <div>
                    <dt>Packets</dt>
                    <dd className="num">{fmtRate(r?.pps)}</dd>
                  </div>
                  <div>
                    <dt>Records/s</dt>
                    <dd className="num">{fmtRate(r?.fps, '/s')}</dd>
                  </div>
                  <div>
                    <dt>Datagrams</dt>
                    <dd className="num">{fmtCount(e.datagrams)}</dd>
                  </div>
                  <div>
                    <dt>Records</dt>
                    <dd className="num">{fmtCount(e.records)}</dd>
                  </div>
                  <div>
                    <dt>Lost (sequence gaps)</dt>
                    <dd className="num">
                      {fmtCount(e.lostRecords)} <span className="muted">({lossPct} %)</span>
                    </dd>
                  </div>
                  <div>
                    <dt>Sampling (15 min)</dt>
                    <dd className="num">{samplingText(e.exporter)}</dd>
                  </div>
                  <div>
                    <dt>Template misses</dt>
                    <dd className="num">{fmtCount(e.templateMisses)}</dd>
                  </div>
                  <div>
                    <dt>Errors</dt>
                    <dd className="num">{fmtCount(Object.values(e.errors).reduce((a, b) => a + b, 0))}</dd>
                  </div>
                  <div>
                    <dt>Last seen</dt>
                    <dd>{fmtAgo(e.health.silentForMs)}</dd>
                  </div>
                </dl>
              </Card>
            );
          })}
        </div>
      )}
      <Card title="Interfaces (last 15 minutes)" id="ifs">
        {!ifs.data ? (
          <Skeleton rows={4} />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Exporter</th>
                  <th scope="col">Interface</th>
                  <th scope="col" className="r">
                    In now
                  </th>
                  <th scope="col" className="r">
                    Out now
                  </th>
                  <th scope="col" className="r">
                    In (15 min)
                  </th>
                  <th scope="col" className="r">
                    Out (15 min)
                  </th>
                  <th scope="col" className="r">
                    Flows in/out
                  </th>
                </tr>
              </thead>
              <tbody>
                {ifs.data.items.map((i) => {
                  const r = ifRate.get(`${i.exporter}/${i.ifIndex}`);
                  return (
                    <tr key={`${i.exporter}/${i.ifIndex}`}>
                      <td className="mono">{i.exporter}</td>
                      <td>ifIndex {i.ifIndex}</td>
                      <td className="r num">{fmtBps(r?.inBps)}</td>
                      <td className="r num">{fmtBps(r?.outBps)}</td>
                      <td className="r num">{fmtBytes(i.inBytes)}</td>
                      <td className="r num">{fmtBytes(i.outBytes)}</td>
                      <td className="r num">
                        {fmtCount(i.inFlows)} / {fmtCount(i.outFlows)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
