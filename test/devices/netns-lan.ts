/**
 * A small LAN in network namespaces made for one test: a "router"
 * namespace with bridge br0 (192.168.77.1/24, fd77::1/64) and client
 * namespaces, each with eth0 on the bridge, its own MAC and (optionally)
 * static addresses. Names are fld-<random>-r / -c<i>. Nothing leaves
 * these namespaces; close() kills every process started here and deletes
 * the namespaces (their interfaces go with them).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { TestContext } from 'node:test';
import { spawnTracked, type TrackedChild } from '../support/child-process.ts';
import { findTool } from '../support/system-tool.ts';

const exec = promisify(execFile);

/** The LAN's fixed addresses. */
export const LAN = { prefix4: '192.168.77', router4: '192.168.77.1', router6: 'fd77::1' } as const;

/** One client namespace. */
export interface LanClient {
  ns: string;
  mac: string;
  ip4?: string;
  ip6?: string;
}

/** The running LAN. */
export interface Lan {
  router: string;
  clients: LanClient[];
  /** Runs a command in a namespace; resolves with stdout (rejects on a non-zero exit). */
  run(ns: string, cmd: string, args: string[]): Promise<string>;
  /** Starts a long-running process in a namespace (stopped by close()). */
  spawn(ns: string, cmd: string, args: string[]): TrackedChild;
  close(): Promise<void>;
}

/** The Debian package of each tool, for the skip message. */
const PACKAGE: Record<string, string> = {
  dnsmasq: 'dnsmasq',
  dhclient: 'isc-dhcp-client',
  'arp-scan': 'arp-scan',
  nft: 'nftables',
  'avahi-daemon': 'avahi-daemon',
  'avahi-publish': 'avahi-utils',
  tcpdump: 'tcpdump',
  ip: 'iproute2',
};

/** The tools' paths, or a skip (a failure with FLOWLENS_REQUIRE_SYSTEM_TESTS=1); also needs root. */
export function requireNetnsTools(t: TestContext, tools: string[]): Record<string, string> | undefined {
  const missing = tools.filter((x) => !findTool(x));
  const root = process.getuid?.() === 0;
  if (missing.length === 0 && root) return Object.fromEntries(tools.map((x) => [x, findTool(x)!]));
  const why = root
    ? `missing ${missing.join(', ')} (apt-get install -y ${[...new Set(missing.map((m) => PACKAGE[m] ?? m))].join(' ')})`
    : 'network namespaces need root';
  if (process.env['FLOWLENS_REQUIRE_SYSTEM_TESTS'] === '1') throw new Error(`required: ${why}`);
  t.skip(why);
  return undefined;
}

/** Builds the LAN with `clients` client namespaces (static addresses when `staticAddresses`). */
export async function createLan(clients: number, staticAddresses = true): Promise<Lan> {
  const id = `fld-${randomBytes(3).toString('hex')}`;
  const router = `${id}-r`;
  const made: string[] = [];
  const children: TrackedChild[] = [];
  const ip = (...args: string[]) => exec('ip', args);
  const lan: Lan = {
    router,
    clients: [],
    run: async (ns, cmd, args) =>
      (await exec('ip', ['netns', 'exec', ns, cmd, ...args], { timeout: 60_000 })).stdout,
    spawn(ns, cmd, args) {
      const c = spawnTracked('ip', ['netns', 'exec', ns, cmd, ...args]);
      children.push(c);
      return c;
    },
    async close() {
      await Promise.all(children.map((c) => c.stop('SIGTERM', 3000)));
      for (const ns of made.reverse()) await ip('netns', 'del', ns).catch(() => undefined);
    },
  };
  try {
    await ip('netns', 'add', router);
    made.push(router);
    await ip('-n', router, 'link', 'set', 'lo', 'up');
    await ip('-n', router, 'link', 'add', 'br0', 'type', 'bridge');
    await ip('-n', router, 'addr', 'add', `${LAN.router4}/24`, 'dev', 'br0');
    await ip('-n', router, 'addr', 'add', `${LAN.router6}/64`, 'dev', 'br0', 'nodad');
    await ip('-n', router, 'link', 'set', 'br0', 'up');
    // Multicast (mDNS, SSDP) from the router goes to the LAN; the namespace has no default route.
    await ip('-n', router, 'route', 'add', '224.0.0.0/4', 'dev', 'br0');
    for (let i = 1; i <= clients; i++) {
      const ns = `${id}-c${i}`;
      await ip('netns', 'add', ns);
      made.push(ns);
      const mac = `02:77:00:00:00:${i.toString(16).padStart(2, '0')}`;
      await ip('-n', router, 'link', 'add', `vb${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('-n', router, 'link', 'set', `vb${i}`, 'master', 'br0', 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      await ip('-n', ns, 'link', 'set', 'eth0', 'address', mac);
      const c: LanClient = { ns, mac };
      if (staticAddresses) {
        c.ip4 = `${LAN.prefix4}.${10 + i}`;
        c.ip6 = `fd77::${10 + i}`;
        await ip('-n', ns, 'addr', 'add', `${c.ip4}/24`, 'dev', 'eth0');
        await ip('-n', ns, 'addr', 'add', `${c.ip6}/64`, 'dev', 'eth0', 'nodad');
      }
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      lan.clients.push(c);
    }
    return lan;
  } catch (err) {
    await lan.close();
    throw err;
  }
}
