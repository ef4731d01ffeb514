// The subscriptions bench's settings, read from its flags and checked before anything starts,
// and what follows from them (the subscription query, the run's event-id tag, the queue size).
import { randomBytes } from "node:crypto";
import { parseFlags, positiveNumber } from "./args.js";

/** The bus servers (BENCH_REDIS_URL / BENCH_NATS_URL): handed to the hub, and to the bench's own probe of the bus. */
export const BUS_URLS = {
  redis: process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379",
  nats: process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222",
};

const BASE_SELECTION = "id sequence occurredAt";
const ENTITY_SELECTION = "entry { id state }";

export function readOptions(argv: string[]) {
  const flags = parseFlags(argv, {
    subscribers: "1000", rate: "2000", duration: "30", bus: "memory", store: "postgres", workers: "2", drain: "auto",
    "with-entity": "false", queue: "auto", "tick-ms": "10", "seed-per-city": "20", "connect-batch": "50", "cpu-prof": "",
    client: "lean", filter: "none", "warmup-sec": "5",
  });
  const warmupAtRateSec = Number(flags["warmup-sec"]);
  if (!(warmupAtRateSec >= 0)) throw new Error("--warmup-sec is a number of seconds (0: none)");
  const client = flags.client;
  if (client !== "lean" && client !== "graphql-ws") throw new Error(`--client is lean or graphql-ws, got '${client}'`);
  const filter = flags.filter;
  if (filter !== "none" && filter !== "city") throw new Error(`--filter is none or city, got '${filter}'`);
  const subscribers = Math.floor(positiveNumber(flags, "subscribers"));
  const rate = positiveNumber(flags, "rate");
  const durationSec = positiveNumber(flags, "duration");
  const workerCount = Math.min(Math.floor(positiveNumber(flags, "workers")), subscribers);
  const drainSec = flags.drain === "auto" ? Math.max(5, Math.min(20, 60 - durationSec)) : positiveNumber(flags, "drain");
  const tickMs = positiveNumber(flags, "tick-ms");
  const withEntity = flags["with-entity"] === "true";
  if (!["true", "false"].includes(flags["with-entity"])) throw new Error("--with-entity is true or false");
  const bus = flags.bus;
  if (bus !== "memory" && bus !== "redis" && bus !== "nats") throw new Error(`--bus is memory, redis or nats, got '${bus}'`);
  if (flags.store !== "postgres") {
    throw new Error("--store postgres only: the publisher commits outbox rows over its own PostgreSQL connection, and the embedded store lives inside the hub process");
  }
  const capacity = Math.ceil(rate * durationSec) + 1;
  const selection = `{ ${BASE_SELECTION}${withEntity ? ` ${ENTITY_SELECTION}` : ""} }`;
  return {
    subscribers, rate, durationSec, workerCount, drainSec, tickMs, withEntity, bus, client, filter, warmupAtRateSec,
    seedPerCity: positiveNumber(flags, "seed-per-city"),
    connectBatch: Math.floor(positiveNumber(flags, "connect-batch")),
    cpuProfDir: flags["cpu-prof"],
    /** Most measured events the publisher may publish (the subscribers' bitset size). */
    capacity,
    queue: flags.queue === "auto" ? Math.max(1000, capacity * 2) : Math.floor(positiveNumber(flags, "queue")),
    selection,
    query: `subscription { listEntryChanged ${selection} }`,
    /** This run's mark in its event ids (see subscriptionProtocol.ts). */
    tag: randomBytes(4).toString("hex"),
  } as const;
}

export type SubscriptionOptions = ReturnType<typeof readOptions>;
