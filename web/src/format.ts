/** Number formatting: rates in bits (SI, 1000), volumes in bytes (SI), counts with separators. */

const SI = ['', 'K', 'M', 'G', 'T', 'P', 'E'];

function scaled(v: number, base: number): [number, string] {
  let i = 0;
  let x = Math.abs(v);
  while (x >= base && i < SI.length - 1) {
    x /= base;
    i++;
  }
  return [Math.sign(v) * x, SI[i] ?? ''];
}

function digits(x: number): string {
  const a = Math.abs(x);
  return x.toFixed(a >= 100 || a === 0 ? 0 : a >= 10 ? 1 : 2);
}

/** 1234567 -> "1.23 Mbps". */
export function fmtBps(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  const [x, p] = scaled(v, 1000);
  return `${digits(x)} ${p}bps`;
}

/** Packets (or flows) per second: "12.3 Kpps". */
export function fmtRate(v: number | undefined, unit = 'pps'): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  const [x, p] = scaled(v, 1000);
  return `${digits(x)} ${p}${unit}`;
}

/** 1234567 -> "1.23 MB". */
export function fmtBytes(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  const [x, p] = scaled(v, 1000);
  return `${digits(x)} ${p}B`;
}

/** Compact counts: 1234567 -> "1.23M"; below 10,000 with separators. */
export function fmtCount(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (Math.abs(v) < 10_000) return Math.round(v).toLocaleString('en-US');
  const [x, p] = scaled(v, 1000);
  return `${digits(x)}${p}`;
}

/** A metric value: bytes as volume, anything else as a count. */
export function fmtMetric(metric: string, v: number | undefined): string {
  return metric === 'bytes' ? fmtBytes(v) : fmtCount(v);
}

/** Signed percentage: "+12.5 %". */
export function fmtPct(v: number | undefined | null): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return 'new';
  return `${v >= 0 ? '+' : ''}${(v * 100).toFixed(Math.abs(v) < 0.1 ? 1 : 0)} %`;
}

/** Epoch ms -> "14:03:22" today, else "Nov 21 14:03". */
export function fmtTime(ms: number | undefined): string {
  if (ms === undefined) return '–';
  const d = new Date(ms);
  const today = new Date().toDateString() === d.toDateString();
  return today
    ? d.toLocaleTimeString('en-GB', { hour12: false })
    : d.toLocaleString('en-GB', {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      });
}

/** Milliseconds ago -> "3 s ago", "5 min ago". */
export function fmtAgo(ms: number): string {
  if (ms < 1500) return 'just now';
  if (ms < 90_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 5_400_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / 86_400_000)} d ago`;
}

const PROTOCOLS: Record<string, string> = {
  '1': 'ICMP',
  '6': 'TCP',
  '17': 'UDP',
  '47': 'GRE',
  '50': 'ESP',
  '58': 'ICMPv6',
  '132': 'SCTP',
};

/** IANA protocol number -> name. */
export function protoName(p: string | number | undefined): string {
  if (p === undefined) return '–';
  return PROTOCOLS[String(p)] ?? `IP ${p}`;
}

const REGION =
  typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : undefined;

/** "DE" -> "Germany". */
export function countryName(code: string | undefined | null): string {
  if (!code) return 'Unknown';
  try {
    return REGION?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** "DE" -> the flag emoji. */
export function flag(code: string | undefined | null): string {
  if (!code || !/^[A-Za-z]{2}$/.test(code)) return '🌐';
  return String.fromCodePoint(...[...code.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
