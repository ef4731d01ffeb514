// The subscriptions bench's report: the workers' results totalled, what the figures point to
// (findings), and the JSON document with the notes that say how each figure was taken.
import { readFileSync } from "node:fs";
import type { BusProbe } from "./busProbe.js";
import { machine, round } from "./figures.js";
import { Histogram } from "./histogram.js";
import type { HubProcess } from "./hubProcess.js";
import type { HubSampler } from "./hubWatch.js";
import type { Publisher } from "./outboxPublisher.js";
import type { SubscriptionOptions } from "./subscriptionOptions.js";
import { expectedOf, type SubscriberResult, type WorkerResult } from "./subscriptionProtocol.js";

/** What the measured phase yields (subscriptions.ts). */
export interface Measurement {
  published: number;
  publishSec: number;
  /** Most events the publisher was behind its schedule at once. */
  maxBehind: number;
  perSecondPublished: number[];
  drain: { drained: boolean; drainUsedSec: number; stillArrivingPerSec: number };
  /** Publish + drain, seconds. */
  endSec: number;
  /** The hub's CPU time (ms) at the start, at the end of publishing, at the end. */
  hubCpu: { start: number | null; publishEnd: number | null; end: number | null };
  benchCpu: NodeJS.CpuUsage;
  hubRssEnd: number | null;
}

export interface Run {
  o: SubscriptionOptions;
  cities: string[] | null;
  loadAtStart: number[];
  hub: HubProcess;
  hubErrors: string[];
  connectSec: number;
  opened: number;
  warmSec: number;
  publisher: Publisher;
  m: Measurement;
  sampler: HubSampler;
  probe: BusProbe | null;
  results: WorkerResult[];
}

