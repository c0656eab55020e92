// Finding a guest the way the handlers load its config: it must exist with this type on this
// node, else the same 500 a real server gives for a wrong node or an unknown VM.
import { handlerError, type PveError } from '../http/pve-error';
import type { ApiContext } from '../http/route-table';
import type { GuestType, SimGuest } from '../model/sim-guest';

/** load_config's refusal for a guest that is not on that node (or nowhere). */
export function configMissing(type: GuestType, node: string, vmid: number): PveError {
  const dir = type === 'qemu' ? 'qemu-server' : 'lxc';
  return handlerError(`Configuration file 'nodes/${node}/${dir}/${vmid}.conf' does not exist`);
}

export function loadGuest(ctx: ApiContext, type: GuestType): SimGuest {
  const node = String(ctx.params.node);
  const vmid = Number(ctx.params.vmid);
  const guest = ctx.cluster.guests.get(vmid);
  if (!guest || guest.type !== type || guest.node !== node) throw configMissing(type, node, vmid);
  return guest;
}
