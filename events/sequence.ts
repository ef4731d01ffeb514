// Sequences (decimal strings, compared as BigInt) and the errors a subscription ends with when it cannot go on.
export type EventStreamErrorCode = "gap" | "ahead" | "invalid_sequence" | "malformed_event";

/**
 * Why a subscription ended on the bus's side. `gap` and `ahead` mean the client cannot
 * resume where it asked: it should start over from `null` (and dedupe by event id).
 */
export class EventStreamError extends Error {
  override readonly name = "EventStreamError";
  constructor(
    readonly code: EventStreamErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const DECIMAL = /^[0-9]{1,40}$/;

/** A sequence as BigInt; throws {@link EventStreamError} `invalid_sequence` for anything but a decimal string. */
export function parseSequence(s: string): bigint {
  if (typeof s !== "string" || !DECIMAL.test(s)) throw new EventStreamError("invalid_sequence", `not a sequence: ${JSON.stringify(String(s)).slice(0, 60)}`);
  return BigInt(s);
}

/** Negative, zero or positive as a is before, equal to or after b. */
export function compareSequences(a: string, b: string): number {
  const x = parseSequence(a);
  const y = parseSequence(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function gapError(after: bigint, next: bigint): EventStreamError {
  return new EventStreamError(
    "gap",
    `events after sequence ${after} are no longer retained (next available: ${next}); resubscribe from the start and dedupe by event id`,
  );
}

export function aheadError(after: bigint, latest: bigint | null): EventStreamError {
  return new EventStreamError("ahead", `sequence ${after} is beyond the bus's latest (${latest ?? "none"}); was the bus reset?`);
}

export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
