import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { openStore, type Store } from "../store.js";
import type { PrismaClient } from "../generated/client.js";
import { seedStore } from "./load.js";

async function tableCounts(p: PrismaClient) {
  const [enterprises, individuals, qualifications, licenses, penalties] = await Promise.all([
    p.enterprise.count(),
    p.individual.count(),
    p.professionalQualification.count(),
    p.administrativeLicense.count(),
    p.administrativePenalty.count(),
  ]);
  return { enterprises, individuals, qualifications, licenses, penalties };
}

/** Every table's rows for the given enterprises, without generated ids and timestamps, in a stable order. */
async function dump(p: PrismaClient, usccs: string[]) {
  const enterprises = await p.enterprise.findMany({
    where: { uscc: { in: usccs } },
    omit: { createdAt: true, updatedAt: true },
    include: {
      licenses: { omit: { id: true }, orderBy: { decisionNumber: "asc" } },
      penalties: { omit: { id: true }, orderBy: { decisionNumber: "asc" } },
    },
    orderBy: { uscc: "asc" },
  });
  const ids = [...new Set(enterprises.map((e) => e.legalRepresentativeId!))];
  const individuals = await p.individual.findMany({
    where: { idNumber: { in: ids } },
    omit: { createdAt: true, updatedAt: true },
    include: { qualifications: { omit: { id: true }, orderBy: { certificateNumber: "asc" } } },
    orderBy: { idNumber: "asc" },
  });
  // Decimal objects compare by their text.
  return JSON.parse(JSON.stringify({ enterprises, individuals }));
}

describe("seedStore", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ kind: "embedded" });
  });
  afterAll(async () => {
    await store?.close();
  });

  it("loads 2,000 enterprises in batches, and a re-run with the same seed adds nothing", async () => {
    const progress: number[] = [];
    const first = await seedStore(store.prisma, { enterprises: 2000, seed: 42, batchSize: 500, onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([500, 1000, 1500, 2000]);
    expect(first.enterprises).toBe(2000);
    expect(first.individuals).toBeGreaterThan(1600);
    expect(first.individuals).toBeLessThan(2000);
    expect(first.licenses).toBeGreaterThan(0);
    expect(first.penalties).toBeGreaterThan(0);
    expect(first.qualifications).toBeGreaterThan(0);
    const { inserted, ...produced } = first;
    expect(inserted).toEqual(produced);
    expect(await tableCounts(store.prisma)).toEqual(produced);

    const second = await seedStore(store.prisma, { enterprises: 2000, seed: 42 });
    const { inserted: again, ...produced2 } = second;
    expect(produced2).toEqual(produced);
    expect(again).toEqual({ enterprises: 0, individuals: 0, licenses: 0, penalties: 0, qualifications: 0 });
    expect(await tableCounts(store.prisma)).toEqual(produced);
  });

  it("references only stored legal representatives, and stores dates and decimals as generated", async () => {
    const orphans = await store.prisma.$queryRawUnsafe<Array<{ n: number }>>(
      `select count(*)::int as n from enterprise.enterprise e
       left join individual.individual i on i.id_number = e.legal_representative_id where i.id_number is null`,
    );
    expect(orphans[0].n).toBe(0);
    const e = await store.prisma.enterprise.findFirstOrThrow({
      where: { penalties: { some: { fineAmount: { not: null } } } },
      include: { penalties: true },
    });
    expect(e.establishedOn.toISOString()).toMatch(/T00:00:00\.000Z$/);
    expect(e.registeredCapital.toFixed(2)).toMatch(/^\d+\.\d{2}$/);
  });

  it("writes the same rows through createMany as through SQL", async () => {
    const other = await openStore({ kind: "embedded" });
    try {
      const { inserted, ...counts } = await seedStore(other.prisma, { enterprises: 300, seed: 42, batchSize: 100, method: "createMany" });
      expect(inserted).toEqual(counts);
      expect(await tableCounts(other.prisma)).toEqual(counts);
      const usccs = (await other.prisma.enterprise.findMany({ select: { uscc: true } })).map((r) => r.uscc);
      expect(usccs).toHaveLength(300);
      // The SQL-seeded store holds the same first 300 enterprises (the stream does not depend on its length).
      const viaSql = await dump(store.prisma, usccs);
      expect(viaSql.enterprises).toHaveLength(300);
      expect(viaSql.individuals.length).toBe(counts.individuals);
      expect(await dump(other.prisma, usccs)).toEqual(viaSql);
    } finally {
      await other.close();
    }
  });
});
