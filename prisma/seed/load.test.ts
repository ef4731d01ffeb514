import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { openStore, type Store } from "../../lib/db/store.js";
import { seedStore } from "./load.js";

describe("seedStore", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ kind: "embedded" });
  });
  afterAll(async () => {
    await store?.close();
  });

  async function tableCounts() {
    const p = store.prisma;
    const [enterprises, individuals, qualifications, licenses, penalties] = await Promise.all([
      p.enterprise.count(),
      p.individual.count(),
      p.professionalQualification.count(),
      p.administrativeLicense.count(),
      p.administrativePenalty.count(),
    ]);
    return { enterprises, individuals, qualifications, licenses, penalties };
  }

  it("loads 2,000 enterprises in batches, and a re-run adds nothing", async () => {
    const progress: number[] = [];
    const first = await seedStore(store.prisma, { enterprises: 2000, seed: 42, batchSize: 500, onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([500, 1000, 1500, 2000]);
    expect(first.enterprises).toBe(2000);
    expect(first.individuals).toBeGreaterThan(1600);
    expect(first.individuals).toBeLessThan(2000);
    expect(first.licenses).toBeGreaterThan(0);
    expect(first.penalties).toBeGreaterThan(0);
    const { inserted, ...produced } = first;
    expect(inserted).toEqual(produced);
    expect(await tableCounts()).toEqual(produced);

    // Same seed again: nothing new, no error, same generator counts.
    const second = await seedStore(store.prisma, { enterprises: 2000, seed: 42 });
    const { inserted: again, ...produced2 } = second;
    expect(produced2).toEqual(produced);
    expect(again).toEqual({ enterprises: 0, individuals: 0, licenses: 0, penalties: 0, qualifications: 0 });
    expect(await tableCounts()).toEqual(produced);
  });

  it("stores dates, decimals and references as generated", async () => {
    const e = await store.prisma.enterprise.findFirstOrThrow({ where: { penalties: { some: { fineAmount: { not: null } } } }, include: { penalties: true } });
    expect(e.establishedOn.toISOString()).toMatch(/T00:00:00.000Z$/);
    expect(e.registeredCapital.toFixed(2)).toMatch(/^\d+\.\d{2}$/);
    const rep = await store.prisma.individual.findUnique({ where: { idNumber: e.legalRepresentativeId! } });
    expect(rep?.name).toBe(e.legalRepresentativeName);
    const orphans = await store.prisma.$queryRawUnsafe<Array<{ n: number }>>(
      `select count(*)::int as n from enterprise.enterprise e left join individual.individual i on i.id_number = e.legal_representative_id where i.id_number is null`,
    );
    expect(orphans[0].n).toBe(0);
  });
});
