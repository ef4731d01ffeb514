import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import WebSocket from "ws";
import { createClient, type Client } from "graphql-ws/client";
import { Redis } from "ioredis";
import { connect } from "nats";
import { startTestHub, tokenFor, type TestHub, type TokenClaims } from "./support.js";
import { SERVICES, requireServices } from "./services.js";

await requireServices("redis", "nats");

interface Event { id: string; sequence: string; city: { code: string }; toState?: string | null; entry?: Record<string, unknown> | null }

const YULIN: TokenClaims = { city: "610800", sub: "yulin-credit", scopes: ["credit:read", "lists:write"] };

/** A real graphql-ws client on the gateway's port; collects events until told to stop. */
function wsClient(hub: TestHub, claims: TokenClaims = {}): Client {
  return createClient({
    url: hub.url.replace("http", "ws"),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: async () => ({ authorization: `Bearer ${await tokenFor(claims)}` }),
  });
}

function collect(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const events: Event[] = [];
  const errors: unknown[] = [];
  const dispose = client.subscribe<Record<string, Event>>({ query, variables }, {
    next: (r) => { if (r.errors) errors.push(r.errors); if (r.data) events.push(Object.values(r.data)[0]); },
    // A close arrives as ws's CloseEvent, whose fields JSON.stringify does not show.
    error: (e) => errors.push(e instanceof Error ? e.message : { code: (e as { code?: number }).code, reason: (e as { reason?: string }).reason }),
    complete: () => undefined,
  });
  return { events, errors, dispose };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every bus the hub can run on: in-process, Redis Streams and NATS JetStream on loopback. */
const BUSES = [
  ["in-process", {}],
  ["Redis Streams", { redisUrl: SERVICES.redis.url }],
  ["NATS JetStream", { natsUrl: SERVICES.nats.url }],
] as const;

/** Each run has its own stream, removed afterwards, so runs never see each other's events. */
async function dropStream(cfg: { redisUrl?: string; natsUrl?: string }, name: string): Promise<void> {
  if (cfg.redisUrl) {
    const redis = new Redis(cfg.redisUrl);
    await redis.del(name);
    redis.disconnect();
  }
  if (cfg.natsUrl) {
    const nc = await connect({ servers: cfg.natsUrl });
    await (await nc.jetstreamManager()).streams.delete(name).catch(() => false);
    await nc.close();
  }
}

describe.each(BUSES)("subscriptions through the gateway on the %s bus", (_bus, busConfig) => {
  const streamName = `hub-test-${process.pid}-${Date.now()}`;
  let hub: TestHub;
  let firms: Array<{ uscc: string; name: string; registeredCityCode: string }>;
  let n = 0;
  const recognize = (uscc: string, as: TokenClaims = YULIN) => hub.query<{ recognizeListEntry: { id: string } }>(
    `mutation($i: RecognizeListEntryInput!) { recognizeListEntry(input: $i) { id } }`,
    { i: { subject: uscc, listType: "SERIOUS_DISHONESTY", field: "税务", authority: "税务局", severity: "SERIOUS", basis: { type: "ADMINISTRATIVE_PENALTY", referenceNumber: `SUB-${++n}`, decidedOn: "2026-06-01" } } }, { as });

  beforeAll(async () => {
    hub = await startTestHub("embedded", 5, 31, {}, { events: { ...busConfig, streamName, subjectPrefix: `hubtest.${streamName}`, maxQueue: 5000 } });
    firms = await hub.store.prisma.enterprise.findMany({ orderBy: { uscc: "asc" }, take: 10 });
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    await dropStream(busConfig, streamName);
  });

  it("delivers a new list entry with fields from other subgraphs, filtered by city", async () => {
    const client = wsClient(hub);
    const sub = collect(client, `subscription { listEntryChanged(cities: ["610800"]) { id sequence city { code } toState
      entry { id state issuingCity { name } subject { __typename ... on Enterprise { uscc name registeredCity { name } } } } } }`);
    await hub.untilSubscribers(1);
    const r = await recognize(firms[0].uscc);
    expect(r.errors).toBeUndefined();
    await recognize(firms[1].uscc, { city: "640100", sub: "yinchuan", scopes: ["credit:read", "lists:write"] });
    await until(() => sub.events.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.errors).toEqual([]);
    const mine = sub.events.filter((e) => (e.entry as { id: string }).id === r.data!.recognizeListEntry.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ city: { code: "610800" }, toState: "RECOGNISED", entry: { state: "RECOGNISED", issuingCity: { name: "榆林市" }, subject: { __typename: "Enterprise", uscc: firms[0].uscc, name: firms[0].name } } });
    expect(sub.events.every((e) => e.city.code === "610800")).toBe(true);
    sub.dispose();
    await client.dispose();
  });

  it("resumes after a disconnect with exactly the missed events, in order", async () => {
    // Generous waits: CI runs two suites at once on two cores.
    // Only the test's own synthetic events (a list type nothing else here uses): the hub's real events may arrive meanwhile.
    const query = `subscription($after: String) { listEntryChanged(after: $after, types: [FALSE_LITIGATION]) { id sequence } }`;
    const first = wsClient(hub);
    const a = collect(first, query);
    await hub.untilSubscribers(1);
    const publish = (count: number, from: number) => hub.bus.publish(Array.from({ length: count }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(from + i).padStart(12, "0")}`, stream: "lists", type: "ListEntryChanged", entityId: "1", city: "610800", occurredAt: new Date().toISOString(), payload: { id: 1, from: "RECOGNISED", to: "PUBLISHED", listType: "FALSE_LITIGATION", subject: "91110000600037341L", subjectKind: "ENTERPRISE" },
    })));
    await publish(10, 0);
    await until(() => a.events.length === 10).catch((e) => { throw new Error(`${e.message}: a=${a.events.length} errors=${JSON.stringify(a.errors).slice(0, 500)}`); });
    const last = a.events[9].sequence;
    a.dispose();
    await first.dispose();
    await publish(1000, 10);
    const second = wsClient(hub);
    const b = collect(second, query, { after: last });
    await until(() => b.events.length >= 1000, 45_000).catch((e) => { throw new Error(`${e.message}: a=${a.events.length} b=${b.events.length} errors=${JSON.stringify([a.errors, b.errors]).slice(0, 500)}`); });
    await new Promise((r) => setTimeout(r, 200));
    expect(b.events).toHaveLength(1000);
    expect(b.events.map((e) => e.id)).toEqual(Array.from({ length: 1000 }, (_, i) => `00000000-0000-4000-8000-${String(10 + i).padStart(12, "0")}`));
    const seqs = b.events.map((e) => BigInt(e.sequence));
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1])).toBe(true);
    expect(seqs[0] > BigInt(last)).toBe(true);
    b.dispose();
    await second.dispose();
  });

  it("streams over SSE with the sequence as event id, and resumes from Last-Event-ID", async () => {
    const token = await tokenFor();
    const open = (lastEventId?: string) => fetch(hub.url.replace("/graphql", "/graphql/stream"), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}`, ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
      body: JSON.stringify({ query: "subscription { listEntryChanged(types: [FALSE_LITIGATION]) { id sequence toState } }" }),
    });
    const read = async (res: Response, count: number) => {
      const reader = res.body!.getReader();
      let text = "";
      const ids: string[] = [];
      while (ids.length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
        let cut;
        while ((cut = text.indexOf("\n\n")) >= 0) {
          const block = text.slice(0, cut);
          text = text.slice(cut + 2);
          const id = /^id: (\d+)$/m.exec(block)?.[1];
          if (id && /^event: next$/m.test(block)) ids.push(id);
        }
      }
      await reader.cancel();
      return ids;
    };
    const res = await open();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    await hub.untilSubscribers(1);
    const publish = (ids: number[]) => hub.bus.publish(ids.map((i) => ({
      id: `00000000-0000-4000-9000-${String(i).padStart(12, "0")}`, stream: "lists", type: "ListEntryChanged", entityId: "1", city: "620100", occurredAt: new Date().toISOString(), payload: { id: 1, from: "PUBLISHED", to: "EXITED", listType: "FALSE_LITIGATION", subject: "91110000600037341L", subjectKind: "ENTERPRISE" },
    })));
    await publish([1, 2, 3]);
    const got = await read(res, 3);
    expect(got).toHaveLength(3);
    await publish([4, 5]);
    const resumed = await read(await open(got[2]), 2);
    expect(resumed).toHaveLength(2);
    expect(BigInt(resumed[0]) > BigInt(got[2])).toBe(true);
    // Both clients went away: the gateway let both subscriptions go (it once kept them, waiting on the request's close).
    await hub.untilSubscribers(0);
  });

  it("refuses a connection without a valid token", async () => {
    const ws = new WebSocket(hub.url.replace("http", "ws"), "graphql-transport-ws");
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "connection_init", payload: { authorization: "Bearer not-a-token" } }));
    const [code, reason] = await new Promise<[number, string]>((r) => ws.once("close", (c, why) => r([c, why.toString()])));
    expect(code).toBe(4401);
    expect(reason).toContain("invalid token");
  });

  it("closes the connection when the token expires", async () => {
    const client = createClient({
      url: hub.url.replace("http", "ws"), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0,
      connectionParams: async () => ({ authorization: `Bearer ${await tokenFor({ ttl: "2s" })}` }),
    });
    const closed = new Promise<number>((r) => client.on("closed", (e) => r((e as { code: number }).code)));
    collect(client, "subscription { listEntryChanged { id } }");
    expect(await closed).toBe(4401);
    await client.dispose();
  });

  it("ends an SSE stream when its token expires, as a WebSocket closes with 4401", async () => {
    const res = await fetch(hub.url.replace("/graphql", "/graphql/stream"), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${await tokenFor({ ttl: "2s" })}` },
      body: JSON.stringify({ query: "subscription { listEntryChanged { id } }" }),
    });
    expect(res.status).toBe(200);
    // The whole body: it ends only when the gateway ends the stream.
    const text = await res.text();
    expect(text).toContain('"code":"UNAUTHENTICATED"');
    expect(text).toContain("token expired");
    expect(text.trimEnd().endsWith("event: complete\ndata:")).toBe(true);
    await hub.untilSubscribers(0);
  });

  it("refuses a subscription selecting a field the caller's role may not see", async () => {
    const client = wsClient(hub, { role: "hotline-12345", scopes: ["credit:read"] });
    const sub = collect(client, `subscription { listEntryChanged { entry { subject { ... on Individual { idNumber } } } } }`);
    await until(() => sub.errors.length > 0);
    expect(JSON.stringify(sub.errors)).toContain("Individual.idNumber");
    expect(JSON.stringify(sub.errors)).toContain("FORBIDDEN");
    sub.dispose();
    await client.dispose();
  });

  it("masks personal data in event payloads for callers without personal:read", async () => {
    const client = wsClient(hub);
    const sub = collect(client, `subscription { listEntryChanged { entry { subject { ... on Individual { idNumber name } } } } }`);
    await hub.untilSubscribers(1);
    const person = (await hub.store.prisma.individual.findFirstOrThrow()).idNumber;
    const r = await hub.query(`mutation($i: RecognizeListEntryInput!) { recognizeListEntry(input: $i) { id } }`,
      { i: { subject: person, listType: "MARKET_BAN", field: "证券", authority: "市场监管局", severity: "SERIOUS", basis: { type: "ADMINISTRATIVE_PENALTY", referenceNumber: "SUB-P-1", decidedOn: "2026-06-01" } } }, { as: YULIN });
    expect(r.errors).toBeUndefined();
    await until(() => sub.events.some((e) => (e.entry as { subject?: { idNumber?: string } })?.subject?.idNumber));
    const ev = sub.events.find((e) => (e.entry as { subject?: { idNumber?: string } })?.subject?.idNumber)!;
    expect((ev.entry as { subject: { idNumber: string } }).subject.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(JSON.stringify(sub.events)).not.toContain(person);
    sub.dispose();
    await client.dispose();
  });
});
