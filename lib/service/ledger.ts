/**
 * Tamper evidence that holds against someone with SQL write access (F62): the rows of a
 * tamper-evident table (list history, query registrations) are sealed in ranges, each seal a
 * digest of the rows as stored, chained to the table's previous seal and keyed (HMAC-SHA256)
 * with a key the database never holds; each seal is also appended to a file outside the
 * database (the anchor). Edited, inserted or deleted rows in a sealed range, a rewritten seal
 * chain and deleted newest seals are all seen by `verify`. Rows wait a few seconds before they
 * are sealed (HUB_SEAL_SECONDS): that, and only that, is the window.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { PrismaClient } from "../../prisma/store.js";

/** A table whose rows are sealed: `schema.table` with a bigint `id` that only grows. */
export interface SealedTable {
  table: string;
}

export interface LedgerOptions {
  /** HMAC key (HUB_LEDGER_KEY); the database never holds it. */
  key: string;
  /** The anchor: a file outside the database, appended to at every seal (put it on storage the database's administrators cannot rewrite). */
  anchorFile: string;
}

export interface LedgerReport {
  table: string;
  valid: boolean;
  sealedRows: number;
  /** The last row id sealed (null: nothing sealed yet). */
  sealedUpTo: string | null;
  problems: string[];
}

const GENESIS = "0".repeat(64);
const TABLE_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;
/** Transactions in progress in this database that hold row ids (their xids). */
const OPEN_HERE =
  "SELECT coalesce(array_agg(backend_xid::text), '{}') AS xids FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL";
const STILL_RUNNING =
  "SELECT count(*)::int AS running FROM pg_stat_activity WHERE datname = current_database() AND backend_xid::text = ANY($1::text[])";

interface SealRow { id: bigint; tableName: string; fromId: bigint; toId: bigint; rows: number; digest: string; prevMac: string; mac: string }

function checkTable(table: string): string {
  if (!TABLE_NAME.test(table)) throw new Error(`ledger: '${table}' is not a schema.table name`);
  return table;
}

/** The digest of rows as stored: their ids and their text, in id order. */
function digestOf(rows: Array<{ id: string; row: string }>): string {
  const h = createHash("sha256");
  for (const r of rows) h.update(`${r.id}\t${r.row}\n`);
  return h.digest("hex");
}

const sealMac = (key: string, s: Omit<SealRow, "id" | "mac">) =>
  createHmac("sha256", key).update([s.tableName, s.fromId, s.toId, s.rows, s.digest, s.prevMac].join("|")).digest("hex");

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

async function rowsBetween(prisma: PrismaClient, table: string, from: bigint, to: bigint): Promise<Array<{ id: string; row: string }>> {
  return prisma.$queryRawUnsafe(`SELECT id::text AS id, t::text AS row FROM ${table} t WHERE id >= $1::bigint AND id <= $2::bigint ORDER BY id`, String(from), String(to));
}

/** Seals and verifies the tamper-evident tables of one store. */
export class Ledger {
  /** Per table: the highest id seen and the transactions in progress then (sealed at the next round, once they have ended). */
  private candidates = new Map<string, { upTo: bigint; witness: string[] }>();

  constructor(private readonly prisma: PrismaClient, private readonly opts: LedgerOptions) {}

  /**
   * One sealing round for a table: seals what the previous round saw once the transactions then
   * in progress have ended (an id taken by one of them may still appear below rows already
   * visible), and notes what to seal next. Resolves with the rows sealed.
   */
  async sealRound(sealed: SealedTable): Promise<number> {
    const table = checkTable(sealed.table);
    const candidate = this.candidates.get(table);
    let count = 0;
    if (candidate && (candidate.witness.length === 0 || await this.ended(candidate.witness))) count = await this.seal(table, candidate.upTo);
    const [{ max }] = await this.prisma.$queryRawUnsafe<Array<{ max: string | null }>>(`SELECT max(id)::text AS max FROM ${table}`);
    const [{ xids }] = await this.prisma.$queryRawUnsafe<Array<{ xids: string[] }>>(OPEN_HERE).catch(() => [{ xids: [] as string[] }]);
    if (max !== null) this.candidates.set(table, { upTo: BigInt(max), witness: xids });
    return count;
  }

