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

export async function syncFromRelational(
  store: GraphStore,
  prisma: PrismaClient,
  opts: { since?: Date; batchSize?: number; signal?: AbortSignal } = {},
): Promise<SyncResult> {
  const batchSize = opts.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  await store.init();
  const result: SyncResult = { nodes: 0, edges: 0, skipped: 0 };
  let after: string | undefined;
  // Stopped between batches when `signal` aborts (a hub shutting down): each batch is whole.
  while (!opts.signal?.aborted) {
    const batch: EnterpriseRow[] = await prisma.enterprise.findMany({
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
    if (batch.length === 0) break;
    after = batch[batch.length - 1].uscc;

    const enterprises = batch.filter((e) => checkUscc(e.uscc).ok);
    result.skipped += batch.length - enterprises.length;
    const repOf = new Map<string, string>();
    for (const e of enterprises) {
      const id = e.legalRepresentativeId?.trim().toUpperCase();
      if (id && checkIdNumber(id).ok) repOf.set(e.uscc, id);
    }
    const repIds = [...new Set(repOf.values())];
    const [people, existing] = await Promise.all([
      prisma.individual.findMany({ where: { idNumber: { in: repIds } }, select: { idNumber: true, name: true, cityCode: true } }),
      store.getNodes([...enterprises.map((e) => e.uscc), ...repIds]),
    ]);
    const personById = new Map(people.map((p) => [p.idNumber, p]));
    const flags = (id: string) => existing.get(id)?.riskFlags ?? [];

    const nodes: GraphNode[] = enterprises.map((e) => ({
      id: e.uscc, kind: "Enterprise", name: e.name, cityCode: e.registeredCityCode, riskFlags: flags(e.uscc),
    }));
    const named = new Map(enterprises.filter((e) => repOf.has(e.uscc)).map((e) => [repOf.get(e.uscc)!, e.legalRepresentativeName]));
    for (const id of repIds) {
      const p = personById.get(id);
      nodes.push({ id, kind: "Person", name: p?.name ?? named.get(id) ?? "", cityCode: p?.cityCode ?? null, riskFlags: flags(id) });
    }
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
