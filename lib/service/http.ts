import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { GraphQLError } from "graphql";
import { HeaderMap, type ApolloServer, type BaseContext } from "@apollo/server";
import type { Logger } from "../logger.js";
import { sqlScope } from "../../prisma/statementCounter.js";

/** Extra routes a service mounts beside /graphql, /health and /ready. */
export type Route = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface HttpServiceOptions<TContext extends BaseContext, TAdmission = undefined> {
  name: string;
  apollo: ApolloServer<TContext>;
  /**
   * Runs before any GraphQL work (authentication, rate limits). A GraphQLError it
   * throws is the answer, with `extensions.http` giving status and headers.
   */
  admit?: (req: IncomingMessage) => Promise<TAdmission>;
  context: (args: { req: IncomingMessage; admission: TAdmission }) => Promise<TContext>;
  /** Answers /ready: false while a dependency (database, graph store) is down. */
  ready?: () => Promise<boolean>;
  routes?: Route[];
  maxBodyBytes?: number;
  /** Most operations in one batched (JSON array) request; 1 refuses batches. */
  maxBatch?: number;
  logger: Logger;
}

export interface RunningService {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function graphqlError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/** Whether any string in a parsed JSON body holds a NUL character. */
function hasNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => k.includes("\u0000") || hasNul(v));
  return false;
}

/** A coded error thrown before execution, sent with the status and headers it names. */
function sendRefusal(res: ServerResponse, err: GraphQLError): void {
  const { http, ...extensions } = err.extensions as { http?: { status?: number; headers?: Map<string, string> } };
  for (const [k, v] of http?.headers ?? []) res.setHeader(k, v);
  sendJson(res, http?.status ?? 400, { errors: [{ message: err.message, extensions }] });
}

/** The request body as UTF-8 text, or null when it is over `limit` bytes (reading stops there). */
export async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The one HTTP front every service of the hub uses: GraphQL over HTTP through
 * Apollo Server's integration API, health and readiness probes, body-size cap,
 * and errors in GraphQL's shape rather than stack traces.
 */
export function createHttpService<TContext extends BaseContext, TAdmission = undefined>(opts: HttpServiceOptions<TContext, TAdmission>): http.Server {
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/health") return sendJson(res, 200, { status: "ok", service: opts.name });
    if (url.pathname === "/ready") {
      const ok = opts.ready ? await opts.ready().catch(() => false) : true;
      return sendJson(res, ok ? 200 : 503, { status: ok ? "ready" : "not ready", service: opts.name });
    }
    for (const route of opts.routes ?? []) if (await route(req, res)) return;
    if (url.pathname !== "/graphql") return sendJson(res, 404, { error: "not found", see: "/graphql" });
    let admission: TAdmission;
    try {
      admission = opts.admit ? await opts.admit(req) : (undefined as TAdmission);
    } catch (err) {
      if (err instanceof GraphQLError) return sendRefusal(res, err);
      throw err;
    }

    let body: unknown;
    if (req.method === "POST") {
      const text = await readBody(req, limit);
      if (text === null) return graphqlError(res, 413, "PAYLOAD_TOO_LARGE", `request body over ${limit} bytes`);
      const type = req.headers["content-type"] ?? "";
      if (!type.startsWith("application/json") && !type.startsWith("application/graphql-response+json")) {
        return graphqlError(res, 415, "UNSUPPORTED_MEDIA_TYPE", "send GraphQL requests as application/json");
      }
      try {
        body = JSON.parse(text);
      } catch {
        return graphqlError(res, 400, "BAD_REQUEST", "request body is not valid JSON");
      }
      // No text column accepts NUL; refuse it here rather than fail deep in a store.
      if (hasNul(body)) return graphqlError(res, 400, "BAD_USER_INPUT", "text must not contain NUL (\\u0000) characters");
      const maxBatch = opts.maxBatch ?? 1;
      if (Array.isArray(body) && body.length > maxBatch) {
        return graphqlError(res, 400, "BAD_REQUEST", `at most ${maxBatch} operation(s) per batched request, got ${body.length}`);
      }
    }
    if (url.search.includes("%00")) return graphqlError(res, 400, "BAD_USER_INPUT", "text must not contain NUL (\\u0000) characters");
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const response = await opts.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search: url.search, body },
      context: () => opts.context({ req, admission }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
  const server = http.createServer((req, res) => {
    // Each request in its own scope, which the subgraph runtime marks when the caller is the hub's background work.
    sqlScope.run({ background: false }, () => handle(req, res)).catch((err: unknown) => {
      opts.logger.error({ err }, "request failed");
      if (!res.headersSent) graphqlError(res, 500, "INTERNAL_SERVER_ERROR", "internal error");
      else res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/** How long a closing server lets requests in flight finish before cutting their connections. */
export const CLOSE_GRACE_MS = 5000;

export async function listen(server: http.Server, port: number, host: string): Promise<RunningService> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  return {
    url: `http://${shownHost}:${address.port}/graphql`,
    port: address.port,
    server,
    close: () => closeServer(server),
  };
}

/**
 * Stops accepting, lets requests in flight finish, then resolves. `server.close()` alone
 * closes only the connections idle at that moment: one whose request finishes afterwards
 * stays open as keep-alive until `keepAliveTimeout` (65 s), and close() waited that long.
 * So while closing, connections that have become idle are closed every few milliseconds,
 * and whatever is still open after {@link CLOSE_GRACE_MS} (a stream nobody ended) is cut.
 */
export function closeServer(server: http.Server, graceMs = CLOSE_GRACE_MS): Promise<void> {
  return new Promise<void>((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 20);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(force);
      resolve();
    });
  });
}
