/**
 * graphql-ws (the graphql-transport-ws protocol) on the gateway's own port and path: the
 * library runs the protocol (init, auth, subscribe, complete, ping); results go out as
 * ready-made frames written by the fan-out (wsFrames.ts), not through the library's send.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { useServer } from "graphql-ws/use/ws";
import type { Identity } from "../../../lib/auth/identity.js";
import { websocketWriter } from "../wsFrames.js";
import { atTokenExpiry, TOKEN_EXPIRED } from "./expiry.js";
import type { MemberWriter } from "../fanout.js";
import type { Prepared, TransportDeps } from "../types.js";

export interface WebSocketTransport {
  attach(server: Server): void;
  close(): Promise<void>;
}

interface WsRequest { identity: Identity; writer: MemberWriter }

/** Closes the socket with 4401 when the token expires; the timer goes with the socket. */
function closeAtExpiry(ws: WebSocket, identity: Identity, open: Set<() => void>): void {
  const cancel = atTokenExpiry(identity, () => ws.close(4401, TOKEN_EXPIRED));
  open.add(cancel);
  ws.once("close", () => {
    cancel();
    open.delete(cancel);
  });
}

export function serveWebSocket(deps: TransportDeps): WebSocketTransport {
  // Off, because results are written as ready-made frames (wsFrames.ts).
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sockets = new WeakMap<WebSocket, Duplex>();
  const expiryTimers = new Set<() => void>();
  useServer<Record<string, unknown>, { identity: Identity }>({
    onConnect: async (ctx) => {
      const headers = { ...ctx.extra.request.headers } as Record<string, string>;
      for (const [k, v] of Object.entries(ctx.connectionParams ?? {})) if (typeof v === "string") headers[k.toLowerCase()] = v;
      try {
        const identity = await deps.authenticate({ headers } as unknown as IncomingMessage);
        ctx.extra.identity = identity;
        closeAtExpiry(ctx.extra.socket, identity, expiryTimers);
        return true;
      } catch (err) {
        ctx.extra.socket.close(4401, (err as Error).message.slice(0, 120));
        return false;
      }
    },
    onSubscribe: (ctx, id, payload) => {
      const prepared = deps.prepare(payload.query, payload.operationName, payload.variables ?? undefined);
      if (Array.isArray(prepared)) return prepared;
      const ws = ctx.extra.socket;
      const request: WsRequest = { identity: ctx.extra.identity!, writer: websocketWriter(ws, sockets.get(ws)!, id, deps.maxQueue) };
      return { schema: prepared.schema, document: prepared.document, variableValues: payload.variables, operationName: payload.operationName, contextValue: { request, prepared } };
    },
    subscribe: (args) => {
      const { request, prepared } = args.contextValue as { request: WsRequest; prepared: Prepared };
      return deps.start(prepared, request.identity, null, request.writer);
    },
  }, wss);

  return {
    attach(server) {
      server.on("upgrade", (req, socket, head) => {
        if (new URL(req.url ?? "/", "http://x").pathname !== "/graphql") return socket.destroy();
        wss.handleUpgrade(req, socket, head, (ws) => {
          sockets.set(ws, socket);
          wss.emit("connection", ws, req);
        });
      });
    },
    async close() {
      for (const cancel of expiryTimers) cancel();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