/** The relay's poll interval as the code in this checkout has it (for the report). */
function relayPollMs(): { pollMs: number | null; where: string } {
  try {
    const src = readFileSync(new URL("../events/relay.ts", import.meta.url), "utf8");
    const m = /this\.pollMs\s*=\s*opts\.pollMs\s*\?\?\s*(\d+)/.exec(src);
    const line = m ? src.slice(0, m.index).split("\n").length : 0;
    const passes = /startOutboxRelay\(\{[^}]*pollMs/.test(readFileSync(new URL("../subgraphs/lists/index.ts", import.meta.url), "utf8"));
    return { pollMs: m ? Number(m[1]) : null, where: `events/relay.ts:${line} default; subgraphs/lists/index.ts ${passes ? "sets pollMs" : "does not set pollMs (default used; no env setting)"}` };
  } catch {
    return { pollMs: null, where: "unknown" };
  }
}

const sum = (all: SubscriberResult[], f: (s: SubscriberResult) => number) => all.reduce((a, s) => a + f(s), 0);

function extreme(all: SubscriberResult[], f: (s: SubscriberResult) => number) {
  let min = Infinity, max = -Infinity;
  for (const s of all) {
    const v = f(s);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

const hubCores = (a: number | null, b: number | null, sec: number) => (a !== null && b !== null ? round((b - a) / 1000 / sec, 2) : null);

function totals(r: Run) {
  const latency = new Histogram();
  const perSecond: number[] = [];
  const all: SubscriberResult[] = [];
  for (const w of r.results) {
    latency.merge(w.latency);
    w.perSecond.forEach((n, i) => (perSecond[i] = (perSecond[i] ?? 0) + n));
    all.push(...w.subscribers);
  }
  const { published, publishSec } = r.m;
  const cities = r.cities;
  return {
    latency: latency.summary(),
    perSecond,
    all,
    live: all.filter((s) => !s.closed && !s.error),
    received: sum(all, (s) => s.received),
    expected: cities ? all.reduce((a, s) => a + expectedOf(published, cities.length, s.subscriber % cities.length), 0) : published * all.length,
    deliveredDuringPublish: perSecond.slice(0, Math.ceil(publishSec)).reduce((a, n) => a + n, 0),
  };
}
type Totals = ReturnType<typeof totals>;

/** Per close code and reason: how many, and when (seconds since measurement started); and the errors by message. */
function endings(all: SubscriberResult[]) {
  const closeCodes: Record<string, { count: number; firstAtSec: number; lastAtSec: number }> = {};
  for (const s of all) {
    if (!s.closed) continue;
    const key = `${s.closed.code} ${s.closed.reason}`.trim();
    const c = (closeCodes[key] ??= { count: 0, firstAtSec: s.closed.atSec, lastAtSec: s.closed.atSec });
    c.count++;
    c.firstAtSec = Math.min(c.firstAtSec, s.closed.atSec);
    c.lastAtSec = Math.max(c.lastAtSec, s.closed.atSec);
  }
  const errors: Record<string, number> = {};
  for (const s of all) if (s.error) errors[s.error] = (errors[s.error] ?? 0) + 1;
  return { closeCodes, errors };
}

function findings(r: Run, t: Totals, poll: ReturnType<typeof relayPollMs>): string[] {
  const { received, expected, all, latency: lat } = t;
  const { endSec, hubCpu } = r.m;
  const out: string[] = [];
  if (received < expected * 0.99) {
    out.push(
      `throughput: ${received} of ${expected} deliveries (${round((100 * received) / Math.max(1, expected), 1)}%) arrived by the end of the drain; ` +
        `the subscribers got ${round(received / endSec, 0)} deliveries/s against ${r.o.rate * all.length} offered (${r.o.rate} events/s x ${all.length}); ` +
        `hub CPU ${hubCores(hubCpu.start, hubCpu.end, endSec)} cores, ${r.m.drain.stillArrivingPerSec} deliveries/s still arriving at the end: the hub's fan-out is the bottleneck (a backlog in its subscriber queues, not drops) unless close codes say otherwise`,
    );
  }
  // Deliveries that stopped while events were still owed: not a backlog but a dead stream.
  const lastDeliverySec = t.perSecond.reduce((last, n, i) => (n > 0 ? i : last), -1);
  if (received < expected && lastDeliverySec >= 0 && lastDeliverySec + 3 < Math.floor(endSec)) {
    out.push(
      `delivery stopped: no deliveries after second ${lastDeliverySec} of ${Math.floor(endSec)} although ${expected - received} were still owed (${all.length - t.live.length} subscribers closed): the hub stopped delivering (hub.errors may say why)`,
    );
  }
  const health = r.sampler.health.summary();
  if (health.p99 > 100) {
    out.push(`event loop: GET /health on the hub took p50 ${health.p50} ms, p99 ${health.p99} ms, max ${health.max} ms during the run (${health.count} probes): every request to this hub waits that long meanwhile`);
  }
  const bus = r.probe?.latency.summary();
  if (bus && poll.pollMs && bus.count && bus.p50 > 2 * poll.pollMs) {
    out.push(`relay: commit-to-bus p50 ${bus.p50} ms, p99 ${bus.p99} ms (poll ${poll.pollMs} ms): the outbox relay runs late; it shares the hub's event loop with the fan-out`);
  }
  if (poll.pollMs && lat.p50 >= poll.pollMs * 0.3 && lat.p99 <= poll.pollMs * 2.5) {
    out.push(`latency: p50 ${lat.p50} ms / p99 ${lat.p99} ms with a ${poll.pollMs} ms outbox poll (${poll.where}): a commit waits on average half a poll before the relay reads it`);
  }
  return out;
}

function config(r: Run, poll: ReturnType<typeof relayPollMs>) {
  const { o, cities } = r;
  return {
    subscribers: o.subscribers, rate: o.rate, durationSec: o.durationSec, drainSec: o.drainSec, bus: o.bus, store: "postgres", workers: o.workerCount, withEntity: o.withEntity, client: o.client,
    query: cities ? `subscription { listEntryChanged(cities: ["<one of ${cities.join(", ")}>"]) ${o.selection} }` : o.query,
    filter: cities ? `per city: subscriber i follows cities[i mod ${cities.length}], event k is about cities[k mod ${cities.length}], so each gets 1/${cities.length} of the events` : "none: every subscriber gets every event",
    hubSubscriberQueue: o.queue, publisherTickMs: o.tickMs, warmupAtRateSec: o.warmupAtRateSec,
    relay: poll,
    ...machine(r.loadAtStart),
    hubStartSec: r.hub.startSec, connectSec: r.connectSec, warmupSec: r.warmSec,
  };
}

function delivery(r: Run, t: Totals) {
  const { all, received } = t;
  return {
    subscribersConnected: r.opened,
    subscribersLiveAtEnd: t.live.length,
    expectedDeliveries: t.expected,
    received,
    deliveredPerSec: round(received / r.m.publishSec, 1),
    deliveredPerSecDuringPublish: round(t.deliveredDuringPublish / r.m.publishSec, 1),
    offeredPerSec: r.cities ? r.o.rate * all.length / r.cities.length : r.o.rate * all.length,
    duplicates: sum(all, (s) => s.duplicates),
    lost: sum(all, (s) => s.lost),
    orderViolations: sum(all, (s) => s.orderViolations),
    sequenceViolations: sum(all, (s) => s.sequenceViolations),
    entityMissing: r.o.withEntity ? sum(all, (s) => s.entityMissing) : undefined,
    errorPayloads: r.results.reduce((a, w) => a + w.errorPayloads, 0),
    foreignEvents: r.results.reduce((a, w) => a + w.foreign, 0),
    drained: r.m.drain.drained, drainUsedSec: round(r.m.drain.drainUsedSec), stillArrivingPerSecAtEnd: r.m.drain.stillArrivingPerSec,
    perSubscriber: {
      received: extreme(all, (s) => s.received),
      lost: extreme(all, (s) => s.lost),
      duplicates: extreme(all, (s) => s.duplicates),
      subscribersWithLoss: all.filter((s) => s.lost > 0).length,
    },
    closedByServer: endings(all).closeCodes,
    errors: endings(all).errors,
    perSecond: t.perSecond,
  };
}

function hubAndClient(r: Run, received: number) {
  const { hubCpu, endSec, publishSec, benchCpu } = r.m;
  return {
    hub: {
      rssMiBMax: r.sampler.rssMax, rssMiBEnd: r.m.hubRssEnd, rssMiBTimeline: r.sampler.rssTimeline.filter((_, i) => i % 4 === 0),
      cpuCoresDuringPublish: hubCores(hubCpu.start, hubCpu.publishEnd, publishSec),
      cpuCoresOverall: hubCores(hubCpu.start, hubCpu.end, endSec),
      // Hub CPU per delivery over publish + drain: what one more subscriber x event costs.
      cpuUsPerDelivery: hubCpu.start !== null && hubCpu.end !== null && received ? round(((hubCpu.end - hubCpu.start) * 1000) / received, 1) : null,
      shutdown: r.hub.exit.value,
      staleRelayPosition: r.probe?.staleRelayPosition ?? null,
      errors: r.hubErrors,
    },
    client: {
      benchProcessCpuCores: round((benchCpu.user + benchCpu.system) / 1e6 / endSec, 2),
      workers: r.results.map((w) => ({ cpuCores: round(w.cpuMs / 1000 / endSec, 2), maxRssMiB: w.maxRssMiB })),
      // Subscriber-side CPU per delivery: whether the bench's own processes could take the offered load.
      cpuUsPerDelivery: received ? round((r.results.reduce((a, w) => a + w.cpuMs, 0) * 1000) / received, 1) : null,
    },
  };
}

const NOTES = [
  "commit time = the outbox row's occurred_at, set by clock_timestamp() in the INSERT that commits it (one statement, autocommit): it precedes the commit by under a millisecond (publisher.txLatencyMs is the whole round trip); receive time = the worker's clock when graphql-ws hands over the message; one machine, one clock",
  "lost = published events a subscriber had not received when the drain ended: with a backlog still arriving (stillArrivingPerSecAtEnd > 0) they are late, not dropped; closedByServer 4008 means the hub dropped a subscriber whose queue exceeded HUB_SUBSCRIBER_QUEUE",
  "duplicates = an event id delivered twice to one subscriber; orderViolations = an event delivered after one committed later (one publisher connection commits in index order); sequenceViolations = the bus sequence not increasing",
  "deliveredPerSec = unique deliveries over all subscribers / publish duration (includes those arriving in the drain); deliveredPerSecDuringPublish counts only those received while publishing",
  "commitToBus (redis/nats): the bench's own subscription to the same bus stream: the outbox relay's share of the latency; relayedPerSecond: this run's events reaching the bus per second (as far as the probe got); busProbe.duplicates: measured events the relay published more than once (subscribers should still see each once: the gateway drops repeated ids)",
  "hubHealthRequest: GET /health on the hub's gateway port every 250 ms during publish + drain: how long anything else waits for the hub's one event loop",
  "the hub runs the gateway, every subgraph and the relay on one event loop; the subscribers run in separate worker processes, the publisher in the bench process",
];

export function report(r: Run): unknown {
  const poll = relayPollMs();
  const t = totals(r);
  const { hub, client } = hubAndClient(r, t.received);
  const probe = r.probe;
  return {
    bench: "subscriptions",
    config: config(r, poll),
    publisher: {
      published: r.m.published, publishSec: round(r.m.publishSec), eventsPerSec: round(r.m.published / r.m.publishSec, 1),
      transactions: r.publisher.transactions, maxBehindEvents: r.m.maxBehind, txLatencyMs: r.publisher.txLatency.summary(),
      perSecond: r.m.perSecondPublished,
    },
    delivery: delivery(r, t),
    latencyMs: {
      commitToClient: t.latency,
      commitToBus: probe ? probe.latency.summary() : "not measurable for the in-process memory bus",
      hubHealthRequest: r.sampler.health.summary(),
    },
    relayedPerSecond: probe ? probe.perSecond : undefined,
    busProbe: probe ? { received: probe.latency.n, duplicates: probe.duplicates, ended: probe.error } : undefined,
    hub,
    client,
    findings: findings(r, t, poll),
    notes: NOTES,
  };
}
