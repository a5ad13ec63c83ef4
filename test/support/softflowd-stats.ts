/** The summary softflowd prints when it exits (after `-r FILE`). */
export interface SoftflowdStats {
  packetsProcessed: number;
  ignoredNonIp: number;
  flowsExported: number;
  recordsExported: number;
  datagramsExported: number;
  exportFailures: number;
  /** Sum over the "Per-protocol statistics" table (expired flows, i.e. all of them at exit). */
  octets: number;
  packets: number;
}

/**
 * Parses softflowd 1.x's exit statistics, e.g.
 * "Flows exported: 83 (157 records) in 6 packets (0 failures)" and the
 * per-protocol lines "tcp (6):  615213  1317  1.33s  9.73s". Throws when a
 * line is missing, so a changed format is noticed.
 */
export function parseSoftflowdStats(text: string): SoftflowdStats {
  const num = (re: RegExp, what: string, group = 1): number => {
    const m = re.exec(text);
    if (!m?.[group]) throw new Error(`softflowd output has no "${what}":\n${text}`);
    return Number(m[group]);
  };
  let octets = 0;
  let packets = 0;
  const table = text.split('Per-protocol statistics')[1] ?? '';
  for (const m of table.matchAll(/^\s*\S+ \(\d+\):\s+(\d+)\s+(\d+)\s/gm)) {
    octets += Number(m[1]);
    packets += Number(m[2]);
  }
  return {
    packetsProcessed: num(/Packets processed: (\d+)/, 'Packets processed'),
    ignoredNonIp: num(/Ignored packets: \d+ \((\d+) non-IP/, 'Ignored packets'),
    flowsExported: num(/Flows exported: (\d+)/, 'Flows exported'),
    recordsExported: num(/Flows exported: \d+ \((\d+) records\)/, 'Flows exported (records)'),
    datagramsExported: num(/Flows exported: .* in (\d+) packets/, 'Flows exported (packets)'),
    exportFailures: num(/Flows exported: .* \((\d+) failures\)/, 'Flows exported (failures)'),
    octets,
    packets,
  };
}
