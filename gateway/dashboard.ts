/**
 * `/dashboard`: the analysts' single-page application (web/), served from its build output
 * (web/dist, made by `npm install` and `npm test`). Static files only: the page reaches the hub
 * through /graphql and its WebSocket with the user's token, like any partner. sirv serves the
 * files it listed at the first request (nothing outside the build is reachable, whatever the
 * path says), with content types, ETags and the build's gzip copies.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { IncomingMessage, ServerResponse } from "node:http";
import sirv, { type RequestHandler } from "sirv";
import type { Route } from "../lib/service/http.js";

const PREFIX = "/dashboard";
const BUILD_DIR = fileURLToPath(new URL("../web/dist/", import.meta.url));

/** The page may load its own files and talk to its own origin (HTTP and WebSocket), nothing else. */
const SECURITY_HEADERS = {
  "content-security-policy": "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

function answer(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): true {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  res.end(text);
  return true;
}

export function dashboardRoute(dir: string = BUILD_DIR): Route {
  let serve: RequestHandler | undefined;
  return (req: IncomingMessage, res: ServerResponse) => {
    // The path as sent, not resolved: "/dashboard/../x" is the dashboard's to refuse, not another route's to serve.
    const [raw, query = ""] = (req.url ?? "/").split("?", 2);
    if (raw !== PREFIX && !raw.startsWith(`${PREFIX}/`)) return false;
    if (req.method !== "GET" && req.method !== "HEAD") return answer(res, 405, "the dashboard answers GET and HEAD only", { allow: "GET, HEAD" });
    // The token may travel in the fragment (#token=...), which a redirect keeps.
    if (raw === PREFIX) return answer(res, 308, "see /dashboard/", { location: `${PREFIX}/${query ? `?${query}` : ""}` });
    if (!serve) {
      if (!existsSync(`${dir}/index.html`)) return answer(res, 503, "the dashboard is not built: run `npm install` (or `npm run build:web`)");
      serve = sirv(dir, { etag: true, gzip: true, dev: false });
    }
    const path = raw.slice(PREFIX.length);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    // Hashed asset names change with their content; the page itself is checked on every load.
    res.setHeader("cache-control", path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    req.url = path;
    serve(req, res, () => {
      answer(res, 404, `no file ${path} in the dashboard`);
    });
    return true;
  };
}
