// Types of the inventory API, inferred from the shared schemas. Every string in them came from
// a Proxmox server: rendered as text, never as HTML.
import type {
  GuestDetail as GuestDetailSchema,
  GuestList as GuestListSchema,
  Guest as GuestSchema,
  RrdData as RrdDataSchema,
  ServerFetchStatus as ServerFetchStatusSchema,
  TaskStatus as TaskStatusSchema,
  VmActionResult,
} from '@common/schemas/vms';
import type { z } from 'zod';

export type { GuestType, VmAction } from '@common/schemas/vms';
export type Guest = z.infer<typeof GuestSchema>;
export type GuestAbilities = Guest['can'];
export type GuestList = z.infer<typeof GuestListSchema>;
export type GuestDetail = z.infer<typeof GuestDetailSchema>;
export type ServerFetchStatus = z.infer<typeof ServerFetchStatusSchema>;
export type ActionResult = z.infer<typeof VmActionResult>;
export type TaskStatus = z.infer<typeof TaskStatusSchema>;
export type RrdData = z.infer<typeof RrdDataSchema>;
export type RrdPoint = RrdData['points'][number];
