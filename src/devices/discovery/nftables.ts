/**
 * Per-client traffic counters from nftables (nft(8), "SETS" with the
 * `counter` statement): four dynamic sets in table `inet <table>`, one per
 * family and direction, whose elements are client addresses carrying packet
 * and byte counters. The rules that fill them are installed by FlowLens
 * (mode "install", once, when the table is missing) or by the operator
 * (mode "read": FlowLens only lists the table). Counters are cumulative
 * IP-layer bytes (what the kernel counts at the hook), read with `nft -j`.
 */
import type { Observation } from '../model.ts';
import { runTool, type CommandRunner } from './command.ts';
import { DiscoveryError } from './errors.ts';
import type { DiscoveryMethod } from './scheduler.ts';

/** Settings of the nftables method. */
export interface NftOptions {
  binary: string;
  mode: 'install' | 'read';
  table: string;
  /** forward: both directions of routed traffic; input: what clients send to this host; output: what it sends them. */
  hooks: ('forward' | 'input' | 'output')[];
  localNetworks: string[];
  intervalMs: number;
  timeoutMs: number;
  netns?: string | undefined;
}

/** The set names: `<direction><family>`, out = sent by the client, in = received. */
const SETS = ['out4', 'in4', 'out6', 'in6'] as const;
/** Elements per set (the kernel's bound; new clients past it are not counted). */
const SET_SIZE = 65_536;
const HOOK_PRIORITY = -150;

/** The ruleset FlowLens installs (one nft command). */
export function nftRuleset(o: NftOptions): string {
  const v4 = o.localNetworks.filter((n) => !n.includes(':'));
  const v6 = o.localNetworks.filter((n) => n.includes(':'));
  const sets = SETS.map(
    (s) =>
      `set ${s} { type ${s.endsWith('4') ? 'ipv4' : 'ipv6'}_addr; size ${SET_SIZE}; flags dynamic; counter; }`,
  );
  const rule = (fam: '4' | '6', dir: 'saddr' | 'daddr'): string[] => {
    const nets = fam === '4' ? v4 : v6;
    const sel = fam === '4' ? 'ip' : 'ip6';
    const set = `${dir === 'saddr' ? 'out' : 'in'}${fam}`;
    return nets.length ? [`${sel} ${dir} { ${nets.join(', ')} } add @${set} { ${sel} ${dir} }`] : [];
  };
  const chains = o.hooks.map((h) => {
    const dirs: ('saddr' | 'daddr')[] =
      h === 'forward' ? ['saddr', 'daddr'] : h === 'input' ? ['saddr'] : ['daddr'];
    const rules = dirs.flatMap((d) => [...rule('4', d), ...rule('6', d)]);
    return `chain ${h} { type filter hook ${h} priority ${HOOK_PRIORITY}; policy accept; ${rules.join('; ')}; }`;
  });
  return `table inet ${o.table} { ${[...sets, ...chains].join('; ')}; }`;
}

interface NftElem {
  elem?: { val?: string; counter?: { packets?: number; bytes?: number } };
}
interface NftSet {
  set?: { name?: string; elem?: (NftElem | string)[] };
}

/** Per-address counters of `nft -j list table` output. */
export function parseNftCounters(json: string, tsMs: number): Observation[] {
  let doc: { nftables?: NftSet[] };
  try {
    doc = JSON.parse(json) as { nftables?: NftSet[] };
  } catch (err) {
    throw new DiscoveryError('FLOWLENS_ERR_DISCOVERY_SOURCE', 'nftables: "nft -j" printed no JSON', {
      cause: err,
    });
  }
  const byIp = new Map<string, Observation & { traffic: NonNullable<Observation['traffic']> }>();
  for (const item of doc.nftables ?? []) {
    const name = item.set?.name;
    if (!name || !(SETS as readonly string[]).includes(name)) continue;
    for (const e of item.set?.elem ?? []) {
      if (typeof e === 'string' || !e.elem?.val) continue;
      const ip = e.elem.val;
      let o = byIp.get(ip);
      if (!o)
        byIp.set(
          ip,
          (o = {
            source: 'nft',
            tsMs,
            ip,
            traffic: { bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0, source: 'nft' },
          }),
        );
      const c = e.elem.counter ?? {};
      if (name.startsWith('out')) {
        o.traffic.bytesOut += c.bytes ?? 0;
        o.traffic.packetsOut += c.packets ?? 0;
      } else {
        o.traffic.bytesIn += c.bytes ?? 0;
        o.traffic.packetsIn += c.packets ?? 0;
      }
    }
  }
  return [...byIp.values()];
}

/** The `nft` method. */
export function createNftMethod(o: NftOptions, deps: { now(): number; run: CommandRunner }): DiscoveryMethod {
  const list = (signal: AbortSignal) =>
    runTool(deps.run, 'nft', o.netns, o.binary, ['-j', 'list', 'table', 'inet', o.table], signal);
  return {
    name: 'nft',
    intervalMs: o.intervalMs,
    timeoutMs: o.timeoutMs,
    async run(signal) {
      let r = await list(signal);
      if (r.code !== 0 && o.mode === 'install') {
        const add = await runTool(deps.run, 'nft', o.netns, o.binary, [nftRuleset(o)], signal);
        if (add.code !== 0) throw nftError(add.stderr, o.table);
        r = await list(signal);
      }
      if (r.code !== 0) throw nftError(r.stderr, o.table);
      return parseNftCounters(r.stdout, deps.now());
    },
  };
}

function nftError(stderr: string, table: string): DiscoveryError {
  const msg = stderr.trim().split('\n')[0] ?? '';
  if (/Operation not permitted|Permission denied/i.test(stderr))
    return new DiscoveryError(
      'FLOWLENS_ERR_DISCOVERY_PERMISSION',
      `nft: permission denied (needs CAP_NET_ADMIN): ${msg}`,
    );
  if (/No such file or directory/i.test(stderr))
    return new DiscoveryError(
      'FLOWLENS_ERR_DISCOVERY_SOURCE',
      `nft: table "inet ${table}" does not exist (create it, or set devices.discovery.nftables.mode to "install"): ${msg}`,
    );
  return new DiscoveryError('FLOWLENS_ERR_DISCOVERY_FAILED', `nft: ${msg}`);
}
