/**
 * A private clickhouse-server for a test: Debian's config.xml and users.xml
 * copied into a temporary folder, every path moved into it, HTTP on a free
 * loopback port, the TCP and interserver ports on other free ports (18.16
 * always opens them), the logs in the folder. `stop()` ends the child and
 * removes the folder.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort } from '../../bench/common/free-port.ts';
import { spawnTracked, type TrackedChild } from './child-process.ts';
import { pollUntil } from './poll-until.ts';

/** Debian's server configuration. */
const SYSTEM_CONFIG = '/etc/clickhouse-server';

/** A running private server. */
export interface ClickhouseServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly dir: string;
  stop(): Promise<void>;
}

function setTag(xml: string, tag: string, value: string): string {
  const re = new RegExp(`<${tag}>[^<]*</${tag}>`, 'g');
  return re.test(xml)
    ? xml.replace(re, `<${tag}>${value}</${tag}>`)
    : xml.replace('</yandex>', `<${tag}>${value}</${tag}>\n</yandex>`);
}

/** The system config with paths, ports and listen addresses of this test. */
function rewriteConfig(
  xml: string,
  dir: string,
  ports: { http: number; tcp: number; inter: number },
): string {
  let out = xml
    // Secure ports need certificates; listen_host is set once below.
    .replace(/<(https_port|tcp_port_secure|listen_host)>[^<]*<\/\1>/g, '')
    .replace(/<(mysql_port|postgresql_port)>[^<]*<\/\1>/g, '');
  out = setTag(out, 'log', join(dir, 'log', 'server.log'));
  out = setTag(out, 'errorlog', join(dir, 'log', 'server.err.log'));
  out = setTag(out, 'level', 'warning');
  out = setTag(out, 'path', `${dir}/data/`);
  out = setTag(out, 'tmp_path', `${dir}/tmp/`);
  out = setTag(out, 'user_files_path', `${dir}/user_files/`);
  out = setTag(out, 'format_schema_path', `${dir}/format_schemas/`);
  out = setTag(out, 'http_port', String(ports.http));
  out = setTag(out, 'tcp_port', String(ports.tcp));
  out = setTag(out, 'interserver_http_port', String(ports.inter));
  out = setTag(out, 'timezone', 'UTC');
  // Caches are allocated on demand, but keep a test server modest.
  out = setTag(out, 'mark_cache_size', String(64 << 20));
  out = setTag(out, 'uncompressed_cache_size', String(64 << 20));
  return out.replace('</yandex>', '<listen_host>127.0.0.1</listen_host>\n</yandex>');
}

/**
 * Starts `binary` (clickhouse-server) on free loopback ports and waits for
 * `/ping`. Throws, with the server's error log, when it does not come up.
 */
export async function startClickhouseServer(binary: string): Promise<ClickhouseServer> {
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-ch-'));
  for (const sub of ['log', 'data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, sub));
  const ports = { http: await freeTcpPort(), tcp: await freeTcpPort(), inter: await freeTcpPort() };
  const xml = readFileSync(join(SYSTEM_CONFIG, 'config.xml'), 'utf8');
  writeFileSync(join(dir, 'config.xml'), rewriteConfig(xml, dir, ports));
  copyFileSync(join(SYSTEM_CONFIG, 'users.xml'), join(dir, 'users.xml'));
  const child: TrackedChild = spawnTracked(binary, [`--config-file=${join(dir, 'config.xml')}`], {
    cwd: dir,
  });
  const url = `http://127.0.0.1:${ports.http}`;
  const stop = async (): Promise<void> => {
    await child.stop('SIGTERM', 15_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pollUntil(
      async () => {
        if (child.process.exitCode !== null) throw new Error('clickhouse-server exited');
        const r = await fetch(`${url}/ping`);
        return r.ok;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'clickhouse-server /ping' },
    );
  } catch (err) {
    let log = '';
    try {
      log = readFileSync(join(dir, 'log', 'server.err.log'), 'utf8').slice(-2000);
    } catch {
      // No log yet.
    }
    await stop();
    throw new Error(`clickhouse-server did not start: ${child.stderr().slice(-2000)}\n${log}`, {
      cause: err,
    });
  }
  return { url, dir, stop };
}
