// Reading one listEntryChanged delivery out of what a subscriber worker receives: the object
// the graphql-ws client parsed, or the lean client's bytes (read at the hub's fixed offsets
// when the message is laid out as the hub writes it, else found by searching).
import { MEASURED, readEventId, WARMUP } from "./subscriptionProtocol.js";

/** What an event id says (readEventId): a measured event's index (≥ 0), or one of these. */
export const FOREIGN = -1;
export const WARMUP_EVENT = -2;

/** One delivery to subscriber `s`; `receivedAt` (performance.now()) defaults to now. */
export type OnDelivery<S> = (s: S, event: number, sequence: number, occurredAtMs: number, entity: boolean, receivedAt?: number) => void;

interface Delivery {
  id: string;
  sequence: string;
  occurredAt: string;
  entry?: { id: string; state: string } | null;
}

const FIELD = Buffer.from('"listEntryChanged":{"id":"');
const SEQUENCE = Buffer.from('"sequence":"');
const OCCURRED = Buffer.from('"occurredAt":"');
const ERRORS = Buffer.from('"errors":');
const ENTRY = Buffer.from('"entry":{"id":"');

/** What the hub writes before the event id in a result without errors (graphql-ws puts `id` first). */
const DATA_HEAD = Buffer.from('{"id":"1","type":"next","payload":{"data":{"listEntryChanged":{"id":"');
const SEQ_GAP = '","sequence":"'.length;
const TIME_GAP = '","occurredAt":"'.length;
const MEASURED_BYTES = Buffer.from(MEASURED);
const WARMUP_BYTES = Buffer.from(WARMUP);

const same = (m: Buffer, at: number, b: Buffer) => {
  for (let i = 0; i < b.length; i++) if (m[at + i] !== b[i]) return false;
  return true;
};
const hex = (c: number) => (c <= 57 ? c - 48 : c - 87);

export class MessageReader<S> {
  /** Payloads carrying GraphQL errors. */
  errorPayloads = 0;
  private readonly tagBytes: Buffer;
  /** The minute of the last commit time read on the fast path, parsed once for the many in it. */
  private readonly minuteBytes = Buffer.alloc(16);
  private minuteMs = NaN;

  constructor(private readonly tag: string, private readonly withEntity: boolean, private readonly onDelivery: OnDelivery<S>) {
    this.tagBytes = Buffer.from(tag, "latin1");
  }

  private classify(id: string): number {
    const parsed = readEventId(this.tag, id);
    return !parsed ? FOREIGN : parsed.warmup ? WARMUP_EVENT : parsed.index;
  }

  /** A delivery from the object the graphql-ws client parsed. */
  fromResult(s: S, data: Record<string, unknown> | null | undefined, errors: boolean): void {
    if (errors) this.errorPayloads++;
    const e = data?.listEntryChanged as Delivery | undefined;
    // Stream positions are dense and far below 2^53 in a bench: numbers, not BigInts.
    if (e) this.onDelivery(s, this.classify(e.id), Number(e.sequence), Date.parse(e.occurredAt), !!e.entry?.id);
  }

  /** A lean client's `next` message, buf[start, end). */
  fromBytes(s: S, buf: Buffer, start: number, end: number, receivedAt: number): void {
    if (!this.fastPath(s, buf, start, end, receivedAt)) this.search(s, buf.subarray(start, end), receivedAt);
  }

  /** The fields found by searching (any layout). */
  private search(s: S, m: Buffer, receivedAt: number): void {
    if (m.indexOf(ERRORS) !== -1) this.errorPayloads++;
    const f = m.indexOf(FIELD);
    if (f === -1) return;
    const idStart = f + FIELD.length;
    const q = m.indexOf(SEQUENCE, idStart) + SEQUENCE.length;
    const a = m.indexOf(OCCURRED, q) + OCCURRED.length;
    this.onDelivery(s, this.classify(m.toString("latin1", idStart, idStart + 36)), Number(m.toString("latin1", q, m.indexOf(0x22, q))),
      Date.parse(m.toString("latin1", a, m.indexOf(0x22, a))), this.withEntity && m.indexOf(ENTRY, a) !== -1, receivedAt);
  }

  /**
   * The lean client's fast path: the fields at their offsets in the hub's message, read byte
   * by byte (the same checks as readEventId and Date.parse, without strings or searches).
   * False when the message is laid out otherwise (errors, another server): then search.
   */
  private fastPath(s: S, m: Buffer, start: number, end: number, receivedAt: number): boolean {
    const n = start + DATA_HEAD.length;
    if (end - n < 36 + SEQ_GAP + 1 + TIME_GAP + 24 || !same(m, start, DATA_HEAD)) return false;
    let event = FOREIGN;
    if (same(m, n, this.tagBytes) && m[n + 8] === 0x2d) {
      if (same(m, n + 9, WARMUP_BYTES)) event = WARMUP_EVENT;
      else if (same(m, n + 9, MEASURED_BYTES)) {
        event = 0;
        for (let i = n + 24; i < n + 36; i++) event = event * 16 + hex(m[i]);
      }
    }
    let p = n + 36 + SEQ_GAP;
    let sequence = 0;
    for (let c = m[p]; c >= 48 && c <= 57; c = m[++p]) sequence = sequence * 10 + c - 48;
    const t = p + TIME_GAP;
    if (m[t + 23] !== 0x5a /* Z */) return false;
    if (!same(m, t, this.minuteBytes)) {
      m.copy(this.minuteBytes, 0, t, t + 16);
      this.minuteMs = Date.parse(`${this.minuteBytes.toString("latin1")}:00.000Z`);
    }
    const at = this.minuteMs + (m[t + 17] - 48) * 10_000 + (m[t + 18] - 48) * 1000 + (m[t + 20] - 48) * 100 + (m[t + 21] - 48) * 10 + (m[t + 22] - 48);
    this.onDelivery(s, event, sequence, at, this.withEntity && m.subarray(t, end).indexOf(ENTRY) !== -1, receivedAt);
    return true;
  }
}
