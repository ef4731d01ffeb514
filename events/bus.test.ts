// Long: one contract suite run against all three buses (memory, Redis, NATS), each guarantee of types.ts checked on each.
import { afterAll, afterEach, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { connect, type NatsConnection } from "nats";
import { SeenEvents, dedupeById } from "./dedupe.js";
import { EventStreamError } from "./sequence.js";
import { sequenceToStreamId, streamIdToSequence } from "./redisStream.js";
import type { DeliveredEvent, EventBus, EventSubscription, HubEvent } from "./types.js";
import { createEventBus } from "./index.js";
import { SERVICES, requireServices } from "../test/services.js";

await requireServices("redis", "nats");
const REDIS_URL = SERVICES.redis.url;
const NATS_URL = SERVICES.nats.url;
const RUN = randomBytes(4).toString("hex");

type Kind = EventBus["kind"];

function events(n: number, stream = "lists"): HubEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    stream,
    type: "ListEntryChanged",
    entityId: String(i + 1),
    city: "410100",
    occurredAt: new Date(1_700_000_000_000 + i).toISOString(),
    payload: { n: i, status: "ACTIVE" },
  }));
}

async function waitFor(cond: () => boolean, timeoutMs = 15_000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Records what one subscription delivers. */
class Recorder {
  readonly got: DeliveredEvent[] = [];
  readonly errors: Error[] = [];
  sub: EventSubscription | null = null;
  constructor(
    bus: EventBus,
    after: string | null,
    private readonly handler: (e: DeliveredEvent, r: Recorder) => void | Promise<void> = () => {},
  ) {
    this.sub = bus.subscribe(
      after,
      (e) => {
        this.got.push(e);
        return this.handler(e, this);
      },
      (err) => this.errors.push(err),
    );
  }
  waitCount(n: number, timeoutMs?: number): Promise<void> {
    return waitFor(() => this.got.length >= n || this.errors.length > 0, timeoutMs, `${n} events`).then(() => {
      if (this.errors.length > 0) throw this.errors[0];
    });
  }
  close(): void {
    this.sub?.close();
  }
}

function expectInOrder(got: DeliveredEvent[], published: HubEvent[], sequences: string[]): void {
  expect(got.map((e) => e.id)).toEqual(published.map((e) => e.id));
  expect(got.map((e) => e.sequence)).toEqual(sequences);
  for (let i = 1; i < got.length; i++) expect(BigInt(got[i].sequence)).toBeGreaterThan(BigInt(got[i - 1].sequence));
  expect(new Set(got.map((e) => e.id)).size).toBe(got.length);
}

// Backing resources of every bus the tests create, removed in afterAll.
const redisKeys: string[] = [];
const natsStreams: string[] = [];
let open: EventBus[] = [];
let counter = 0;

async function makeBus(kind: Kind, retain?: number): Promise<EventBus> {
  const n = ++counter;
  let bus: EventBus;
  if (kind === "memory") {
    bus = await createEventBus({ retain });
  } else if (kind === "redis") {
    const key = `hub:events:test:${RUN}:${n}`;
    redisKeys.push(key);
    bus = await createEventBus({ redisUrl: REDIS_URL, streamName: key, retain });
  } else {
    const name = `HUB_EVENTS_TEST_${RUN}_${n}`;
    natsStreams.push(name);
    // Subjects cannot overlap between JetStream streams: one prefix per test stream.
    bus = await createEventBus({ natsUrl: NATS_URL, streamName: name, subjectPrefix: `hub.test.${RUN}.${n}`, retain });
  }
  expect(bus.kind).toBe(kind);
  open.push(bus);
  return bus;
}

afterEach(async () => {
  await Promise.all(open.map((b) => b.close()));
  open = [];
});

afterAll(async () => {
  if (redisKeys.length > 0) {
    const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    await admin.connect();
    await admin.del(...redisKeys);
    expect(await admin.exists(...redisKeys)).toBe(0);
    await admin.quit();
  }
  if (natsStreams.length > 0) {
    const nc: NatsConnection = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    for (const s of natsStreams) await jsm.streams.delete(s).catch(() => false);
    const left: string[] = [];
    for await (const s of jsm.streams.list()) if (natsStreams.includes(s.config.name)) left.push(s.config.name);
    expect(left).toEqual([]);
    await nc.close();
  }
});

describe.each<[Kind]>([["memory"], ["redis"], ["nats"]])("event bus contract: %s", (kind) => {
  it("delivers 1,000 published events to a subscriber from null, all in order", async () => {
    const bus = await makeBus(kind);
    expect(await bus.latestSequence()).toBeNull();
    const published = events(1000);
    const t0 = Date.now();
    const sequences = await bus.publish(published);
    const publishMs = Date.now() - t0;
    expect(sequences).toHaveLength(1000);
    const r = new Recorder(bus, null);
    await r.waitCount(1000);
    const deliverMs = Date.now() - t0 - publishMs;
    expectInOrder(r.got, published, sequences);
    expect(r.got[0]).toMatchObject({ ...published[0], sequence: sequences[0] });
    expect(await bus.latestSequence()).toBe(sequences[999]);
    // Nothing more arrives.
    await new Promise((res) => setTimeout(res, 50));
    expect(r.got).toHaveLength(1000);
    r.close();
    process.stdout.write(`[${kind}] publish 1000: ${publishMs} ms, replay 1000: ${deliverMs} ms\n`);
  });

  it("resumes after the 300th sequence with exactly the remaining 700, no gap, no duplicate", async () => {
    const bus = await makeBus(kind);
    const published = events(1000);
    const sequences = await bus.publish(published);
    const first = new Recorder(bus, null, (e, r) => {
      if (r.got.length === 300) r.close();
    });
    await first.waitCount(300);
    await new Promise((res) => setTimeout(res, 100));
    expect(first.got).toHaveLength(300); // nothing after close()
    const resumeAfter = first.got[299].sequence;
    expect(resumeAfter).toBe(sequences[299]);

    const second = new Recorder(bus, resumeAfter);
    await second.waitCount(700);
    await new Promise((res) => setTimeout(res, 50));
    expectInOrder(second.got, published.slice(300), sequences.slice(300));
    expectInOrder([...first.got, ...second.got], published, sequences);
    second.close();
  });

  it("delivers events published after subscribing (live), also after a replay", async () => {
    const bus = await makeBus(kind);
    const before = events(20);
    const seqBefore = await bus.publish(before);
    const fromNull = new Recorder(bus, null);
    const fromLatest = new Recorder(bus, await bus.latestSequence());
    await fromNull.waitCount(20);
    const live: HubEvent[] = [];
    const seqLive: string[] = [];
    for (let i = 0; i < 5; i++) {
      const batch = events(10);
      live.push(...batch);
      seqLive.push(...(await bus.publish(batch)));
      await new Promise((res) => setTimeout(res, 5));
    }
    await fromNull.waitCount(70);
    await fromLatest.waitCount(50);
    expectInOrder(fromNull.got, [...before, ...live], [...seqBefore, ...seqLive]);
    expectInOrder(fromLatest.got, live, seqLive);
    fromNull.close();
    fromLatest.close();
  });

  it("a subscriber on an empty bus gets the first events live", async () => {
    const bus = await makeBus(kind);
    const r = new Recorder(bus, null);
    await new Promise((res) => setTimeout(res, 50));
    const published = events(3);
    const sequences = await bus.publish(published);
    await r.waitCount(3);
    expectInOrder(r.got, published, sequences);
    r.close();
  });

  it("gives two subscribers everything each", async () => {
    const bus = await makeBus(kind);
    const a1 = events(100);
    const s1 = await bus.publish(a1);
    const x = new Recorder(bus, null);
    const y = new Recorder(bus, null);
    const a2 = events(100);
    const s2 = await bus.publish(a2);
    await x.waitCount(200);
    await y.waitCount(200);
    expectInOrder(x.got, [...a1, ...a2], [...s1, ...s2]);
    expectInOrder(y.got, [...a1, ...a2], [...s1, ...s2]);
    x.close();
    y.close();
  });

  it("a slow async subscriber does not delay a fast one", async () => {
    const bus = await makeBus(kind);
    const published = events(200);
    const sequences = await bus.publish(published);
    const t0 = Date.now();
    const slow = new Recorder(bus, null, () => new Promise<void>((res) => setTimeout(res, 20)));
    const fast = new Recorder(bus, null);
    await fast.waitCount(200);
    const fastMs = Date.now() - t0;
    const slowAtThatPoint = slow.got.length;
    // 200 x 20 ms = 4 s for the slow one; the fast one must not wait for it.
    expect(slowAtThatPoint).toBeLessThan(50);
    expectInOrder(fast.got, published, sequences);
    // The slow one is still in order, one at a time.
    await slow.waitCount(slowAtThatPoint + 5);
    expectInOrder(slow.got, published.slice(0, slow.got.length), sequences.slice(0, slow.got.length));
    slow.close();
    fast.close();
    process.stdout.write(`[${kind}] fast subscriber: 200 events in ${fastMs} ms while the slow one had ${slowAtThatPoint}\n`);
  });

  it("latestSequence follows publishes; sequences compare as BigInt", async () => {
    const bus = await makeBus(kind);
    expect(await bus.latestSequence()).toBeNull();
    const [a] = await bus.publish(events(1));
    expect(await bus.latestSequence()).toBe(a);
    const more = await bus.publish(events(3));
    expect(await bus.latestSequence()).toBe(more[2]);
    for (const s of [a, ...more]) expect(s).toMatch(/^[0-9]+$/);
    expect(more.map(BigInt)).toEqual([BigInt(a) + 1n, BigInt(a) + 2n, BigInt(a) + 3n]);
    expect(await bus.publish([])).toEqual([]);
  });

  it("lastEventOf finds the last event of a stream", async () => {
    const bus = await makeBus(kind);
    expect(await bus.lastEventOf("lists")).toBeNull();
    const lists = events(3, "lists").map((e, i) => ({ ...e, outboxId: String(i + 1) }));
    await bus.publish(lists);
    const [otherSeq] = await bus.publish(events(1, "cases"));
    const last = await bus.lastEventOf("lists");
    expect(last).toMatchObject({ id: lists[2].id, outboxId: "3" });
    expect((await bus.lastEventOf("cases"))?.sequence).toBe(otherSeq);
    expect(await bus.lastEventOf("nothing")).toBeNull();
  });

  it("reports a gap instead of skipping when `after` is no longer retained", async () => {
    const bus = await makeBus(kind, 10);
    const sequences = await bus.publish(events(1000));
    const r = new Recorder(bus, sequences[0]);
    await waitFor(() => r.errors.length > 0, 15_000, "gap error");
    expect(r.got).toHaveLength(0);
    expect(r.errors[0]).toBeInstanceOf(EventStreamError);
    expect((r.errors[0] as EventStreamError).code).toBe("gap");
    // From null: the retained tail, in order, ending at the latest.
    const all = new Recorder(bus, null);
    await waitFor(() => all.got.at(-1)?.sequence === sequences[999] || all.errors.length > 0, 15_000, "retained tail");
    expect(all.errors).toEqual([]);
    expect(all.got.length).toBeGreaterThanOrEqual(10);
    expect(all.got.length).toBeLessThan(1000);
    all.close();
  });

  it("rejects a sequence beyond the latest or not a number, through onError", async () => {
    const bus = await makeBus(kind);
    await bus.publish(events(2));
    const ahead = new Recorder(bus, "5");
    const junk = new Recorder(bus, "12abc");
    await waitFor(() => ahead.errors.length > 0 && junk.errors.length > 0, 10_000, "errors");
    expect((ahead.errors[0] as EventStreamError).code).toBe("ahead");
    expect((junk.errors[0] as EventStreamError).code).toBe("invalid_sequence");
  });

  it("ends a subscription whose handler throws, after which resuming redelivers that event", async () => {
    const bus = await makeBus(kind);
    const published = events(5);
    const sequences = await bus.publish(published);
    const r = new Recorder(bus, null, (e) => {
      if (e.sequence === sequences[2]) throw new Error("handler failed");
    });
    await waitFor(() => r.errors.length > 0, 10_000, "handler error");
    expect(r.errors[0].message).toBe("handler failed");
    expect(r.got).toHaveLength(3);
    const again = new Recorder(bus, sequences[1]);
    await again.waitCount(3);
    expect(again.got.map((e) => e.id)).toEqual(published.slice(2).map((e) => e.id));
    again.close();
  });

  it("lets timers and I/O run between events while a handler keeps the loop busy", async () => {
    // As the risk engine on the embedded store does: in-process work, no I/O to yield at.
    const bus = await makeBus(kind);
    await bus.publish(events(20));
    let handledWhenTimerRan: number | null = null;
    const r = new Recorder(bus, null, async (_e, rec) => {
      if (rec.got.length === 1) setTimeout(() => (handledWhenTimerRan = rec.got.length), 0);
      const until = performance.now() + 4;
      while (performance.now() < until);
    });
    await r.waitCount(20);
    r.close();
    expect(handledWhenTimerRan).not.toBeNull();
    expect(handledWhenTimerRan!).toBeLessThan(20);
  });

  it("close() ends subscriptions and later publishes fail", async () => {
    const bus = await makeBus(kind);
    const r = new Recorder(bus, null);
    await bus.publish(events(2));
    await r.waitCount(2);
    await bus.close();
    await expect(bus.publish(events(1))).rejects.toThrow(/closed/);
    expect(r.errors).toEqual([]);
  });
});

describe("redis bus", () => {
  it("ends subscriptions with `ahead` when the stream restarts from scratch (key deleted, Redis restarted)", async () => {
    const bus = await makeBus("redis");
    await bus.publish(events(5));
    const r = new Recorder(bus, null);
    await r.waitCount(5);
    const admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    await admin.connect();
    await admin.del(redisKeys[redisKeys.length - 1]);
    await admin.quit();
    expect(await bus.publish(events(2))).toEqual(["1", "2"]);
    await waitFor(() => r.errors.length > 0, 10_000, "ahead error");
    expect((r.errors[0] as EventStreamError).code).toBe("ahead");
    expect(r.got).toHaveLength(5);
  });

  it("maps stream ids to sequences and back, preserving order", () => {
    const ids = ["0-1", "0-2", "0-18446744073709551615", "1-0", "1700000000000-0", "1700000000000-5", "1700000000001-0"];
    const seqs = ids.map(streamIdToSequence);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
    expect(seqs.map(sequenceToStreamId)).toEqual(ids);
    expect(streamIdToSequence("0-42")).toBe(42n);
  });
});

describe("nats bus", () => {
  it("drops a re-publish of the same event id (JetStream dedupe window)", async () => {
    const bus = await makeBus("nats");
    const batch = events(3);
    const first = await bus.publish(batch);
    expect(await bus.publish([batch[1], ...events(1)])).toEqual([first[1], String(BigInt(first[2]) + 1n)]);
    expect(await bus.latestSequence()).toBe(String(BigInt(first[2]) + 1n));
  });
});

describe("dedupe", () => {
  it("remembers the last `capacity` ids", () => {
    const seen = new SeenEvents(3);
    expect(["a", "b", "a", "c", "d"].map((id) => seen.firstTime(id))).toEqual([true, true, false, true, true]);
    // capacity 3: "b" (least recently seen) was forgotten, "a" was refreshed
    expect(seen.has("b")).toBe(false);
    expect(seen.firstTime("a")).toBe(false);
    expect(seen.size).toBe(3);
  });

  it("wraps a handler", () => {
    const got: string[] = [];
    const handle = dedupeById((e: { id: string }) => void got.push(e.id));
    for (const id of ["x", "y", "x", "z", "y"]) handle({ id });
    expect(got).toEqual(["x", "y", "z"]);
  });
});
