/** First run: how to point routers at FlowLens, with example configurations. */
import { useState, type ReactElement } from 'react';
import { Card, PageHead, Segmented } from '../components/ui.tsx';

const HOST =
  location.hostname === '127.0.0.1' || location.hostname === 'localhost'
    ? '<flowlens-address>'
    : location.hostname;

const EXAMPLES: Record<string, { label: string; text: string }> = {
  cisco: {
    label: 'Cisco IOS',
    text: `flow exporter FLOWLENS
 destination ${HOST}
 transport udp 2055
 export-protocol netflow-v9
flow monitor FLOWLENS-MON
 exporter FLOWLENS
 record netflow ipv4 original-input
interface GigabitEthernet0/0
 ip flow monitor FLOWLENS-MON input`,
  },
  juniper: {
    label: 'Juniper',
    text: `set forwarding-options sampling instance FLOWLENS input rate 1000
set forwarding-options sampling instance FLOWLENS family inet output flow-server ${HOST} port 4739
set forwarding-options sampling instance FLOWLENS family inet output flow-server ${HOST} version-ipfix template ipv4
set services flow-monitoring version-ipfix template ipv4 ipv4-template
set interfaces ge-0/0/0 unit 0 family inet sampling input`,
  },
  mikrotik: {
    label: 'MikroTik',
    text: `/ip traffic-flow set enabled=yes interfaces=all
/ip traffic-flow target add dst-address=${HOST} port=2055 version=9`,
  },
  pfsense: {
    label: 'pfSense / OPNsense',
    text: `pfSense: System > Package Manager: install "softflowd", then
  Services > softflowd: Interface LAN, Host ${HOST}, Port 2055, Version 9
OPNsense: Reporting > NetFlow: Listening interfaces LAN, WAN interfaces WAN,
  Version v9, Destinations ${HOST}:2055`,
  },
  softflowd: {
    label: 'softflowd (Linux)',
    text: `softflowd -i eth0 -n ${HOST}:2055 -v 9
# IPFIX:  softflowd -i eth0 -n ${HOST}:4739 -v 10`,
  },
  sflow: {
    label: 'sFlow switch',
    text: `sflow collector ${HOST} port 6343
sflow sampling-rate 1024
sflow polling-interval 20`,
  },
};

export function Setup({ firstRun }: { firstRun?: boolean }): ReactElement {
  const [tab, setTab] = useState('cisco');
  const ex = EXAMPLES[tab] ?? EXAMPLES.cisco!;
  return (
    <>
      <PageHead
        title={firstRun ? 'Welcome to FlowLens' : 'Add exporters'}
        sub={
          firstRun
            ? 'No exporter is sending yet. Point a router, firewall or switch at FlowLens and the dashboard comes alive.'
            : 'Point routers, firewalls and switches at FlowLens.'
        }
      />
      <div className="grid3">
        <Card title="NetFlow v5 / v9" id="p-nf">
          <p className="port num">UDP 2055</p>
          <p className="muted">Cisco, MikroTik, softflowd, pfSense, most routers</p>
        </Card>
        <Card title="IPFIX" id="p-ipfix">
          <p className="port num">UDP 4739</p>
          <p className="muted">Juniper, Palo Alto, OPNsense, nProbe, VMware</p>
        </Card>
        <Card title="sFlow v5" id="p-sflow">
          <p className="port num">UDP 6343</p>
          <p className="muted">Switches: Arista, HPE Aruba, Juniper EX, Dell</p>
        </Card>
      </div>
      <Card
        title="Example configuration"
        id="p-ex"
        actions={
          <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(ex.text)}>
            Copy
          </button>
        }
      >
        <Segmented
          label="Device"
          value={tab}
          options={Object.entries(EXAMPLES).map(([value, e]) => ({ value, label: e.label }))}
          onChange={setTab}
        />
        <pre className="code" tabIndex={0}>
          <code>{ex.text}</code>
        </pre>
        <p className="muted small">
          Replace <code>{'<flowlens-address>'}</code> with an address of this machine that the device can
          reach. Ports are set in <code>flowlens.yaml</code> (<code>collector.*.listen</code>). Want to look
          around first? Run <code>npm run demo</code>.
        </p>
      </Card>
    </>
  );
}
