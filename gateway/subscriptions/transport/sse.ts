/**
 * GraphQL over SSE for clients that cannot hold a WebSocket. Ours rather than the graphql-sse
 * library's handler, which runs and serializes the operation per client: here every SSE
 * subscriber of a shared operation gets the one text the fan-out builds per burst (fanout.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GraphQLError } from "graphql";
import type { Identity } from "../../../lib/auth/identity.js";
import type { Logger } from "../../../lib/logger.js";
import type { TransportDeps } from "../types.js";
import { readBody } from "../../../lib/service/http.js";
import { Membership, withinQueue } from "../fanout.js";
import { atTokenExpiry, TOKEN_EXPIRED } from "./expiry.js";

function refuse(res: ServerResponse, status: number, errors: ReadonlyArray<GraphQLError | { message: string; extensions?: unknown }>): true {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify({ errors: errors.map((e) => ({ message: e.message, extensions: e.extensions })) }));
  return true;
}

/** The subscription request: from the query string (GET) or the JSON body (POST); null when the body is over 64 KiB. */
async function requestOf(req: IncomingMessage, url: URL): Promise<{ query?: unknown; variables?: Record<string, unknown>; operationName?: string } | null> {
  if (req.method === "GET") {
    const v = url.searchParams.get("variables");
    return { query: url.searchParams.get("query"), variables: v ? JSON.parse(v) : undefined, operationName: url.searchParams.get("operationName") ?? undefined };
  }
  const text = await readBody(req, 64 * 1024);
  return text === null ? null : JSON.parse(text);
}

/**
 * GraphQL over Server-Sent Events (graphql-sse's distinct-connections format:
 * `next` and `complete` events), for clients that cannot hold a WebSocket. Each
 * event carries its stream sequence as the SSE id, so a reconnecting EventSource
 * resumes through Last-Event-ID without gap or duplicate.
 */
export async function serveSse(req: IncomingMessage, res: ServerResponse, opts: TransportDeps & { path: string; logger: Logger }): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname !== opts.path) return false;
  let identity: Identity;
  try {
    identity = await opts.authenticate(req);
  } catch (err) {
    const e = err as GraphQLError;
    return refuse(res, (e.extensions?.http as { status?: number } | undefined)?.status ?? 401, [e]);
  }
  let body;
  try {
    body = await requestOf(req, url);
  } catch {
    return refuse(res, 400, [{ message: "request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }]);
  }
  if (!body) return refuse(res, 413, [{ message: "subscription request over 64 KiB", extensions: { code: "PAYLOAD_TOO_LARGE" } }]);
  const prepared = opts.prepare(body.query, body.operationName, body.variables);
  if (Array.isArray(prepared)) return refuse(res, 400, prepared);
  const lastEventId = req.headers["last-event-id"];
  const resumeAfter = typeof lastEventId === "string" && /^\d+$/.test(lastEventId) ? lastEventId : null;
  const open = () => {
    if (res.headersSent) return;
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" });
    res.write(": connected\n\n");
  };
  const joined = await opts.start(prepared, identity, resumeAfter, {
    write(burst) {
      if (res.destroyed) return true;
      open();
      // The same text for every SSE subscriber of the operation: built once per burst.
      const text = burst.shared("sse", () => burst.deliveries.map((d) => `id: ${d.sequence}\nevent: next\ndata: ${d.json}\n\n`).join(""));
      res.write(text);
      return withinQueue(res.writableLength, opts.maxQueue, text.length, burst.deliveries.length);
    },
    drop: () => res.end(),
  });
  if (!(joined instanceof Membership)) return refuse(res, 400, joined.errors ?? []);
  open();
  // As over WebSocket (4401): the stream ends when the token expires, with an error event saying so.
  const cancelExpiry = atTokenExpiry(identity, () => {
    if (res.destroyed) return;
    res.end(`event: next\ndata: ${JSON.stringify({ errors: [{ message: TOKEN_EXPIRED, extensions: { code: "UNAUTHENTICATED" } }] })}\n\nevent: complete\ndata:\n\n`);
  });
  // The response, not the request: a request emits "close" once its body is read, not when the client goes away.
  res.once("close", () => {
    cancelExpiry();
    void joined.return();
  });
  try {
    // Results are written by the shared operation; this waits for the stream's end.
    for await (const _ of joined) break;
    if (!res.writableEnded) res.end("event: complete\ndata:\n\n");
  } catch (err) {
    opts.logger.warn({ err }, "SSE subscription ended with an error");
    if (!res.writableEnded) res.end();
  }
  return true;
}
