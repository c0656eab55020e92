// Console recordings (DESIGN.md §9 "Recordings"): what the broker relayed, replayable in the
// browser. Listed once their console has closed; the player reads `…/data`.
import { z } from 'zod';
import { model, QueryInt, QueryIntOptional, TenantParams, Uuid } from './shared';

export const RECORDING_STATUSES = ['complete', 'failed', 'interrupted'] as const;

export const Recording = model('Recording', {
  id: z.string(),
  userId: z.string().nullable(),
  /** Who it was (kept when the account is gone: null then). */
  userEmail: z.string().nullable(),
  /** Opened through this share link (the user is the link's creator). */
  shareId: z.string().nullable(),
  consoleId: z.string().nullable(),
  serverId: z.string(),
  serverName: z.string().nullable(),
  vmid: z.number().nullable(),
  kind: z.enum(['vnc', 'terminal']),
  /** `failed`: storage refused it (nothing or part recorded, see `error`); `interrupted`: the
   * instance stopped first (playable up to its last seconds). */
  status: z.enum(RECORDING_STATUSES),
  error: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  bytes: z.number(),
  can: z.object({ delete: z.boolean() }),
});
export type Recording = z.infer<typeof Recording>;

export const RecordingList = z.object({ recordings: z.array(Recording) });

/** Marks on the player's timeline: where keyframes start, where the user typed or clicked (to
 * the second), and what the audit log says happened to the guest meanwhile. */
export const RecordingDetail = Recording.extend({
  keyframesMs: z.array(z.number()),
  input: z.array(z.object({ atMs: z.number(), keys: z.boolean(), clicks: z.boolean() })),
  events: z.array(
    z.object({ atMs: z.number(), action: z.string(), actorEmail: z.string().nullable(), outcome: z.string() }),
  ),
});
export type RecordingDetail = z.infer<typeof RecordingDetail>;

export const RecordingParams = TenantParams.extend({ recordingId: Uuid });

export const RecordingListQuery = z.object({
  serverId: Uuid.optional(),
  limit: QueryInt(1, 500, 100),
});

/** A graphical recording's stream in pieces: from the keyframe before `from` ms (or exactly at
 * chunk `chunk`, to continue), up to the chunks that start by `to` ms. The answer's
 * `x-recording-next-chunk` header names the chunk to continue from (absent at the end). */
export const RecordingDataQuery = z.object({
  from: QueryInt(0, 2 ** 32 - 1, 0),
  chunk: QueryIntOptional(0, 2 ** 31 - 1),
  to: QueryInt(0, 2 ** 32 - 1, 2 ** 32 - 1),
});

/** Record framing of the player's stream (graphical consoles): type(u8) atMs(u32) length(u32)
 * payload — the same records the file holds (server/src/modules/recordings/recording-format.ts). */
export const PLAYER_RECORD = {
  Server: 1,
  Key: 2,
  Pointer: 3,
  State: 4,
} as const;
