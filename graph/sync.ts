/**
 * Feeds the graph from the relational registration records: an Enterprise node per
 * enterprise, a Person node per legal representative (法定代表人), and their
 * LEGAL_REPRESENTATIVE_OF edges (source city = the registration city).
 *
 * No `since`: every enterprise (a full pass; nothing is deleted, since other sources,
 * the cities' 数据清单 and the demo structures, write edges the relational side knows
 * nothing of). With `since`: the enterprises with `updatedAt >= since`.
 *
 * The relational record holds only the current representative, so the history is kept
 * here: the first edge starts on `establishedOn`; when the representative differs from
 * the open edge's person, that edge is closed on the day of the change (the record's
 * `updatedAt`, UTC) and the new one opens on it. Re-running changes nothing (MERGE keys
 * are stable; an open edge from the current representative is left as it is), so
 * `counts()` stays the same. Risk flags already on a node are kept (other feeds own them).
 */
import { checkIdNumber, checkUscc } from "../lib/ids/index.js";
import type { PrismaClient } from "../prisma/store.js";
import type { GraphEdge, GraphNode, GraphStore } from "./types.js";

export interface SyncResult {
  /** Nodes written (upserted) by this run. */
  nodes: number;
  /** Edges written: new, refreshed, or closed. */
  edges: number;
  /** Added: enterprises left out because their USCC fails the check (reported in data quality). */
  skipped: number;
}

const DAY_MS = 86_400_000;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function nextDay(iso: string): string {
  return isoDay(new Date(Date.parse(`${iso}T00:00:00Z`) + DAY_MS));
}

type EnterpriseRow = {
  uscc: string;
  name: string;
  legalRepresentativeId: string | null;
  legalRepresentativeName: string;
  registeredCityCode: string;
  establishedOn: Date;
  updatedAt: Date;
};

/** The LEGAL_REPRESENTATIVE_OF edges to write for one enterprise, given the stored ones. */
export function legalRepresentativeEdges(e: EnterpriseRow, repId: string, stored: readonly GraphEdge[]): GraphEdge[] {
  const open = stored.filter((x) => (x.validTo ?? null) === null);
  const current = open.find((x) => x.from === repId);
  const change = isoDay(e.updatedAt);
  // validTo must come after validFrom: a change on the start day closes the edge the next day.
  const closeAt = (x: GraphEdge) => (change > x.validFrom ? change : nextDay(x.validFrom));
  const out: GraphEdge[] = open
    .filter((x) => x !== current)
    .map((x) => ({ ...x, validTo: closeAt(x) }));
  if (current) {
    if (current.cityCode !== e.registeredCityCode) out.push({ ...current, cityCode: e.registeredCityCode });
  } else {
    const validFrom = stored.length === 0 ? isoDay(e.establishedOn) : out.reduce((d, x) => (x.validTo! > d ? x.validTo! : d), change);
    out.push({ type: "LEGAL_REPRESENTATIVE_OF", from: repId, to: e.uscc, cityCode: e.registeredCityCode, validFrom, validTo: null });
  }
  return out;
}

/** One batch of enterprises read from the relational store, with their representatives. */
interface Batch {
  enterprises: EnterpriseRow[];
  /** Read but left out: the USCC fails its check. */
  skipped: number;
  /** USCC → the representative's (valid) ID number. */
  repOf: Map<string, string>;
  repIds: string[];
  /** The representative's node, given the flags it carries now. */
  person(id: string, flags: readonly string[]): GraphNode;
}

/** The enterprises (all, or updated since `since`) in USCC order, `batchSize` at a time; stops when `signal` aborts. */
async function* enterpriseBatches(
  prisma: PrismaClient,
  opts: { since?: Date; batchSize?: number; signal?: AbortSignal },
): AsyncGenerator<Batch> {
  const batchSize = opts.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  let after: string | undefined;
  while (!opts.signal?.aborted) {
    const rows: EnterpriseRow[] = await prisma.enterprise.findMany({
      where: {
        ...(opts.since ? { updatedAt: { gte: opts.since } } : {}),
        ...(after !== undefined ? { uscc: { gt: after } } : {}),
      },
      orderBy: { uscc: "asc" },
      take: batchSize,
      select: {
        uscc: true, name: true, legalRepresentativeId: true, legalRepresentativeName: true,
        registeredCityCode: true, establishedOn: true, updatedAt: true,
      },
    });
    if (rows.length === 0) return;
    after = rows[rows.length - 1].uscc;
    const enterprises = rows.filter((e) => checkUscc(e.uscc).ok);
    const repOf = new Map<string, string>();
    for (const e of enterprises) {
      const id = e.legalRepresentativeId?.trim().toUpperCase();
      if (id && checkIdNumber(id).ok) repOf.set(e.uscc, id);
    }
    const repIds = [...new Set(repOf.values())];
    const people = await prisma.individual.findMany({ where: { idNumber: { in: repIds } }, select: { idNumber: true, name: true, cityCode: true } });
    const personById = new Map(people.map((p) => [p.idNumber, p]));
    const named = new Map(enterprises.filter((e) => repOf.has(e.uscc)).map((e) => [repOf.get(e.uscc)!, e.legalRepresentativeName]));
    const person = (id: string, flags: readonly string[]): GraphNode => {
      const p = personById.get(id);
      return { id, kind: "Person", name: p?.name ?? named.get(id) ?? "", cityCode: p?.cityCode ?? null, riskFlags: [...flags] };
    };
    yield { enterprises, skipped: rows.length - enterprises.length, repOf, repIds, person };
  }
}

