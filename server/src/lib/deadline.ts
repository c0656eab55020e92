// Deadlines as AbortSignals that survive garbage collection. Node's `AbortSignal.timeout()` holds
// its signal only weakly (so an unused one can be collected), and `AbortSignal.any()` holds its
// sources only weakly too: in `AbortSignal.any([parent, AbortSignal.timeout(ms)])` nothing keeps
// the timeout alive, and after a GC the combined signal never fires (nodejs/node#57736, still in
// Node 20). A call to a black-holed Proxmox server then hung forever; the chaos soak found it.
// Here the pending timer holds the controller strongly until it fires.

/** An AbortSignal that aborts with a `TimeoutError` DOMException (like AbortSignal.timeout) after
 * `ms`, also when `parent` aborts first (with the parent's reason). */
export function deadlineSignal(ms: number, parent?: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    Math.max(1, Math.round(ms)),
  );
  // Like AbortSignal.timeout: a pending deadline alone does not keep the process alive.
  timer.unref();
  if (!parent) return controller.signal;
  // The combined signal holds `parent` weakly, which is fine: whoever handed it in keeps it.
  return AbortSignal.any([parent, controller.signal]);
}
