import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import { withinQueue, type Burst, type Delivery, type MemberWriter } from "./fanout.js";

/** Header length of an unmasked (server-to-client) frame whose payload is `len` bytes (RFC 6455 §5.2). */
const headerLength = (len: number) => (len < 126 ? 2 : len < 65536 ? 4 : 10);

const HEAD = Buffer.from('{"id":', "utf8");
const TYPE = Buffer.from(',"type":"next","payload":', "utf8");

/** A burst's frames with the subscription id left blank, and where each id goes. */
interface Template {
  frames: Buffer;
  idOffsets: number[];
}

/**
 * graphql-ws `next` messages, `{"id":<id>,"type":"next","payload":<result>}`, as complete
 * WebSocket text frames in one buffer, for a subscription id of `idLength` bytes (as JSON).
 */
function template(deliveries: readonly Delivery[], idLength: number): Template {
  let total = 0;
  for (const d of deliveries) {
    const len = HEAD.length + idLength + TYPE.length + d.bytes.length + 1;
    total += headerLength(len) + len;
  }
  const frames = Buffer.allocUnsafe(total);
  const idOffsets: number[] = [];
  let o = 0;
  for (const d of deliveries) {
    const len = HEAD.length + idLength + TYPE.length + d.bytes.length + 1;
    frames[o++] = 0x81; // FIN, text
    if (len < 126) frames[o++] = len;
    else if (len < 65536) {
      frames[o++] = 126;
      o = frames.writeUInt16BE(len, o);
    } else {
      frames[o++] = 127;
      o = frames.writeBigUInt64BE(BigInt(len), o);
    }
    o += HEAD.copy(frames, o);
    idOffsets.push(o);
    o += idLength;
    o += TYPE.copy(frames, o);
    o += d.bytes.copy(frames, o);
    frames[o++] = 0x7d; // "}"
  }
  return { frames, idOffsets };
}

/**
 * One subscription's frames for a burst: the burst's shared template (built once for
 * every member whose id has this length) copied whole, and the id written in.
 */
export function nextFrames(burst: Burst, id: Buffer, into?: Buffer): Buffer {
  const t = burst.shared(`ws:${id.length}`, () => template(burst.deliveries, id.length));
  const out = into?.length === t.frames.length ? into : Buffer.allocUnsafe(t.frames.length);
  t.frames.copy(out, 0);
  // Ids are short: a plain loop beats a native copy call per frame.
  for (const off of t.idOffsets) for (let j = 0; j < id.length; j++) out[off + j] = id[j];
  return out;
}

/**
 * Writes a graphql-ws subscription's results straight to its socket: one write per
 * burst instead of one `ws.send` (and one syscall) per message. Frames go whole into
 * the same stream ws writes to, so they interleave with its own messages (complete,
 * ping) only at frame boundaries; this needs permessage-deflate off, which it is.
 * A client with more than `maxQueue` messages' worth of bytes unsent is too slow.
 */
export function websocketWriter(ws: WebSocket, socket: Duplex, id: string, maxQueue: number): MemberWriter {
  const idJson = Buffer.from(JSON.stringify(id), "utf8");
  return {
    write(burst) {
      if (ws.readyState !== ws.OPEN || socket.destroyed) return true;
      const spare = burst.shared<{ buf?: Buffer }>(`ws-spare:${idJson.length}`, () => ({}));
      const frames = nextFrames(burst, idJson, spare.buf);
      spare.buf = undefined;
      socket.write(frames);
      // Nothing left unsent: the kernel took the bytes during write() and nothing holds the
      // buffer any more, so the next subscriber of this burst fills it again (less garbage).
      if (socket.writableLength === 0) spare.buf = frames;
      return withinQueue(socket.writableLength, maxQueue, frames.length, burst.deliveries.length);
    },
    drop: (reason) => ws.close(4008, reason.slice(0, 120)),
  };
}
