import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { requireTool } from '../support/system-tool.ts';

/**
 * Two network namespaces joined by a veth pair, IPv4 only (IPv6 off so that
 * router solicitations and MLD add no packets the counts would have to allow
 * for). Nothing is configured in the root namespace.
 */
export interface NetnsPair {
  nsA: string;
  nsB: string;
  /** veth end in nsA and in nsB. */
  ifA: string;
  ifB: string;
  addrA: string;
  addrB: string;
  /** Runs `cmd args` inside a namespace and returns its stdout. */
  exec(ns: string, cmd: string, args: readonly string[]): string;
  /** Deletes both namespaces (the veth pair goes with them). Safe to call twice. */
  remove(): void;
}

/**
 * The tools a namespace test needs, or undefined after skipping the test
 * (not root, or a tool missing; with FLOWLENS_REQUIRE_SYSTEM_TESTS=1 it fails instead).
 */
export function requireNetnsTools(t: TestContext, extra: readonly string[] = []): boolean {
  if (process.getuid?.() !== 0) {
    if (process.env['FLOWLENS_REQUIRE_SYSTEM_TESTS'] === '1') throw new Error('namespace tests need root');
    t.skip('network namespace tests need root');
    return false;
  }
  for (const tool of ['ip', 'dumpcap', ...extra]) if (!requireTool(t, tool)) return false;
  return true;
}

const ip = (args: readonly string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

/** Creates the pair; on failure whatever was made is removed again. */
export function createNetnsPair(): NetnsPair {
  const tag = randomBytes(3).toString('hex');
  const octet = 100 + ((randomBytes(1)[0] ?? 0) % 150);
  const pair: NetnsPair = {
    nsA: `flt-a-${tag}`,
    nsB: `flt-b-${tag}`,
    ifA: `fla${tag}`,
    ifB: `flb${tag}`,
    addrA: `10.${octet}.0.1`,
    addrB: `10.${octet}.0.2`,
    exec: (ns, cmd, args) => ip(['netns', 'exec', ns, cmd, ...args]),
    remove() {
      for (const ns of [pair.nsA, pair.nsB]) {
        try {
          ip(['netns', 'del', ns]);
        } catch {
          // Already gone (or never made): nothing to clean.
        }
      }
    },
  };
  try {
    for (const ns of [pair.nsA, pair.nsB]) {
      ip(['netns', 'add', ns]);
      pair.exec(ns, 'sysctl', [
        '-qw',
        'net.ipv6.conf.all.disable_ipv6=1',
        'net.ipv6.conf.default.disable_ipv6=1',
      ]);
      pair.exec(ns, 'ip', ['link', 'set', 'lo', 'up']);
    }
    ip([
      'link',
      'add',
      'name',
      pair.ifA,
      'netns',
      pair.nsA,
      'type',
      'veth',
      'peer',
      'name',
      pair.ifB,
      'netns',
      pair.nsB,
    ]);
    for (const [ns, dev, addr] of [
      [pair.nsA, pair.ifA, pair.addrA],
      [pair.nsB, pair.ifB, pair.addrB],
    ] as const) {
      pair.exec(ns, 'ip', ['addr', 'add', `${addr}/24`, 'dev', dev]);
      pair.exec(ns, 'ip', ['link', 'set', dev, 'up']);
    }
    return pair;
  } catch (err) {
    pair.remove();
    throw err;
  }
}
