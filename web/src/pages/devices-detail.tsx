/**
 * One device: every attribute with its confidence and the evidence behind
 * it, addresses, names with their sources, presence (sleep/wake) history,
 * fingerprints, and the manual edit form (operators and admins).
 */
import type { ReactElement, ReactNode } from 'react';
import type { Session } from '../api.ts';
import { Link } from '../components/link.tsx';
import { Card, ErrorNote, PageHead, Skeleton, Stat } from '../components/ui.tsx';
import { fmtBytes, fmtTime } from '../format.ts';
import { useApi } from '../hooks.ts';
import { deviceLabel, pct, type DeviceSummary } from './devices.tsx';
import { OverrideForm } from './devices-override.tsx';

interface Evidence {
  attribute: string;
  value: string;
  weight: number;
  kind: string;
  detail: string;
  seenMs: number;
}

/** One attribute's answer. */
interface Answer {
  value: string;
  confidence: number;
  decidedBy: 'evidence' | 'manual';
  evidence: Evidence[];
}

interface Seen {
  firstSeenMs: number;
  lastSeenMs: number;
}

interface Traffic {
  bytesIn: number;
  bytesOut: number;
  source: string;
  atMs: number;
}

/** GET /api/v1/devices/{id}. */
export interface DeviceDetail extends DeviceSummary {
  macs: string[];
  clientIds: string[];
  addresses: (Seen & { ip: string; source: string })[];
  names: (Seen & { name: string; source: string })[];
  sourceTimes: Record<string, Seen & { count: number }>;
  presence: { online: boolean; atMs: number }[];
  services: string[];
  override: Record<string, string>;
  classification: Record<string, Answer>;
  capabilities: Answer[];
  dhcp?: { prl: number[]; options: number[]; vendorClass?: string; userClass?: string };
  dhcpv6?: {
    oro: number[];
    options: number[];
    enterprise?: number;
    vendorClass?: string;
    userClass?: string;
  };
  traffic?: Traffic;
  flowTraffic?: Traffic;
}

const ATTRIBUTES: [string, string][] = [
  ['deviceType', 'Type'],
  ['manufacturer', 'Manufacturer'],
  ['model', 'Model'],
  ['os', 'Operating system'],
  ['osVersion', 'OS version'],
];

/** Evidence kinds in words. */
const KIND: Record<string, string> = {
  oui: 'OUI',
  'dhcp-fingerprint': 'DHCP fingerprint',
  'dhcp-vendor-class': 'DHCP vendor class',
  'mdns-service': 'mDNS service',
  'mdns-txt': 'mDNS TXT',
  'ssdp-description': 'SSDP description',
  'hostname-pattern': 'Host-name pattern',
  traffic: 'Traffic',
  static: 'Static file',
  fingerbank: 'Fingerbank',
};

