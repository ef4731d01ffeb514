/**
 * Paths a partner's public opens without a token (a printed report's verification page): the
 * gateway forwards GET and HEAD under each prefix to the service that declared it, and nothing
 * else. It knows no service by name: the composition root hands it the prefixes and targets.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Route } from "../lib/service/http.js";
import type { Logger } from "../lib/logger.js";

const PASSED_HEADERS = ["content-type", "content-length", "content-disposition", "content-security-policy", "cache-control", "x-content-type-options", "referrer-policy"];

export function publicPathsRoute(paths: Array<{ prefix: string; target: () => string | undefined }>, logger: Logger): Route {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const raw = (req.url ?? "/").split("?", 1)[0];
    const path = paths.find((p) => raw === p.prefix || raw.startsWith(p.prefix.endsWith("/") ? p.prefix : `${p.prefix}/`));
    if (!path) return false;
    const answer = (status: number, text: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...extra });
      res.end(text);
      return true;
    };
    if (req.method !== "GET" && req.method !== "HEAD") return answer(405, "public pages answer GET and HEAD only", { allow: "GET, HEAD" });
    const target = path.target();
    if (!target) return answer(503, "the service behind this page is not running");
    try {
      const upstream = await fetch(new URL(req.url ?? "/", new URL(target).origin), {
        method: req.method,
        headers: { "x-forwarded-host": req.headers.host ?? "", "x-forwarded-proto": String(req.headers["x-forwarded-proto"] ?? "http"), "accept-language": req.headers["accept-language"] ?? "" },
      });
      const headers: Record<string, string> = {};
      for (const h of PASSED_HEADERS) {
        const v = upstream.headers.get(h);
        if (v) headers[h] = v;
      }
      res.writeHead(upstream.status, headers);
      res.end(req.method === "HEAD" ? undefined : Buffer.from(await upstream.arrayBuffer()));
    } catch (err) {
      logger.error({ err, path: raw }, "public page failed");
      if (!res.headersSent) return answer(502, "the page could not be produced; try again later");
      res.end();
    }
    return true;
  };
}
