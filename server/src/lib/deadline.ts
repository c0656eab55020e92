// Deadlines for calls that also end when a longer-lived signal aborts (shutdown, a console
// closing). Two Node 20 pitfalls of the obvious `AbortSignal.any([parent, AbortSignal.timeout(ms)])`,
// both found by the chaos soak:
//  - the timeout signal is held only weakly, by `any()` as well: after a garbage collection the
//    combined signal never fires (nodejs/node#57736), and a call to a black-holed Proxmox server
//    hung for good;
//  - every `any()` leaves a WeakRef in the parent for as long as the parent lives (~60 bytes per
//    call; the inventory and the health checks make dozens a second on service-lifetime parents).
// Here the pending timer holds the controller strongly until it fires, and the listener on the
// parent is removed when the call is over (clear()) or at the latest when the deadline passes.
import { setMaxListeners } from 'node:events';

export interface Deadline {
  /** Aborts with a `TimeoutError` DOMException (like AbortSignal.timeout) after the time, or with
   * the parent's reason when the parent aborts first. */
  readonly signal: AbortSignal;
  /** The call is over: drops the timer and the listener on the parent. Safe to call twice. */
  clear(): void;
}

export function startDeadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const onParent = () => {
    clearTimeout(timer);
    controller.abort(parent?.reason);
  };
  const clear = () => {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParent);
  };
  const timer = setTimeout(
    () => {
      clear();
      controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    },
    Math.max(1, Math.round(ms)),
  );
  // Like AbortSignal.timeout: a pending deadline alone does not keep the process alive.
  timer.unref();
  if (parent?.aborted) onParent();
  else if (parent) {
    // One listener per call in flight (removed when it ends): dozens at once on a service's
    // shutdown signal are expected, not a leak worth Node's warning past 10.
    setMaxListeners(0, parent);
    parent.addEventListener('abort', onParent, { once: true });
  }
  return { signal: controller.signal, clear };
}
