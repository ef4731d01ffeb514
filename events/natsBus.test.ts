import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import { connect, type JetStreamManager, type NatsConnection } from "nats";
import { createNatsBus, type NatsEventBus } from "./natsBus.js";
import { EventStreamError } from "./sequence.js";
import type { DeliveredEvent, EventSubscription, HubEvent } from "./types.js";
import { SERVICES, requireServices } from "../test/services.js";

// What the contract suite (bus.test.ts) does not reach: a subscriber slower than its
// JetStream pulls, consumers reset under it, and a backlog overtaken by retention mid-read.

await requireServices("nats");
const NATS_URL = SERVICES.nats.url;
const RUN = randomBytes(4).toString("hex");

function events(n: number, from = 0): HubEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    stream: "lists",
    type: "ListEntryChanged",
    entityId: String(from + i + 1),
    city: "410100",
    occurredAt: new Date(1_700_000_000_000 + from + i).toISOString(),
    payload: { n: from + i },
  }));
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/** Records the sequences one subscription delivers, and how it ended. */
class Recorder {
  readonly seqs: number[] = [];
  readonly errors: Error[] = [];
  readonly sub: EventSubscription;
  constructor(bus: NatsEventBus, after: string | null, handler: (e: DeliveredEvent) => void | Promise<void>) {
    this.sub = bus.subscribe(
      after,
      (e) => {
        this.seqs.push(Number(e.sequence));
        return handler(e);
      },
      (err) => this.errors.push(err),
    );
  }
  /** Resolves once `last` was delivered; rejects with the subscription's error if it ended first. */
  async waitFor(last: number, timeoutMs: number): Promise<void> {
    await waitFor(() => this.seqs.at(-1) === last || this.errors.length > 0, timeoutMs, `sequence ${last}`).catch((e: Error) => {
      throw new Error(`${e.message} (delivered ${this.seqs.length}, up to ${this.seqs.at(-1) ?? "none"})`);
    });
    if (this.errors.length > 0) throw this.errors[0];
  }
}

/** 1..n, each once, in order: compared as a count plus the first mismatch, not a 20,000-line diff. */
function expectAllInOrder(seqs: number[], n: number): void {
  const firstWrong = seqs.findIndex((s, i) => s !== i + 1);
  expect({ count: seqs.length, firstWrong: firstWrong === -1 ? null : { at: firstWrong, got: seqs[firstWrong], before: seqs[firstWrong - 1] } }).toEqual({
    count: n,
    firstWrong: null,
  });
}

const streams: string[] = [];
let open: NatsEventBus[] = [];
let counter = 0;
let admin: NatsConnection;
let jsm: JetStreamManager;

async function makeBus(retain?: number): Promise<NatsEventBus> {
  const n = ++counter;
  const name = `HUB_NATS_TEST_${RUN}_${n}`;
  streams.push(name);
  const bus = await createNatsBus({ natsUrl: NATS_URL, streamName: name, subjectPrefix: `hub.natstest.${RUN}.${n}`, retain });
  open.push(bus);
  return bus;
}

/** Publishes `n` events in batches of `batch`; resolves with the last sequence. */
async function publish(bus: NatsEventBus, n: number, batch = 1000): Promise<number> {
  let last = 0;
  for (let i = 0; i < n; i += batch) {
    const seqs = await bus.publish(events(Math.min(batch, n - i), i));
    last = Number(seqs.at(-1));
  }
  return last;
}

/** Deletes the stream's consumers (the subscriptions' own) server-side; resolves with how many. */
async function deleteConsumers(bus: NatsEventBus): Promise<number> {
  let deleted = 0;
  for await (const c of jsm.consumers.list(bus.stream)) {
    if (await jsm.consumers.delete(bus.stream, c.name).catch(() => false)) deleted++;
  }
  return deleted;
}

beforeAll(async () => {
  admin = await connect({ servers: NATS_URL });
  jsm = await admin.jetstreamManager();
});

