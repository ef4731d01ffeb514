import { outboxWriter } from "../../../events/outboxWriter.js";
import { listsEvents } from "../events.js";

/** Writes a list event in the change's own transaction (the lists outbox); the relay publishes it. */
export const recordEvent = outboxWriter(listsEvents.outbox!);
