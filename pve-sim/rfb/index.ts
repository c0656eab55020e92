// pve-sim's console: the RFB 3.8 server behind `vncwebsocket`, the per-guest input recorder, the
// picture layout browser tests can check, and the raw RFB client used by tests.
export { SIM_COLOURS, type SimFrameLayout, simFrameLayout } from './guest-frame';
export type { BridgeTarget } from './rfb-bridge';
export {
  type AuthAttempt,
  type RecordedKeyEvent,
  type RecordedMessage,
  type RecordedPointerEvent,
  RfbRecorder,
} from './rfb-recorder';
export { type RfbGuestOptions, type RfbSessionHandle, serveRfb } from './rfb-server';
export {
  type FramebufferUpdateInfo,
  type ReceivedRect,
  RfbHandshakeError,
  RfbTestClient,
  type RfbTestClientOptions,
} from './rfb-test-client';
