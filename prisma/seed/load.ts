/**
 * Streams the deterministic generator into the store in batches.
 *
 * Each batch is one `prisma.$transaction([...])` of up to five inserts, in dependency
 * order: individuals, their qualifications, enterprises, licenses, penalties. A batch is
 * all-or-nothing; memory is bounded by the batch size (the generator keeps one counter
 * per city, nothing per record).
 *
 * Two ways to write a batch, same rows either way (load.test.ts compares them):
 * - "sql" (default): one `INSERT … SELECT … FROM json_to_recordset($1::json) … ON CONFLICT
 *   DO NOTHING` per table, the batch passed as a single JSON parameter. The statement text
 *   never changes, so Prisma compiles and caches one plan per table.
 * - "createMany": `createMany({ skipDuplicates: true })`. Prisma 7's query compiler does not
 *   parameterise the row values of createMany, so every batch is a query-plan cache miss:
 *   it compiles a new plan (slow: ~1,000 enterprises/s against PostgreSQL) and keeps it in
 *   the client's plan cache (1,000 entries by default; tens of MB per batch entry), so
 *   memory grows with the run (measured: +~15 MB retained per 1,000 enterprises). Kept
 *   for comparison and as the reference mapping the SQL path is tested against.
 *
 * Re-running with the same seed: both paths skip rows whose natural key exists (USCC,
 * ID number, (issuing city, decision / certificate number)); `skipDuplicates` is the same
 * ON CONFLICT DO NOTHING. So a second run inserts nothing and does not fail; it still
 * generates and sends every batch, and the BIGINT id sequences of the three record
 * tables advance, leaving gaps. A run with a larger `enterprises` adds only the tail,
 * since the stream for a seed does not depend on its length. The counts returned are
 * what the generator produced, whether or not the rows were already there; `inserted`
 * says what this run actually wrote.
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

export type SeedMethod = "sql" | "createMany";

export interface SeedOptions {
  enterprises: number;
  seed: number;
  batchSize?: number;
  /** Default "sql"; see the file comment. */
  method?: SeedMethod;
  /** Called after each committed batch with the number of enterprises done so far. */
  onProgress?: (done: number) => void;
}

type Table = keyof SeedCounts;
/** Dependency order: a row's references are inserted before it. */
const ORDER: readonly Table[] = ["individuals", "qualifications", "enterprises", "licenses", "penalties"];

/** [column, generator record field, SQL type] per table, for the "sql" path. */
const COLUMNS: Record<Table, { table: string; columns: ReadonlyArray<readonly [string, string, string]> }> = {
  individuals: {
    table: `"individual"."individual"`,
    columns: [["id_number", "idNumber", "text"], ["name", "name", "text"], ["city_code", "cityCode", "text"]],
  },
  qualifications: {
    table: `"individual"."professional_qualification"`,
    columns: [
      ["id_number", "idNumber", "text"], ["title", "title", "text"], ["certificate_number", "certificateNumber", "text"],
      ["issued_by", "issuedBy", "text"], ["issued_on", "issuedOn", "date"], ["valid_until", "validUntil", "date"],
      ["issuing_city_code", "issuingCityCode", "text"],
    ],
  },
  enterprises: {
    table: `"enterprise"."enterprise"`,
    columns: [
      ["uscc", "uscc", "text"], ["name", "name", "text"], ["legal_representative_name", "legalRepresentativeName", "text"],
      ["legal_representative_id", "legalRepresentativeId", "text"], ["registered_city_code", "registeredCityCode", "text"],
      ["registered_capital", "registeredCapital", "numeric"], ["established_on", "establishedOn", "date"],
      ["status", "status", `"enterprise"."EnterpriseStatus"`], ["industry_code", "industryCode", "text"], ["address", "address", "text"],
    ],
  },
  licenses: {
    table: `"enterprise"."administrative_license"`,
    columns: [
      ["uscc", "uscc", "text"], ["decision_number", "decisionNumber", "text"], ["license_name", "licenseName", "text"],
      ["authority", "authority", "text"], ["decided_on", "decidedOn", "date"], ["valid_until", "validUntil", "date"],
      ["content", "content", "text"], ["issuing_city_code", "issuingCityCode", "text"],
    ],
  },
  penalties: {
    table: `"enterprise"."administrative_penalty"`,
    columns: [
      ["uscc", "uscc", "text"], ["decision_number", "decisionNumber", "text"], ["authority", "authority", "text"],
      ["decided_on", "decidedOn", "date"], ["content", "content", "text"], ["fine_amount", "fineAmount", "numeric"],
      ["issuing_city_code", "issuingCityCode", "text"], ["publicity_until", "publicityUntil", "date"],
    ],
  },
};

