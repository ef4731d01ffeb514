/**
 * Streams the deterministic generator into the store in batches.
 *
 * Each batch is one `$transaction([...])` of five `createMany` statements, in
 * dependency order: individuals, their qualifications, enterprises, licenses,
 * penalties. A batch is all-or-nothing; memory is bounded by the batch size (the
 * generator keeps one counter per city, nothing per record).
 *
 * Re-running with the same seed: every `createMany` uses `skipDuplicates` (INSERT …
 * ON CONFLICT DO NOTHING), and every row has a natural unique key (USCC, ID number,
 * (issuing city, decision/certificate number)), so a second run inserts nothing and
 * does not fail. It still generates and sends every batch (same time as the first
 * run), and the BIGINT id sequences of the three record tables advance, leaving gaps.
 * A run with a larger `enterprises` adds only the tail, since the stream for a seed
 * does not depend on its length. The counts returned are what the generator produced,
 * whether or not the rows were already there; `inserted` says what was new.
 */
import type { PrismaClient, Prisma } from "../generated/client.js";
import { generateEnterprises, type GeneratedEnterprise } from "./generator.js";

export interface SeedCounts {
  enterprises: number;
  individuals: number;
  licenses: number;
  penalties: number;
  qualifications: number;
}

export interface SeedSummary extends SeedCounts {
  /** Rows actually written by this run (0 everywhere on a re-run). */
  inserted: SeedCounts;
}

export interface SeedOptions {
  enterprises: number;
  seed: number;
  batchSize?: number;
  /** Called after each committed batch with the number of enterprises done so far. */
  onProgress?: (done: number) => void;
}

/** `YYYY-MM-DD` → the UTC midnight Prisma writes to a DATE column. */
function date(iso: string): Date {
  return new Date(`${iso}T00:00:00.000Z`);
}
function optionalDate(iso: string | null): Date | null {
  return iso === null ? null : date(iso);
}

function zero(): SeedCounts {
  return { enterprises: 0, individuals: 0, licenses: 0, penalties: 0, qualifications: 0 };
}

export async function seedStore(prisma: PrismaClient, opts: SeedOptions): Promise<SeedSummary> {
  const batchSize = opts.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const produced = zero();
  const inserted = zero();
  let batch: GeneratedEnterprise[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const individuals: Prisma.IndividualCreateManyInput[] = [];
    const qualifications: Prisma.ProfessionalQualificationCreateManyInput[] = [];
    const enterprises: Prisma.EnterpriseCreateManyInput[] = [];
    const licenses: Prisma.AdministrativeLicenseCreateManyInput[] = [];
    const penalties: Prisma.AdministrativePenaltyCreateManyInput[] = [];
    for (const g of batch) {
      // A reused legal representative was inserted with the enterprise that introduced
      // them (an earlier batch, or earlier in this one: individuals go first).
      if (g.legalRepresentativeIsNew) {
        const p = g.legalRepresentative;
        individuals.push({ idNumber: p.idNumber, name: p.name, cityCode: p.cityCode });
        for (const q of p.qualifications) {
          qualifications.push({
            idNumber: q.idNumber,
            title: q.title,
            certificateNumber: q.certificateNumber,
            issuedBy: q.issuedBy,
            issuedOn: date(q.issuedOn),
            validUntil: optionalDate(q.validUntil),
            issuingCityCode: q.issuingCityCode,
          });
        }
      }
      const e = g.enterprise;
      enterprises.push({
        uscc: e.uscc,
        name: e.name,
        legalRepresentativeName: e.legalRepresentativeName,
        legalRepresentativeId: e.legalRepresentativeId,
        registeredCityCode: e.registeredCityCode,
        registeredCapital: e.registeredCapital,
        establishedOn: date(e.establishedOn),
        status: e.status,
        industryCode: e.industryCode,
        address: e.address,
      });
      for (const l of g.licenses) {
        licenses.push({
          uscc: l.uscc,
          decisionNumber: l.decisionNumber,
          licenseName: l.licenseName,
          authority: l.authority,
          decidedOn: date(l.decidedOn),
          validUntil: optionalDate(l.validUntil),
          content: l.content,
          issuingCityCode: l.issuingCityCode,
        });
      }
      for (const p of g.penalties) {
        penalties.push({
          uscc: p.uscc,
          decisionNumber: p.decisionNumber,
          authority: p.authority,
          decidedOn: date(p.decidedOn),
          content: p.content,
          fineAmount: p.fineAmount,
          issuingCityCode: p.issuingCityCode,
          publicityUntil: date(p.publicityUntil),
        });
      }
    }

    const steps: Array<[keyof SeedCounts, Prisma.PrismaPromise<Prisma.BatchPayload>]> = [];
    if (individuals.length) steps.push(["individuals", prisma.individual.createMany({ data: individuals, skipDuplicates: true })]);
    if (qualifications.length) steps.push(["qualifications", prisma.professionalQualification.createMany({ data: qualifications, skipDuplicates: true })]);
    steps.push(["enterprises", prisma.enterprise.createMany({ data: enterprises, skipDuplicates: true })]);
    if (licenses.length) steps.push(["licenses", prisma.administrativeLicense.createMany({ data: licenses, skipDuplicates: true })]);
    if (penalties.length) steps.push(["penalties", prisma.administrativePenalty.createMany({ data: penalties, skipDuplicates: true })]);

    // Sequential in one transaction: all of the batch or none of it.
    const results = await prisma.$transaction(steps.map(([, op]) => op));
    results.forEach((r, i) => (inserted[steps[i][0]] += r.count));

    produced.enterprises += enterprises.length;
    produced.individuals += individuals.length;
    produced.qualifications += qualifications.length;
    produced.licenses += licenses.length;
    produced.penalties += penalties.length;
    batch = [];
    opts.onProgress?.(produced.enterprises);
  };

  for (const g of generateEnterprises({ seed: opts.seed, enterprises: opts.enterprises })) {
    batch.push(g);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return { ...produced, inserted };
}
