/** UDP reception for flow exports: one socket per configured address. */
export { createUdpListener, ListenError, type UdpListener, type UdpListenerOptions } from './listener.ts';
export { readSocketDrops, readReceiveQueue } from './socket-drops.ts';