const INSERT_SQL = Object.fromEntries(
  ORDER.map((t) => {
    const { table, columns } = COLUMNS[t];
    const target = columns.map(([col]) => `"${col}"`).join(", ");
    const source = columns.map(([, field]) => `"${field}"`).join(", ");
    const shape = columns.map(([, field, type]) => `"${field}" ${type}`).join(", ");
    return [t, `INSERT INTO ${table} (${target}) SELECT ${source} FROM json_to_recordset($1::json) AS r(${shape}) ON CONFLICT DO NOTHING`];
  }),
) as Record<Table, string>;

/** Only the listed fields go into the JSON (drops `key`, nested qualifications, `severity`). */
const JSON_FIELDS = Object.fromEntries(ORDER.map((t) => [t, COLUMNS[t].columns.map(([, field]) => field)])) as Record<Table, string[]>;

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

/** The batch's rows per table, as the generator produced them. */
function rowsOf(batch: GeneratedEnterprise[]) {
  const rows = {
    individuals: [] as GeneratedEnterprise["legalRepresentative"][],
    qualifications: [] as GeneratedEnterprise["legalRepresentative"]["qualifications"],
    enterprises: [] as GeneratedEnterprise["enterprise"][],
    licenses: [] as GeneratedEnterprise["licenses"],
    penalties: [] as GeneratedEnterprise["penalties"],
  };
  for (const g of batch) {
    // A reused legal representative was inserted with the enterprise that introduced
    // them (an earlier batch, or earlier in this one: individuals go first).
    if (g.legalRepresentativeIsNew) {
      rows.individuals.push(g.legalRepresentative);
      rows.qualifications.push(...g.legalRepresentative.qualifications);
    }
    rows.enterprises.push(g.enterprise);
    rows.licenses.push(...g.licenses);
    rows.penalties.push(...g.penalties);
  }
  return rows;
}
type Rows = ReturnType<typeof rowsOf>;

function sqlSteps(prisma: PrismaClient, rows: Rows): Array<[Table, Prisma.PrismaPromise<number>]> {
  return ORDER.filter((t) => rows[t].length > 0).map((t) => [t, prisma.$executeRawUnsafe(INSERT_SQL[t], JSON.stringify(rows[t], JSON_FIELDS[t]))]);
}

function createManySteps(prisma: PrismaClient, rows: Rows): Array<[Table, Prisma.PrismaPromise<Prisma.BatchPayload>]> {
  const steps: Array<[Table, Prisma.PrismaPromise<Prisma.BatchPayload>]> = [];
  if (rows.individuals.length) {
    steps.push(["individuals", prisma.individual.createMany({
      data: rows.individuals.map((p) => ({ idNumber: p.idNumber, name: p.name, cityCode: p.cityCode })),
      skipDuplicates: true,
    })]);
  }
  if (rows.qualifications.length) {
    steps.push(["qualifications", prisma.professionalQualification.createMany({
      data: rows.qualifications.map((q) => ({ ...q, issuedOn: date(q.issuedOn), validUntil: optionalDate(q.validUntil) })),
      skipDuplicates: true,
    })]);
  }
  steps.push(["enterprises", prisma.enterprise.createMany({
    data: rows.enterprises.map((e) => ({ ...e, establishedOn: date(e.establishedOn) })),
    skipDuplicates: true,
  })]);
  if (rows.licenses.length) {
    steps.push(["licenses", prisma.administrativeLicense.createMany({
      data: rows.licenses.map((l) => ({ ...l, decidedOn: date(l.decidedOn), validUntil: optionalDate(l.validUntil) })),
      skipDuplicates: true,
    })]);
  }
  if (rows.penalties.length) {
    steps.push(["penalties", prisma.administrativePenalty.createMany({
      data: rows.penalties.map(({ severity: _severity, ...p }) => ({ ...p, decidedOn: date(p.decidedOn), publicityUntil: date(p.publicityUntil) })),
      skipDuplicates: true,
    })]);
  }
  return steps;
}

export async function seedStore(prisma: PrismaClient, opts: SeedOptions): Promise<SeedSummary> {
  const batchSize = opts.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const method = opts.method ?? "sql";
  const produced = zero();
  const inserted = zero();
  let batch: GeneratedEnterprise[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const rows = rowsOf(batch);
    batch = [];
    // Sequential, in one transaction: all of the batch or none of it.
    if (method === "sql") {
      const steps = sqlSteps(prisma, rows);
      const results = await prisma.$transaction(steps.map(([, op]) => op));
      results.forEach((n, i) => (inserted[steps[i][0]] += n));
    } else {
      const steps = createManySteps(prisma, rows);
      const results = await prisma.$transaction(steps.map(([, op]) => op));
      results.forEach((r, i) => (inserted[steps[i][0]] += r.count));
    }
    for (const t of ORDER) produced[t] += rows[t].length;
    opts.onProgress?.(produced.enterprises);
  };

  for (const g of generateEnterprises({ seed: opts.seed, enterprises: opts.enterprises })) {
    batch.push(g);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return { ...produced, inserted };
}
