/**
 * SSDP messages (UPnP Device Architecture 2.0 §1): NOTIFY announcements and
 * answers to M-SEARCH ("HTTP/1.1 200 OK"), as header maps. Bounded, never throws.
 */

/** A parsed SSDP message. */
export interface SsdpMessage {
  kind: 'notify' | 'response' | 'search';
  /** Lower-case header names. */
  headers: Record<string, string>;
}

const MAX_HEADERS = 32;
const MAX_VALUE = 512;

/** The message in a UDP payload; undefined when it is not SSDP. */
export function parseSsdp(payload: Uint8Array): SsdpMessage | undefined {
  const text = new TextDecoder().decode(payload.subarray(0, 2048));
  const lines = text.split(/\r?\n/);
  const first = lines[0] ?? '';
  const kind = /^NOTIFY \* HTTP\/1\.[01]/i.test(first)
    ? 'notify'
    : /^HTTP\/1\.[01] 200/i.test(first)
      ? 'response'
      : /^M-SEARCH \* HTTP\/1\.[01]/i.test(first)
        ? 'search'
        : undefined;
  if (!kind) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1, MAX_HEADERS + 1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    headers[line.slice(0, i).trim().toLowerCase()] = line
      .slice(i + 1)
      .trim()
      .slice(0, MAX_VALUE);
  }
  return { kind, headers };
}

/** The device type URN a message announces (NT or ST), if it names a device. */
export function announcedDeviceType(m: SsdpMessage): string | undefined {
  const t = m.headers['nt'] ?? m.headers['st'];
  return t && /:device:/i.test(t) ? t : undefined;
}