function AnswerRow({ label, answer }: { label: string; answer: Answer }): ReactElement {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>
        <strong>{answer.value}</strong>
      </td>
      <td className="r num">{pct(answer.confidence)}</td>
      <td>
        {answer.decidedBy === 'manual' ? (
          <span className="muted">manual edit</span>
        ) : (
          <ul className="evidence">
            {answer.evidence.map((e, i) => (
              <li key={i}>
                <span className="chip on small">{KIND[e.kind] ?? e.kind}</span> {e.detail}{' '}
                <span className="muted small">({pct(e.weight)})</span>
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

function History<T extends Seen>(props: {
  title: string;
  id: string;
  items: T[];
  first: string;
  /** The second column's heading ("Source" unless given). */
  second?: string;
  cell: (x: T) => ReactNode;
  source: (x: T) => string;
}): ReactElement {
  const items = [...props.items].sort((a, b) => b.lastSeenMs - a.lastSeenMs);
  return (
    <Card title={props.title} id={props.id}>
      {items.length === 0 ? (
        <p className="empty">None seen.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{props.first}</th>
                <th scope="col">{props.second ?? 'Source'}</th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {items.map((x, i) => (
                <tr key={i}>
                  <td>{props.cell(x)}</td>
                  <td>{props.source(x)}</td>
                  <td className="num">{fmtTime(x.firstSeenMs)}</td>
                  <td className="num">{fmtTime(x.lastSeenMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function Fingerprints({ d }: { d: DeviceDetail }): ReactElement {
  const rows: [string, ReactNode][] = [
    ['MAC addresses', d.macs.join(', ') + (d.randomisedMac ? ' (randomised)' : '')],
    ['DHCP client ids', d.clientIds.join(', ')],
    ['DHCP option 55', d.dhcp?.prl.join(',')],
    ['DHCP vendor class', d.dhcp?.vendorClass],
    ['DHCPv6 ORO', d.dhcpv6?.oro.join(',')],
    [
      'DHCPv6 vendor class',
      d.dhcpv6?.enterprise !== undefined ? `${d.dhcpv6.enterprise} ${d.dhcpv6.vendorClass ?? ''}` : undefined,
    ],
    ['DHCPv6 user class', d.dhcpv6?.userClass],
    ['mDNS/UPnP services', d.services.join(', ')],
    [
      'Traffic (counters)',
      d.traffic ? `${fmtBytes(d.traffic.bytesIn)} in, ${fmtBytes(d.traffic.bytesOut)} out` : undefined,
    ],
    [
      'Traffic (flows)',
      d.flowTraffic
        ? `${fmtBytes(d.flowTraffic.bytesIn)} in, ${fmtBytes(d.flowTraffic.bytesOut)} out`
        : undefined,
    ],
  ];
  return (
    <dl className="kv">
      {rows
        .filter(([, v]) => v !== undefined && v !== '')
        .map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd className="mono small">{v}</dd>
          </div>
        ))}
    </dl>
  );
}

export function DevicePage({ id }: { id: string }): ReactElement {
  const dev = useApi<DeviceDetail>(`devices/${encodeURIComponent(id)}`, {}, { refreshMs: 30_000 });
  const session = useApi<Session>('auth/session');
  const d = dev.data;
  if (!d)
    return (
      <>
        <PageHead title="Device" sub={<Link to="/devices">← All devices</Link>} />
        <ErrorNote error={dev.error} />
        {!dev.error && <Skeleton rows={8} />}
      </>
    );
  const canEdit = session.data ? session.data.principal.role !== 'viewer' : false;
  const sources = Object.entries(d.sourceTimes).map(([source, s]) => ({ source, ...s }));
  return (
    <>
      <PageHead title={deviceLabel(d)} sub={<Link to="/devices">← All devices</Link>} />
      <ErrorNote error={dev.error} />
      <div className="stats-row">
        <Stat
          label="Type"
          value={d.deviceType}
          sub={`confidence ${pct(d.deviceTypeConfidence)}`}
          testId="device-type"
        />
        <Stat label="Manufacturer" value={d.manufacturer ?? '–'} sub={d.model} />
        <Stat label="Operating system" value={d.os ?? '–'} sub={d.osVersion} />
        <Stat
          label="Status"
          value={
            <span className={`health ${d.online ? 'ok' : 'silent'}`}>{d.online ? 'online' : 'offline'}</span>
          }
          sub={`first seen ${fmtTime(d.firstSeenMs)}, last ${fmtTime(d.lastSeenMs)}`}
        />
      </div>
      <Card title="Classification and evidence" id="device-evidence">
        <div className="table-wrap">
          <table className="table evidence-table" data-testid="device-evidence">
            <thead>
              <tr>
                <th scope="col">Attribute</th>
                <th scope="col">Value</th>
                <th scope="col" className="r">
                  Confidence
                </th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {ATTRIBUTES.flatMap(([k, label]) => {
                const a = d.classification[k];
                return a ? [<AnswerRow key={k} label={label} answer={a} />] : [];
              })}
              {d.capabilities.map((c) => (
                <AnswerRow key={`cap-${c.value}`} label="Capability" answer={c} />
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <OverrideForm device={d} canEdit={canEdit} onSaved={dev.reload} />
      <div className="grid2">
        <History
          title="Addresses"
          id="device-addresses"
          items={d.addresses}
          first="Address"
          cell={(a) => (
            <Link to={`/hosts/${encodeURIComponent(a.ip)}`} className="mono">
              {a.ip}
            </Link>
          )}
          source={(a) => a.source}
        />
        <History
          title="Names"
          id="device-names"
          items={d.names}
          first="Name"
          cell={(n) => n.name}
          source={(n) => n.source}
        />
      </div>
      <div className="grid2">
        <Card title="Online/offline history" id="device-presence">
          {d.presence.length === 0 ? (
            <p className="empty">{d.online ? 'Online since first seen.' : 'No change recorded.'}</p>
          ) : (
            <ol className="presence">
              {[...d.presence].reverse().map((p, i) => (
                <li key={i}>
                  <span className={`health ${p.online ? 'ok' : 'silent'}`}>
                    {p.online ? 'woke' : 'slept'}
                  </span>{' '}
                  <span className="num">{fmtTime(p.atMs)}</span>
                </li>
              ))}
            </ol>
          )}
        </Card>
        <History
          title="Discovery sources"
          id="device-sources"
          items={sources}
          first="Source"
          second="Times seen"
          cell={(s) => s.source}
          source={(s) => `${s.count}×`}
        />
      </div>
      <Card title="Identity and fingerprints" id="device-fingerprints">
        <Fingerprints d={d} />
      </Card>
    </>
  );
}
