/**
 * The flow meter: captured packets -> bidirectional flows (FlowRecord type
 * `packets`) with layer-2, tunnel and TCP-quality fields; the application
 * detection hook; and the snooped-packet event stream for device discovery.
 */
/** The meter factory, its dependencies, surface and statistics. */
export {
  createFlowMeter,
  type FlowMeter,
  type FlowMeterDeps,
  type MeterStats,
  type MeterErrorKind,
} from './meter.ts';
/** Where `FlowMeter.appendFlowJson` appends lines. */
export type { JsonOut } from './flow-json.ts';
/** Configuration with units in the names, and its defaults. */
export { DEFAULT_FLOW_METER_CONFIG, type FlowMeterConfig } from './config.ts';
/** The DPI hook the enrichment component implements; the no-op default. */
export {
  NO_PAYLOAD_INSPECTOR,
  type PayloadInspector,
  type PayloadSample,
  type AppLabel,
} from './payload-inspector.ts';
/** Snooped DHCP/DNS/mDNS/SSDP events (`FlowMeter.onSnoop`). */
export type { SnoopEvent, SnoopListener, SnoopKind } from './snoop.ts';
/** Bytes of column storage per flow slot (the memory bound's main term). */
export { BYTES_PER_SLOT } from './flow-columns.ts';
/** Fast reading of capture files straight into a meter. */
export { meterCaptureFile } from './capture-feed.ts';
