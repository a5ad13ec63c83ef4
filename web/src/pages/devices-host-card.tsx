/** On a host's page: the device holding the address (from the device inventory), linked to its page. */
import type { ReactElement } from 'react';
import type { Page } from '../api.ts';
import { Link } from '../components/link.tsx';
import { Card } from '../components/ui.tsx';
import { useApi } from '../hooks.ts';
import { deviceLabel, pct, type DeviceSummary } from './devices.tsx';

export function HostDeviceCard({ addr }: { addr: string }): ReactElement | null {
  const found = useApi<Page<DeviceSummary>>('devices', { ip: addr, limit: 1 });
  const d = found.data?.items[0];
  // Hosts outside the local network have no device: nothing to show.
  if (!d) return null;
  return (
    <Card
      title="Device"
      id="host-device"
      actions={<Link to={`/devices/${encodeURIComponent(d.id)}`}>Device details →</Link>}
    >
      <dl className="kv" data-testid="host-device">
        <div>
          <dt>Name</dt>
          <dd>{deviceLabel(d)}</dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd>
            {d.deviceType} <span className="muted small">{pct(d.deviceTypeConfidence)}</span>
          </dd>
        </div>
        <div>
          <dt>Manufacturer</dt>
          <dd>{d.manufacturer ?? '–'}</dd>
        </div>
        <div>
          <dt>Model / OS</dt>
          <dd>
            {[d.model, [d.os, d.osVersion].filter(Boolean).join(' ')].filter(Boolean).join(' · ') || '–'}
          </dd>
        </div>
        <div>
          <dt>MAC</dt>
          <dd className="mono">{d.mac ?? '–'}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{d.online ? 'online' : 'offline'}</dd>
        </div>
      </dl>
    </Card>
  );
}
