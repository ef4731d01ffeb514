// One subgraph's outbox table as the relay reads it: its statements, its rows, and the event a row becomes.
import type { PrismaClient } from "../prisma/store.js";
import type { HubEvent } from "./types.js";

/**
 * What a subgraph that emits events declares: its outbox table (`schema.table`, with the
 * columns every outbox has: id, event_id, type, entry_id, city_code, payload, occurred_at)
 * and the `HubEvent.stream` its events are published under.
 */
export interface OutboxDeclaration {
  table: string;
  stream: string;
}

export interface OutboxRow {
  id: bigint | number | string;
  event_id: string;
  type: string;
  entry_id: number | bigint | string;
  city_code: string;
  payload: unknown;
  occurred_at: Date | string;
}

/** A table name goes into SQL text (it cannot be a parameter): only plain `schema.table` identifiers pass. */
export const OUTBOX_TABLE_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;
const COLUMNS = "id, event_id, type, entry_id, city_code, payload, occurred_at";

/** Casts in the statements make the parameter types explicit whatever the driver adapter sends. */
export class OutboxTable {
  private readonly sql: { readAfter: string; readRange: string; maxId: string };

  constructor(
    private readonly prisma: PrismaClient,
    private readonly outbox: OutboxDeclaration,
  ) {
    const table = outbox.table;
    if (!OUTBOX_TABLE_NAME.test(table)) throw new Error(`outbox relay: '${table}' is not a schema.table name`);
    this.sql = {
      readAfter: `SELECT ${COLUMNS} FROM ${table} WHERE id > $1::bigint ORDER BY id LIMIT $2::int`,
      readRange: `SELECT ${COLUMNS} FROM ${table} WHERE id >= $1::bigint AND id <= $2::bigint ORDER BY id`,
      maxId: `SELECT max(id)::text AS max FROM ${table}`,
    };
  }

  get name(): string {
    return this.outbox.table;
  }

  /** Up to `limit` rows with an id above `position`, in id order. */
  rowsAfter(position: bigint, limit: number): Promise<OutboxRow[]> {
    return this.prisma.$queryRawUnsafe<OutboxRow[]>(this.sql.readAfter, position.toString(), limit);
  }

  /** The rows with ids lo..hi (both included) visible now. */
  rowsBetween(lo: bigint, hi: bigint): Promise<OutboxRow[]> {
    return this.prisma.$queryRawUnsafe<OutboxRow[]>(this.sql.readRange, lo.toString(), hi.toString());
  }

  /** The highest id in the table; 0 when empty. */
  async maxId(): Promise<bigint> {
    const [{ max }] = await this.prisma.$queryRawUnsafe<Array<{ max: bigint | number | string | null }>>(this.sql.maxId);
    return BigInt(max ?? 0);
  }

  toEvent(r: OutboxRow): HubEvent {
    return {
      id: String(r.event_id),
      stream: this.outbox.stream,
      type: r.type,
      entityId: String(r.entry_id),
      city: String(r.city_code).trim(),
      occurredAt: (r.occurred_at instanceof Date ? r.occurred_at : new Date(r.occurred_at)).toISOString(),
      payload: typeof r.payload === "string" ? parseJson(r.payload) : r.payload,
      outboxId: String(r.id),
    };
  }
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
