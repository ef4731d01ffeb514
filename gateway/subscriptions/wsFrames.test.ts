import { describe, it, expect } from "@jest/globals";
import { createServer } from "node:http";
import type { Duplex } from "node:stream";
import { once } from "node:events";
import type { Writable } from "node:stream";
import * as wsModule from "ws";
import WebSocket, { WebSocketServer } from "ws";
import { Burst, Delivery } from "./fanout.js";
import { nextFrames, websocketWriter } from "./wsFrames.js";

// ws's own frame parser (exported by ws, not declared by @types/ws).
const { Receiver } = wsModule as unknown as { Receiver: new (o: { isServer: boolean }) => Writable };

describe("ready-made graphql-ws frames", () => {
  it("are read by a WebSocket client as the exact next messages, at every length encoding", async () => {
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    const accepted = new Promise<{ ws: WebSocket; socket: Duplex }>((resolve) =>
      http.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => resolve({ ws, socket }))));
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    const client = new WebSocket(`ws://127.0.0.1:${(http.address() as { port: number }).port}`);
    const got: string[] = [];
    client.on("message", (m, binary) => got.push(`${binary ? "binary" : "text"}:${m.toString("utf8")}`));
    const { ws, socket } = await accepted;
    await once(client, "open");
    // Payload lengths around the 7-bit, 16-bit and 64-bit length encodings, with multi-byte UTF-8.
    const results = [{ data: { a: 1 } }, { data: { name: "榆林煤业".repeat(10) } }, { data: { s: "x".repeat(200) } }, { data: { s: "信".repeat(30_000) } }];
    const writer = websocketWriter(ws, socket, "sub-1", 1000);
    expect(writer.write(new Burst(results.slice(0, 2).map((r, i) => new Delivery(String(i), JSON.stringify(r)))))).toBe(true);
    ws.send(JSON.stringify({ id: "sub-1", type: "complete" })); // ws's own frames interleave at frame boundaries
    const later = new Burst(results.slice(2).map((r, i) => new Delivery(String(i + 2), JSON.stringify(r))));
    writer.write(later);
    while (got.length < 5) await once(client, "message");
    expect(got).toEqual([
      ...results.slice(0, 2).map((r) => `text:${JSON.stringify({ id: "sub-1", type: "next", payload: r })}`),
      `text:{"id":"sub-1","type":"complete"}`,
      ...results.slice(2).map((r) => `text:${JSON.stringify({ id: "sub-1", type: "next", payload: r })}`),
    ]);
    client.close();
    await once(client, "close");
    wss.close();
    http.close();
  });

  it("never lets one subscriber's frames overwrite another's in flight (buffers reused only once sent)", async () => {
    const http = createServer();
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    const accepted: Array<{ ws: WebSocket; socket: Duplex }> = [];
    http.on("upgrade", (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => accepted.push({ ws, socket })));
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    const url = `ws://127.0.0.1:${(http.address() as { port: number }).port}`;
    const ids = ["sub-a", "sub-b", "sub-c"];
    const clients = ids.map(() => new WebSocket(url));
    const got = ids.map(() => [] as Array<{ id: string; seq: string }>);
    clients.forEach((c) => c.on("error", () => undefined));
    clients.forEach((c, i) => c.on("message", (m) => {
      try {
        const msg = JSON.parse(m.toString()) as { id: string; payload: { data: { seq: string } } };
        got[i].push({ id: msg.id, seq: msg.payload.data.seq });
      } catch {
        got[i].push({ id: "not JSON", seq: "?" });
      }
    }));
    await Promise.all(clients.map((c) => once(c, "open")));
    while (accepted.length < ids.length) await new Promise((r) => setTimeout(r, 5));
    // Server sockets in the order the clients connected.
    const writers = accepted.map(({ ws, socket }, i) => websocketWriter(ws, socket, ids[i], 1_000_000));
    // Bursts small (written at once) and large (more than the kernel takes: written later).
    let seq = 0;
    const sent: string[] = [];
    for (const size of [3, 1000, 5, 1500, 2]) {
      const burst = new Burst(Array.from({ length: size }, () => {
        const s = String(seq++);
        sent.push(s);
        return new Delivery(s, JSON.stringify({ data: { seq: s, pad: "榆".repeat(3000) } }));
      }));
      for (const w of writers) w.write(burst);
    }
    // A frame overwritten in flight breaks the stream (a wrong length or bad UTF-8): stop waiting then.
    const deadline = Date.now() + 10_000;
    while (got.some((g) => g.length < sent.length) && Date.now() < deadline && clients.every((c) => c.readyState === WebSocket.OPEN)) await new Promise((r) => setTimeout(r, 20));
    got.forEach((g, i) => {
      expect(g.map((x) => x.seq)).toEqual(sent);
      expect(new Set(g.map((x) => x.id))).toEqual(new Set([ids[i]]));
    });
    for (const c of clients) c.terminate();
    wss.close();
    http.close();
  }, 30_000);

  it("gives each subscription its own id in a burst's shared frames", () => {
    const burst = new Burst([1, 2, 3].map((n) => new Delivery(String(n), JSON.stringify({ data: { n, s: "平凉".repeat(n * 50) } }))));
    const decode = (frames: Buffer) => {
      const messages: unknown[] = [];
      const r = new Receiver({ isServer: false });
      r.on("message", (m: Buffer) => messages.push(JSON.parse(m.toString("utf8"))));
      r.on("error", (e: Error) => messages.push(`not a valid frame: ${e.message}`));
      r.write(frames);
      return messages;
    };
    for (const id of ["a", "b", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "ffffffff-4b5a-6978-8796-a5b4c3d2e1f0", 'say "hi"']) {
      expect(decode(nextFrames(burst, Buffer.from(JSON.stringify(id))))).toEqual([1, 2, 3].map((n) => ({ id, type: "next", payload: { data: { n, s: "平凉".repeat(n * 50) } } })));
    }
  });

  it("reports a client with too much unsent as too slow", async () => {
    const written: Buffer[] = [];
    const socket = { destroyed: false, writableLength: 0, write(b: Buffer) { written.push(b); this.writableLength += b.length; return false; } };
    const ws = { readyState: 1, OPEN: 1 } as unknown as WebSocket;
    const writer = websocketWriter(ws, socket as unknown as Duplex, "1", 3);
    const d = new Burst([new Delivery("1", JSON.stringify({ data: { n: 1 } }))]);
    expect([writer.write(d), writer.write(d), writer.write(d), writer.write(d)]).toEqual([true, true, true, false]);
  });
});
