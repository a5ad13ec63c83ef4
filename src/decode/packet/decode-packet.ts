import {
  meterCarrier,
  STEP_DONE,
  STEP_ETHERNET,
  STEP_ETHERTYPE,
  STEP_IP,
  STEP_MPLS,
  STEP_PPP,
  type Cursor,
} from './cursor.ts';
import { dataViewOf } from './bytes.ts';
import { decodeCommonFrame, FAST_NONE, FAST_PLAIN, MIN_COMMON_FRAME_BYTES } from './fast-path.ts';
import { decodeEthernet, decodeEtherType, decodeMpls, decodePpp, startLinkLayer } from './layer2.ts';
import { decodeIp } from './network.ts';
import {
  createPacketView,
  resetPacketView,
  resetUncommonFields,
  type PacketStatus,
  type PacketView,
} from './packet-view.ts';

/** tcpdump.org/linktypes.html */
const LINKTYPE_ETHERNET = 1;
/** Layers walked per packet at most (tags, labels and tunnels each count one). */
const MAX_STEPS = 64;

/** Decodes frames into one reused PacketView. */
export interface PacketDecoder {
  /** The view every `decode` fills (the same object each time). */
  readonly view: PacketView;
  /**
   * Decodes one captured frame of `linkType`, bytes `start` to `end` of
   * `data` (default: all), into `view`; offsets in the view are into `data`.
   * Never throws: a frame that cannot be decoded returns why.
   */
  decode(linkType: number, data: Uint8Array, start?: number, end?: number): PacketStatus;
  /** The frame of the last `decode` (the view's offsets point into it). */
  lastFrame(): Uint8Array;
}

/** How a decoder works. */
export interface PacketDecoderOptions {
  /**
   * False: every frame through the general decoder, the definition the fast
   * path (fast-path.ts) is held to, for tests that compare the two.
   */
  fastPath?: boolean;
}

/** A decoder with its own view and cursor; not shared between threads or reentrant calls. */
export function createPacketDecoder(options: PacketDecoderOptions = {}): PacketDecoder {
  const fastPath = options.fastPath ?? true;
  const view = createPacketView();
  const c: Cursor = {
    b: new Uint8Array(0),
    off: 0,
    end: 0,
    ipEnd: 0,
    linkEnd: Infinity,
    etherType: 0,
    tags: 0,
    depth: 0,
    carrierProto: 0,
    carrierSrcPort: 0,
    carrierDstPort: 0,
    carrierBytes: 0,
    status: 'ok',
    v: view,
  };
  /**
   * False once a frame went through the general decoder, which may have set
   * fields the fast path leaves alone: they are cleared before the fast
   * path's next frame is handed out.
   */
  let uncommonClear = true;
  const decodeGeneral = (linkType: number, data: Uint8Array, start: number, end: number): PacketStatus => {
    uncommonClear = false;
    resetPacketView(view);
    c.b = data;
    c.off = start;
    c.end = end;
    c.ipEnd = end;
    c.linkEnd = Infinity;
    c.tags = 0;
    c.depth = 0;
    c.status = 'truncated';
    let step = startLinkLayer(c, linkType);
    for (let n = 0; step !== STEP_DONE; n++) {
      if (n >= MAX_STEPS) return 'malformed';
      step = runStep(c, step);
    }
    const status = c.status as PacketStatus;
    if (status === 'non_ip' && c.depth > 0 && view.outerFamily !== 0) {
      meterCarrier(c);
      return 'ok';
    }
    return status;
  };
  return {
    view,
    lastFrame: () => c.b,
    decode(linkType, data, start = 0, end = data.length) {
      if (
        fastPath &&
        linkType === LINKTYPE_ETHERNET &&
        start >= 0 &&
        end <= data.length &&
        end - start >= MIN_COMMON_FRAME_BYTES
      ) {
        if (!uncommonClear) {
          resetUncommonFields(view);
          uncommonClear = true;
        }
        const r = decodeCommonFrame(view, data, dataViewOf(data), start, end);
        if (r !== FAST_NONE) {
          c.b = data;
          // A tunnel's or MPLS fields are set now: the next frame of the fast path clears them first.
          if (r !== FAST_PLAIN) uncommonClear = false;
          return 'ok';
        }
      }
      return decodeGeneral(linkType, data, start, end);
    },
  };
}

function runStep(c: Cursor, step: number): number {
  switch (step) {
    case STEP_ETHERNET:
      return decodeEthernet(c);
    case STEP_ETHERTYPE:
      return decodeEtherType(c);
    case STEP_IP:
      return decodeIp(c);
    case STEP_PPP:
      return decodePpp(c);
    case STEP_MPLS:
      return decodeMpls(c);
    default:
      return STEP_DONE;
  }
}