function enterpriseNode(e: EnterpriseRow, flags: readonly string[]): GraphNode {
  return { id: e.uscc, kind: "Enterprise", name: e.name, cityCode: e.registeredCityCode, riskFlags: [...flags] };
}

/**
 * Upserts, batch by batch, what the relational records say into a graph that may already
 * hold it (the incremental path; a full pass when `since` is not given).
 */
export async function syncFromRelational(
  store: GraphStore,
  prisma: PrismaClient,
  opts: { since?: Date; batchSize?: number; signal?: AbortSignal } = {},
): Promise<SyncResult> {
  await store.init();
  const result: SyncResult = { nodes: 0, edges: 0, skipped: 0 };
  // Stopped between batches when `signal` aborts (a hub shutting down): each batch is whole.
  for await (const { enterprises, skipped, repOf, repIds, person } of enterpriseBatches(prisma, opts)) {
    result.skipped += skipped;
    const existing = await store.getNodes([...enterprises.map((e) => e.uscc), ...repIds]);
    const flags = (id: string) => existing.get(id)?.riskFlags ?? [];
    const nodes: GraphNode[] = enterprises.map((e) => enterpriseNode(e, flags(e.uscc)));
    for (const id of repIds) nodes.push(person(id, flags(id)));
    await store.upsertNodes(nodes);
    result.nodes += nodes.length;

    const storedTo = new Map<string, GraphEdge[]>();
    for (const x of await store.getEdges({ to: [...repOf.keys()], type: "LEGAL_REPRESENTATIVE_OF" })) {
      storedTo.set(x.to, [...(storedTo.get(x.to) ?? []), x]);
    }
    const edges: GraphEdge[] = [];
    for (const e of enterprises) {
      const repId = repOf.get(e.uscc);
      if (repId) edges.push(...legalRepresentativeEdges(e, repId, storedTo.get(e.uscc) ?? []));
    }
    await store.upsertEdges(edges);
    result.edges += edges.length;
  }
  return result;
}

class SyncAborted extends Error {}

/**
 * The same graph as a full `syncFromRelational` into an empty store, through `bulkLoad`:
 * two passes over the records (every node, then every edge), nothing compared with what is
 * stored. The per-batch reads of the upsert path cost a scan of the graph each in kuzu, which
 * made a first sync of 1,000,000 enterprises run for more than 18 minutes. An abort drops
 * what was staged; the graph stays empty.
 */
export async function bulkFromRelational(
  store: GraphStore,
  prisma: PrismaClient,
  opts: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<SyncResult> {
  const result: SyncResult = { nodes: 0, edges: 0, skipped: 0 };
  const checked = (signal?: AbortSignal) => {
    if (signal?.aborted) throw new SyncAborted("sync stopped");
  };
  async function* nodes(): AsyncGenerator<GraphNode> {
    const people = new Set<string>();
    for await (const b of enterpriseBatches(prisma, opts)) {
      result.skipped += b.skipped;
      for (const e of b.enterprises) yield enterpriseNode(e, []);
      for (const id of b.repIds) {
        if (people.has(id)) continue;
        people.add(id);
        yield b.person(id, []);
      }
    }
    checked(opts.signal);
  }
  async function* edges(): AsyncGenerator<GraphEdge> {
    for await (const b of enterpriseBatches(prisma, opts)) {
      for (const e of b.enterprises) {
        const repId = b.repOf.get(e.uscc);
        if (repId) yield* legalRepresentativeEdges(e, repId, []);
      }
    }
    checked(opts.signal);
  }
  try {
    const loaded = await store.bulkLoad({ nodes: nodes(), edges: edges() });
    return { ...result, ...loaded };
  } catch (err) {
    if (err instanceof SyncAborted) return { nodes: 0, edges: 0, skipped: result.skipped };
    throw err;
  }
}

/** Graph meta key: from when the next catch-up reads the relational records (ISO instant). */
export const SYNC_SINCE = "relational-sync-since";
/**
 * How far before its start a run's watermark is put: a record written by a transaction that
 * began before the run (or on a host whose clock is behind) is read again, never missed.
 * Reading a record twice changes nothing.
 */
const WATERMARK_SLACK_MS = 60_000;

/**
 * What a hub runs at start and then periodically: an empty graph is bulk-loaded; otherwise the
 * records updated since the last run's watermark (kept in the graph itself, so a restarted hub
 * does not redo a full pass) are upserted; no watermark means one full upsert pass. A run cut
 * short by `signal` leaves the watermark where it was.
 */
export async function catchUpFromRelational(
  store: GraphStore,
  prisma: PrismaClient,
  opts: { batchSize?: number; signal?: AbortSignal; now?: () => Date } = {},
): Promise<SyncResult & { mode: "bulk" | "full" | "incremental" }> {
  await store.init();
  const started = (opts.now ?? (() => new Date()))();
  const empty = (await store.counts()).nodes === 0;
  const stored = empty ? null : await store.readMeta(SYNC_SINCE);
  const since = stored === null ? undefined : new Date(stored);
  const mode = empty ? "bulk" : since ? "incremental" : "full";
  const r = empty ? await bulkFromRelational(store, prisma, opts) : await syncFromRelational(store, prisma, { ...opts, since });
  if (!opts.signal?.aborted) await store.writeMeta(SYNC_SINCE, new Date(started.getTime() - WATERMARK_SLACK_MS).toISOString());
  return { ...r, mode };
}