afterEach(async () => {
  await Promise.all(open.map((b) => b.close()));
  open = [];
});

afterAll(async () => {
  for (const s of streams) await jsm.streams.delete(s).catch(() => false);
  const left: string[] = [];
  for await (const s of jsm.streams.list()) if (streams.includes(s.config.name)) left.push(s.config.name);
  await admin.close();
  expect(left).toEqual([]);
});

describe("nats bus: a subscriber slower than JetStream", () => {
  // 5,000 events cross about 20 pull batches (256 each), where the old consumer lost messages: enough for the
  // property, and small enough to finish in time when CI runs other suites beside it.
  it("reads a 5,000-event backlog with a handler that yields to I/O: every sequence once, in order", async () => {
    const bus = await makeBus();
    const n = 5_000;
    expect(await publish(bus, n)).toBe(n);
    // Each event lets the socket be read in between, so pulled messages pile up behind the one being handled.
    const r = new Recorder(bus, null, tick);
    await r.waitFor(n, 15_000);
    expectAllInOrder(r.seqs, n);
    r.sub.close();
  }, 20_000);

  it("keeps up with a publisher running while it reads, with a handler that sleeps now and then", async () => {
    const bus = await makeBus();
    const n = 5_000;
    const r = new Recorder(bus, null, async (e) => {
      if (Number(e.sequence) % 500 === 0) await new Promise((res) => setTimeout(res, 20));
      else await tick();
    });
    expect(await publish(bus, n, 200)).toBe(n);
    await r.waitFor(n, 15_000);
    expectAllInOrder(r.seqs, n);
    r.sub.close();
  }, 20_000);

  it("continues at the right sequence when its JetStream consumer is deleted under it while reading a backlog", async () => {
    const bus = await makeBus();
    const n = 6000;
    expect(await publish(bus, n)).toBe(n);
    let deletions = 0;
    const r = new Recorder(bus, null, async (e) => {
      await tick();
      // Now and then, delete whatever consumer the subscription is reading from (with a pull's worth buffered).
      if (Number(e.sequence) % 2000 === 100) deletions += await deleteConsumers(bus);
    });
    await r.waitFor(n, 15_000);
    expectAllInOrder(r.seqs, n);
    expect(deletions).toBe(3);
    r.sub.close();
  }, 20_000);

  it("continues when its consumer is deleted while it waits for live events", async () => {
    const bus = await makeBus();
    await publish(bus, 100);
    const r = new Recorder(bus, null, () => undefined);
    await r.waitFor(100, 5000);
    for (let round = 1; round <= 3; round++) {
      await new Promise((res) => setTimeout(res, 50)); // its next pull is waiting on the server
      expect(await deleteConsumers(bus)).toBe(1);
      const last = await publish(bus, 100);
      await r.waitFor(last, 8000);
    }
    expectAllInOrder(r.seqs, 400);
    r.sub.close();
  }, 20_000);

  it("still reports a gap when retention overtakes it mid-read (after delivering what it had)", async () => {
    const bus = await makeBus(50);
    await publish(bus, 10);
    let release!: () => void;
    const held = new Promise<void>((res) => (release = res));
    const r = new Recorder(bus, null, (e) => (e.sequence === "1" ? held : undefined));
    await waitFor(() => r.seqs.length === 1, 5000, "the first event");
    // While the handler holds event 1, 1,000 more are published: only the last 50 stay retained.
    await publish(bus, 1000, 100);
    release();
    await waitFor(() => r.errors.length > 0, 10_000, "gap error");
    expect(r.errors[0]).toBeInstanceOf(EventStreamError);
    expect((r.errors[0] as EventStreamError).code).toBe("gap");
    // What it did deliver is a run without holes from 1.
    expectAllInOrder(r.seqs, r.seqs.length);
    expect(r.seqs.at(-1)).toBeLessThan(961);
  }, 20_000);
});
