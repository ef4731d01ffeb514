// A lean graphql-ws subscriber for the subscriptions bench: one real WebSocket (RFC 6455 over
// a TCP socket, handshake and framing done here) speaking the graphql-transport-ws protocol,
// handing each `next` message to the caller as bytes. The graphql-ws client library costs
// its process about 3.5 µs of CPU per message (frame, JSON.parse, validation, dispatch): on a
// 2-core machine that, not the hub, caps what a bench can deliver. This one reads frames in
// bulk and leaves parsing to the caller (a few indexOf calls), so the machine's cores go to
// the hub under test. Both are real clients of the same server; the bench reports which ran.
import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";

export interface LeanHandlers {
  /**
   * A `next` message: buf[start, end) (the whole graphql-ws message, in the received bytes);
   * `now` is when the bytes it came in arrived (performance.now() once per read).
   */
  next(buf: Buffer, start: number, end: number, now: number): void;
  /** Any other message (error, complete...), as text. */
  other(text: string): void;
  closed(code: number, reason: string): void;
}

const NEXT = Buffer.from('"type":"next"');
/** How the hub (and graphql-ws) start a `next` message of subscription "1". */
const NEXT_HEAD = Buffer.from('{"id":"1","type":"next"');

function isNext(buf: Buffer, start: number, end: number): boolean {
  if (end - start > NEXT_HEAD.length) {
    let i = 0;
    while (i < NEXT_HEAD.length && buf[start + i] === NEXT_HEAD[i]) i++;
    if (i === NEXT_HEAD.length) return true;
  }
  return buf.subarray(start, end).indexOf(NEXT) !== -1;
}

/** A masked client frame (clients must mask, RFC 6455 §5.3). */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const len = payload.length;
  const head = len < 126 ? 2 : len < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + 4 + len);
  out[0] = 0x80 | opcode;
  if (len < 126) out[1] = 0x80 | len;
  else if (len < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(len), 2);
  }
  mask.copy(out, head);
  for (let i = 0; i < len; i++) out[head + 4 + i] = payload[i] ^ mask[i & 3];
  return out;
}

export class LeanSubscriber {
  private socket: Socket | null = null;
  private pending: Buffer | null = null;
  private handshaken = false;
  private acked: (() => void) | null = null;
  private done = false;

  constructor(private url: string, private handlers: LeanHandlers) {}

  private sendJson(message: unknown): void {
    this.socket?.write(clientFrame(0x1, Buffer.from(JSON.stringify(message))));
  }

  /** Connects, initialises and subscribes; resolves once the server has acknowledged the connection. */
  start(query: string, connectionParams: Record<string, unknown> = {}): Promise<void> {
    const u = new URL(this.url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: u.hostname, port: Number(u.port || 80) });
      this.socket = socket;
      socket.setNoDelay(true);
      const key = randomBytes(16).toString("base64");
      socket.once("connect", () => {
        socket.write(
          `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
        );
      });
      this.acked = () => {
        this.sendJson({ id: "1", type: "subscribe", payload: { query } });
        resolve();
      };
      socket.on("data", (chunk: Buffer) => this.onData(chunk, reject, connectionParams));
      socket.on("error", (err) => {
        if (!this.handshaken) reject(err);
      });
      socket.on("close", () => {
        if (!this.done) {
          this.done = true;
          this.handlers.closed(1006, "connection lost");
        }
      });
    });
  }

  private onData(chunk: Buffer, reject: (e: Error) => void, connectionParams: Record<string, unknown>): void {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let o = 0;
    if (!this.handshaken) {
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) {
        this.pending = buf;
        return;
      }
      const head = buf.toString("latin1", 0, end);
      if (!/^HTTP\/1\.1 101/.test(head)) {
        reject(new Error(`upgrade refused: ${head.split("\r\n")[0]}`));
        this.socket?.destroy();
        return;
      }
      this.handshaken = true;
      o = end + 4;
      this.sendJson({ type: "connection_init", payload: connectionParams });
    }
    const now = performance.now();
    while (buf.length - o >= 2) {
      const opcode = buf[o] & 0x0f;
      let len = buf[o + 1] & 0x7f;
      let p = o + 2;
      if (len === 126) {
        if (buf.length - o < 4) break;
        len = buf.readUInt16BE(o + 2);
        p = o + 4;
      } else if (len === 127) {
        if (buf.length - o < 10) break;
        len = Number(buf.readBigUInt64BE(o + 2));
        p = o + 10;
      }
      if (buf.length < p + len) break;
      const end = p + len;
      if (opcode === 0x1) {
        // Server frames are never fragmented by ws or the hub for messages this size.
        if (isNext(buf, p, end)) this.handlers.next(buf, p, end, now);
        else {
          const text = buf.toString("utf8", p, end);
          if (text.includes('"connection_ack"')) this.acked?.();
          else this.handlers.other(text);
        }
      } else if (opcode === 0x9) {
        this.socket?.write(clientFrame(0xa, buf.subarray(p, end)));
      } else if (opcode === 0x8) {
        const code = len >= 2 ? buf.readUInt16BE(p) : 1005;
        const reason = len > 2 ? buf.toString("utf8", p + 2, end) : "";
        if (!this.done) {
          this.done = true;
          this.handlers.closed(code, reason);
        }
        this.socket?.end();
        return;
      }
      o = end;
    }
    if (o < buf.length) this.pending = buf.subarray(o);
  }

  /** Completes the subscription and closes the connection. */
  async close(): Promise<void> {
    if (!this.socket || this.socket.destroyed) return;
    this.done = true;
    this.sendJson({ id: "1", type: "complete" });
    this.socket.write(clientFrame(0x8, Buffer.from([0x03, 0xe8])));
    this.socket.end();
    await new Promise((r) => setTimeout(r, 10));
    this.socket.destroy();
  }
}
