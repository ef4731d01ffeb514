// How the Redis bus keeps events in a stream: sequence <-> stream ID, one JSON field per entry, the last sequence assigned.
import type { Redis } from "ioredis";
import { EventStreamError, toError } from "./sequence.js";
import type { DeliveredEvent, HubEvent } from "./types.js";

/*
 * SEQUENCE <-> STREAM ID
 *
 * A Redis stream ID is `<ms>-<seq>`, two unsigned 64-bit integers, ordered by ms then seq.
 *   sequence = ms * 2^64 + seq          (BigInt, as a decimal string)
 *   ms = sequence >> 64,  seq = sequence & (2^64 - 1)
 * is an exact, order-preserving bijection for every valid ID (unlike ms * 2^20 + seq, which
 * collides past 2^20 entries in one millisecond).
 *
 * This bus appends with the ID `0-*` (Redis >= 7.0): ms pinned to 0, seq = the stream's last
 * seq + 1, assigned atomically by Redis. So the stream IDs are 0-1, 0-2, 0-3, ... and
 * sequence = seq: dense like the memory and NATS buses, which is what lets a subscriber tell
 * "trimmed away" (a jump) from "nothing new", exactly and without races. The time of an event
 * is in `occurredAt`, so nothing is lost by not using the ID's ms part. The key must belong to
 * this bus: an entry written by someone else with `*` (ms > 0) makes `0-*` fail.
 */
const SEQ_BITS = 64n;
const SEQ_MASK = (1n << SEQ_BITS) - 1n;

export function streamIdToSequence(id: string): bigint {
  const dash = id.indexOf("-");
  if (dash < 0) return BigInt(id) << SEQ_BITS;
  return (BigInt(id.slice(0, dash)) << SEQ_BITS) | BigInt(id.slice(dash + 1));
}

export function sequenceToStreamId(sequence: bigint): string {
  return `${sequence >> SEQ_BITS}-${sequence & SEQ_MASK}`;
}

/** Entries per XRANGE page / XREAD call. */
export const PAGE = 500;

/** A stream entry as ioredis returns it. */
export type Entry = [id: string, fields: string[]];

/** The entry field holding the event as JSON. */
export const EVENT_FIELD = "e";

export function decode([id, fields]: Entry): DeliveredEvent {
  let json: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === EVENT_FIELD) json = fields[i + 1];
  if (json === undefined) throw new EventStreamError("malformed_event", `stream entry ${id} has no event`);
  let e: HubEvent;
  try {
    e = JSON.parse(json) as HubEvent;
  } catch {
    throw new EventStreamError("malformed_event", `stream entry ${id} is not JSON`);
  }
  return { ...e, sequence: streamIdToSequence(id).toString() };
}

/** XINFO's last-generated-id survives trimming, so this is the last sequence ever assigned (null: none, or no stream). */
export async function lastAssignedSequence(cmd: Redis, key: string): Promise<bigint | null> {
  let info: unknown[];
  try {
    info = (await cmd.xinfo("STREAM", key)) as unknown[];
  } catch (e) {
    if (/no such key/i.test(toError(e).message)) return null;
    throw e;
  }
  const i = info.indexOf("last-generated-id");
  const seq = i >= 0 ? streamIdToSequence(String(info[i + 1])) : 0n;
  return seq === 0n ? null : seq;
}
