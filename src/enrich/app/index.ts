/**
 * Application detection on its own, without the rest of enrichment (GeoIP,
 * configuration schema): what `flowlens meter` needs to label flows and
 * stays quick to load. The full enricher (../index.ts) builds on the same
 * pieces.
 */
import { createCategoryMap } from './categories.ts';
import { createHostAppMap } from './host-apps.ts';
import { createBuiltinInspector, type PayloadInspector } from './inspector.ts';

/** The built-in detector and what it returns (TLS, QUIC, HTTP, DNS, SSH, BitTorrent, SIP, RTP). */
export { createBuiltinInspector, type PayloadInspector, type AppDetection } from './inspector.ts';

/** Host name -> application by domain suffix (the built-in map plus additions). */
export { createHostAppMap, type HostAppMap } from './host-apps.ts';

/** The built-in detector with the built-in host -> application map and category taxonomy. */
export function createDefaultInspector(): PayloadInspector {
  return createBuiltinInspector({ hostApps: createHostAppMap(), categories: createCategoryMap() });
}