  /**
   * Seals every row of the table there is now, once the transactions in progress now have
   * ended (they may still commit ids below the newest): what `sealNow` promises. Waits for
   * them up to `waitMs` and seals nothing new when they outlast it (a later round will).
   */
  async sealSettled(sealed: SealedTable, waitMs = 10_000): Promise<number> {
    const table = checkTable(sealed.table);
    const [{ max }] = await this.prisma.$queryRawUnsafe<Array<{ max: string | null }>>(`SELECT max(id)::text AS max FROM ${table}`);
    if (max === null) return 0;
    const [{ xids }] = await this.prisma.$queryRawUnsafe<Array<{ xids: string[] }>>(OPEN_HERE).catch(() => [{ xids: [] as string[] }]);
    const end = Date.now() + waitMs;
    while (xids.length > 0 && !(await this.ended(xids))) {
      if (Date.now() > end) return 0;
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.seal(table, BigInt(max));
  }

  private async ended(witness: string[]): Promise<boolean> {
    const [row] = await this.prisma.$queryRawUnsafe<Array<{ running: number }>>(STILL_RUNNING, witness);
    return Number(row.running) === 0;
  }

  private async seal(table: string, upTo: bigint): Promise<number> {
    const last = await this.prisma.seal.findFirst({ where: { tableName: table }, orderBy: { toId: "desc" } });
    const fromId = (last?.toId ?? 0n) + 1n;
    if (upTo < fromId) return 0;
    const rows = await rowsBetween(this.prisma, table, fromId, upTo);
    if (rows.length === 0) return 0;
    const fields = { tableName: table, fromId, toId: upTo, rows: rows.length, digest: digestOf(rows), prevMac: last?.mac ?? GENESIS };
    const seal = await this.prisma.seal.create({ data: { ...fields, mac: sealMac(this.opts.key, fields) } });
    await mkdir(dirname(this.opts.anchorFile), { recursive: true });
    await appendFile(this.opts.anchorFile, `${JSON.stringify({ table, seal: String(seal.id), toId: String(seal.toId), mac: seal.mac })}\n`);
    return rows.length;
  }

  /** Checks every seal of a table: the chain and its keys, the rows under each, and the anchor. */
  async verify(sealed: SealedTable, range?: { from: bigint; to: bigint }): Promise<LedgerReport> {
    const table = checkTable(sealed.table);
    const seals = await this.prisma.seal.findMany({ where: { tableName: table }, orderBy: { toId: "asc" } });
    const problems: string[] = [];
    let prevMac = GENESIS;
    let next = 1n;
    for (const s of seals) {
      if (!sameHex(s.mac, sealMac(this.opts.key, s)) || s.prevMac !== prevMac || s.fromId !== next) problems.push(`seal ${s.id} (rows ${s.fromId}–${s.toId}) is not the one the hub wrote: the seal chain was rewritten`);
      prevMac = s.mac;
      next = s.toId + 1n;
      if (range && (s.toId < range.from || s.fromId > range.to)) continue;
      const rows = await rowsBetween(this.prisma, table, s.fromId, s.toId);
      if (rows.length !== s.rows || digestOf(rows) !== s.digest) problems.push(`rows ${s.fromId}–${s.toId} changed since they were sealed (${rows.length} rows now, ${s.rows} sealed): edited, inserted or deleted`);
    }
    problems.push(...await this.checkAnchor(table, seals));
    const lastSeal = seals.at(-1);
    return { table, valid: problems.length === 0, sealedRows: seals.reduce((n, s) => n + s.rows, 0), sealedUpTo: lastSeal ? String(lastSeal.toId) : null, problems };
  }

  /** The newest seal the anchor holds must still be in the database, unchanged. */
  private async checkAnchor(table: string, seals: SealRow[]): Promise<string[]> {
    const text = await readFile(this.opts.anchorFile, "utf8").catch(() => "");
    const anchored = text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { table: string; seal: string; toId: string; mac: string }).filter((a) => a.table === table).at(-1);
    if (!anchored) return [];
    const found = seals.find((s) => String(s.id) === anchored.seal);
    if (!found) return [`the anchor holds seal ${anchored.seal} (rows up to ${anchored.toId}) and the database does not: the newest seals are gone`];
    return found.mac === anchored.mac ? [] : [`seal ${anchored.seal} differs from the one anchored outside the database`];
  }
}
