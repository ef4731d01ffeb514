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

/**
 * Per table, for the "sql" path: the generator record fields it takes, in column order. A
 * field's column is its name in snake_case (as the Prisma schema maps it).
 */
const COLUMNS: Record<Table, { table: string; fields: readonly string[] }> = {
  individuals: { table: `"individual"."individual"`, fields: ["idNumber", "name", "cityCode"] },
  qualifications: {
    table: `"individual"."professional_qualification"`,
    fields: ["idNumber", "title", "certificateNumber", "issuedBy", "issuedOn", "validUntil", "issuingCityCode"],
  },
  enterprises: {
    table: `"enterprise"."enterprise"`,
    fields: ["uscc", "name", "legalRepresentativeName", "legalRepresentativeId", "registeredCityCode", "registeredCapital", "establishedOn", "status", "industryCode", "address"],
  },
  licenses: {
    table: `"enterprise"."administrative_license"`,
    fields: ["uscc", "decisionNumber", "licenseName", "authority", "decidedOn", "validUntil", "content", "issuingCityCode"],
  },
  penalties: {
    table: `"enterprise"."administrative_penalty"`,
    fields: ["uscc", "decisionNumber", "authority", "decidedOn", "content", "fineAmount", "issuingCityCode", "publicityUntil"],
  },
};

/** The SQL type of each field that is not text (a field has one type in every table). */
const SQL_TYPES: Readonly<Record<string, string>> = {
  issuedOn: "date", validUntil: "date", establishedOn: "date", decidedOn: "date", publicityUntil: "date",
  registeredCapital: "numeric", fineAmount: "numeric", status: `"enterprise"."EnterpriseStatus"`,
};

const snakeCase = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const INSERT_SQL = Object.fromEntries(
  ORDER.map((t) => {
    const { table, fields } = COLUMNS[t];
    const target = fields.map((f) => `"${snakeCase(f)}"`).join(", ");
    const source = fields.map((f) => `"${f}"`).join(", ");
    const shape = fields.map((f) => `"${f}" ${SQL_TYPES[f] ?? "text"}`).join(", ");
    return [t, `INSERT INTO ${table} (${target}) SELECT ${source} FROM json_to_recordset($1::json) AS r(${shape}) ON CONFLICT DO NOTHING`];
  }),
) as Record<Table, string>;

/** Only the listed fields go into the JSON (drops `key`, nested qualifications, `severity`). */
const JSON_FIELDS = Object.fromEntries(ORDER.map((t) => [t, [...COLUMNS[t].fields]])) as Record<Table, string[]>;

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
  // Made only for the tables this batch has rows for (a reused representative brings none).
  const make: Record<Table, () => Prisma.PrismaPromise<Prisma.BatchPayload>> = {
    individuals: () => prisma.individual.createMany({ data: rows.individuals.map((p) => ({ idNumber: p.idNumber, name: p.name, cityCode: p.cityCode })), skipDuplicates: true }),
    qualifications: () => prisma.professionalQualification.createMany({
      data: rows.qualifications.map((q) => ({ ...q, issuedOn: date(q.issuedOn), validUntil: optionalDate(q.validUntil) })), skipDuplicates: true,
    }),
    enterprises: () => prisma.enterprise.createMany({ data: rows.enterprises.map((e) => ({ ...e, establishedOn: date(e.establishedOn) })), skipDuplicates: true }),
    licenses: () => prisma.administrativeLicense.createMany({
      data: rows.licenses.map((l) => ({ ...l, decidedOn: date(l.decidedOn), validUntil: optionalDate(l.validUntil) })), skipDuplicates: true,
    }),
    penalties: () => prisma.administrativePenalty.createMany({
      data: rows.penalties.map(({ severity: _severity, ...p }) => ({ ...p, decidedOn: date(p.decidedOn), publicityUntil: date(p.publicityUntil) })), skipDuplicates: true,
    }),
  };
  return ORDER.filter((t) => rows[t].length > 0).map((t) => [t, make[t]()]);
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
