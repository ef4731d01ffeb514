export * from "./types.js";
export { EventStreamError, compareSequences, parseSequence, type EventStreamErrorCode } from "./sequence.js";
export { MemoryEventBus } from "./memoryBus.js";
export { SeenEvents, dedupeById } from "./dedupe.js";
export { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from "./relay.js";
export { followEvents, isLostPosition, type FollowOptions } from "./follow.js";
