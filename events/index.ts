// The room's public surface; createEventBus picks the bus (NATS, Redis or in-process) from the configuration.
import type { EventBus, EventBusConfig } from "./types.js";
import { createNatsBus } from "./natsBus.js";
import { createRedisBus } from "./redisBus.js";
import { MemoryEventBus } from "./memoryBus.js";

export * from "./types.js";
export { EventStreamError, compareSequences, parseSequence, type EventStreamErrorCode } from "./sequence.js";
export { MemoryEventBus } from "./memoryBus.js";
export { SeenEvents, dedupeById } from "./dedupe.js";
export { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from "./relay.js";
export { followEvents, isLostPosition, type FollowOptions, type Follower } from "./follow.js";

/**
 * NATS wins over Redis if both are configured; in-process memory otherwise. Fails (rejects)
 * when the configured server cannot be reached within `connectTimeoutMs`.
 */
export async function createEventBus(cfg: EventBusConfig): Promise<EventBus> {
  if (cfg.natsUrl) {
    return createNatsBus({ ...cfg, natsUrl: cfg.natsUrl });
  }
  if (cfg.redisUrl) {
    return createRedisBus({ ...cfg, redisUrl: cfg.redisUrl });
  }
  return new MemoryEventBus({ retain: cfg.retain });
}
