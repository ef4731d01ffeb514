import { describe, it, expect } from "@jest/globals";
import { GraphQLError, buildSchema, parse, type ExecutionResult, type GraphQLSchema } from "graphql";
import { Burst, Delivery, Fanout, Membership, type MemberWriter } from "./fanout.js";
import { SubscriberQueue } from "./source.js";

const event = (i: number) => ({ id: `e-${i}`, sequence: String(i), stream: "lists", type: "T", entityId: String(i), city: "610800", occurredAt: "2026-01-01T00:00:00Z", payload: {} });

/** A schema whose subscription serves a queue the test pushes into, counting executions. */
function harness() {
  const schema: GraphQLSchema = buildSchema("type Query { x: Int } type Ev { sequence: String! label: String! } type Subscription { ev(fail: Boolean): Ev! }");
  const queues: SubscriberQueue[] = [];
  let executions = 0;
  const root = schema.getSubscriptionType()!.getFields().ev;
  root.subscribe = (_s, args: { fail?: boolean }, ctx: { drop(r: string): void }) => {
    if (args.fail) throw new GraphQLError("no such watchlist", { extensions: { code: "NOT_FOUND" } });
    const q = new SubscriberQueue(50, () => true, () => ctx.drop("queue full"), () => undefined);
    queues.push(q);
    return q;
  };
  root.resolve = (e) => e;
  (schema.getType("Ev") as import("graphql").GraphQLObjectType).getFields().label.resolve = (e: { id: string }) => {
    executions++;
    return `label ${e.id}`;
  };
  const args = (query = "subscription { ev { sequence label } }") => ({ schema, document: parse(query) });
  return { queues, args, get executions() { return executions; } };
}

class Recorder implements MemberWriter {
  bursts: Delivery[][] = [];
  dropped: string | null = null;
  constructor(private accept = () => true) {}
  write(burst: Burst) {
    this.bursts.push([...burst.deliveries]);
    return this.accept();
  }
  drop(reason: string) {
    this.dropped = reason;
  }
  get sequences() {
    return this.bursts.flat().map((d) => d.sequence);
  }
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe("subscription fan-out", () => {
  it("runs the operation once per event for subscribers that share it, serialized once", async () => {
    const h = harness();
    const fanout = new Fanout();
    const a = new Recorder(), b = new Recorder();
    const ma = await fanout.join(h.args(), (drop) => ({ drop }), "k", a);
    const mb = await fanout.join(h.args(), (drop) => ({ drop }), "k", b);
    expect(h.queues).toHaveLength(1);
    for (let i = 1; i <= 5; i++) h.queues[0].push(event(i));
    await settle();
    expect(a.sequences).toEqual(["1", "2", "3", "4", "5"]);
    expect(b.sequences).toEqual(a.sequences);
    expect(h.executions).toBe(5);
    // The very same serialized result goes to both.
    expect(a.bursts[0][0]).toBe(b.bursts[0][0]);
    expect(JSON.parse(a.bursts[0][0].json)).toEqual({ data: { ev: { sequence: "1", label: "label e-1" } } });
    // Events waiting together are one burst (one round of entity fetches, one write per member).
    expect(a.bursts[0].length).toBe(5);
    expect(fanout.stats).toEqual({ groups: 1, members: 2 });
    await (ma as Membership).return();
    await (mb as Membership).return();
    expect(fanout.stats).toEqual({ groups: 0, members: 0 });
    // The last one leaving ends the shared event source.
    expect(await h.queues[0].next()).toEqual({ value: undefined, done: true });
  });

  it("makes a batch handed over one event per microtask (as the buses do) one burst", async () => {
    const h = harness();
    const fanout = new Fanout();
    const a = new Recorder();
    await fanout.join(h.args(), (drop) => ({ drop }), "k", a);
    for (let i = 1; i <= 20; i++) {
      h.queues[0].push(event(i));
      await Promise.resolve();
    }
    await settle();
    expect(a.bursts.map((b) => b.length)).toEqual([20]);
    fanout.close();
  });

  it("keeps different keys and private (resuming) subscribers apart", async () => {
    const h = harness();
    const fanout = new Fanout();
    await fanout.join(h.args(), (drop) => ({ drop }), "k1", new Recorder());
    await fanout.join(h.args(), (drop) => ({ drop }), "k2", new Recorder());
    await fanout.join(h.args(), (drop) => ({ drop }), null, new Recorder());
    await fanout.join(h.args(), (drop) => ({ drop }), null, new Recorder());
    expect(h.queues).toHaveLength(4);
    fanout.close();
  });

  it("drops a member that cannot keep up while the others get every event", async () => {
    const h = harness();
    const fanout = new Fanout();
    let budget = 1;
    const slow = new Recorder(() => budget-- > 0), fast = new Recorder();
    const ms = await fanout.join(h.args(), (drop) => ({ drop }), "k", slow);
    await fanout.join(h.args(), (drop) => ({ drop }), "k", fast);
    h.queues[0].push(event(1));
    await settle();
    h.queues[0].push(event(2));
    await settle();
    h.queues[0].push(event(3));
    await settle();
    expect(slow.dropped).toMatch(/too slow/);
    expect(slow.sequences).toEqual(["1", "2"]);
    expect(fast.sequences).toEqual(["1", "2", "3"]);
    // The dropped member's stream has ended; the group goes on for the other.
    expect(await (ms as Membership).next()).toEqual({ value: undefined, done: true });
    expect(fanout.stats.members).toBe(1);
    fanout.close();
  });

  it("drops the whole group when its own queue overflows", async () => {
    const h = harness();
    const fanout = new Fanout();
    const a = new Recorder(), b = new Recorder();
    await fanout.join(h.args(), (drop) => ({ drop }), "k", a);
    await fanout.join(h.args(), (drop) => ({ drop }), "k", b);
    for (let i = 1; i <= 60; i++) h.queues[0].push(event(i));
    expect(a.dropped).toBe("queue full");
    expect(b.dropped).toBe("queue full");
    expect(fanout.stats).toEqual({ groups: 0, members: 0 });
  });

  it("returns the errors that keep a subscription from starting, and starts nothing", async () => {
    const h = harness();
    const fanout = new Fanout();
    const r = (await fanout.join(h.args("subscription { ev(fail: true) { label } }"), (drop) => ({ drop }), "k", new Recorder())) as ExecutionResult;
    expect(r).not.toBeInstanceOf(Membership);
    expect(r.errors![0].extensions?.code).toBe("NOT_FOUND");
    expect(fanout.stats.groups).toBe(0);
  });

  it("delivers a replay only to the member it was started for, from the first event", async () => {
    const h = harness();
    const fanout = new Fanout();
    const a = new Recorder();
    const joining = fanout.join(h.args(), (drop) => ({ drop }), null, a);
    // Events already waiting when the group starts (a replay) are not lost before the member joins.
    await new Promise((r) => setImmediate(r));
    h.queues[0].push(event(1));
    await joining;
    h.queues[0].push(event(2));
    await settle();
    expect(a.sequences).toEqual(["1", "2"]);
    fanout.close();
  });

  it("fails every member's stream with the source's error", async () => {
    const h = harness();
    const fanout = new Fanout();
    const m = (await fanout.join(h.args(), (drop) => ({ drop }), "k", new Recorder())) as Membership;
    h.queues[0].fail(new Error("gap in the event stream"));
    await expect(m.next()).rejects.toThrow("gap in the event stream");
  });
});
