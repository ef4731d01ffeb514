import type { z } from "zod";
import type { HubEvent } from "./types.js";

/** An event whose payload does not match its contract: a producer bug, named with the event. */
export class EventPayloadError extends Error {
  constructor(readonly event: Pick<HubEvent, "id" | "stream" | "type">, detail: string) {
    super(`event ${event.id} (${event.stream}/${event.type}) does not match its contract: ${detail}`);
    this.name = "EventPayloadError";
  }
}

/**
 * An event type's contract: the producing subgraph declares it in its events.ts with a zod
 * schema of the payload; the producer writes through it and every consumer reads through it
 * (checked), so no side casts `payload`.
 */
export interface EventContract<P extends z.ZodType = z.ZodType> {
  /** `HubEvent.stream`: the producing subgraph. */
  readonly stream: string;
  /** `HubEvent.type`. */
  readonly type: string;
  readonly payload: P;
  /** Whether the event is of this contract (stream and type). */
  matches(e: Pick<HubEvent, "stream" | "type">): boolean;
  /** The checked payload of an event of this contract; throws {@link EventPayloadError} when it does not match. */
  parse(e: HubEvent): z.infer<P>;
  /** The checked payload when the event is of this contract, null for any other event. */
  read(e: HubEvent): z.infer<P> | null;
}

export type PayloadOf<C extends EventContract> = z.infer<C["payload"]>;

export function defineEvent<P extends z.ZodType>(stream: string, type: string, payload: P): EventContract<P> {
  const matches = (e: Pick<HubEvent, "stream" | "type">) => e.stream === stream && e.type === type;
  const parse = (e: HubEvent): z.infer<P> => {
    const r = payload.safeParse(e.payload);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new EventPayloadError(e, `${issue.path.join(".") || "payload"}: ${issue.message}`);
    }
    return r.data;
  };
  return { stream, type, payload, matches, parse, read: (e) => (matches(e) ? parse(e) : null) };
}
