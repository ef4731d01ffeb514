import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import http from "node:http";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import { dashboardRoute } from "./dashboard.js";

/** A raw request: Node's http client sends the path as written (fetch would resolve "..", which is the point here). */
function get(port: number, path: string, method = "GET", headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("latin1") }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the dashboard's static files route", () => {
  let root: string;
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "dashboard-"));
    const dist = join(root, "dist");
    await mkdir(join(dist, "assets"), { recursive: true });
    await writeFile(join(root, "secret.txt"), "outside the build");
    await writeFile(join(dist, ".env"), "HIDDEN=1");
    await writeFile(join(dist, "index.html"), "<!doctype html><title>看板</title>");
    await writeFile(join(dist, "assets", "index-abc.js"), "console.log('app')");
    await writeFile(join(dist, "assets", "index-abc.js.gz"), gzipSync("console.log('app')"));
    await writeFile(join(dist, "assets", "index-abc.css"), "body{}");
    const route = dashboardRoute(dist);
    const missing = dashboardRoute(join(root, "not-built"));
    server = http.createServer(async (req, res) => {
      if (req.url?.startsWith("/unbuilt")) { req.url = req.url.slice("/unbuilt".length); if (await missing(req, res)) return; }
      if (!(await route(req, res))) { res.writeHead(418); res.end("not mine"); }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await rm(root, { recursive: true, force: true });
  });

  it("serves the page and its files with their content types, hashed files cached for good", async () => {
    const page = await get(port, "/dashboard/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html;charset=utf-8");
    expect(page.headers["cache-control"]).toBe("no-cache");
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    const js = await get(port, "/dashboard/assets/index-abc.js");
    expect([js.status, js.headers["content-type"], js.body]).toEqual([200, "text/javascript", "console.log('app')"]);
    expect(js.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await get(port, "/dashboard/assets/index-abc.css")).headers["content-type"]).toBe("text/css");
    const gz = await get(port, "/dashboard/assets/index-abc.js", "GET", { "accept-encoding": "gzip" });
    expect([gz.headers["content-encoding"], gz.headers["content-type"]]).toEqual(["gzip", "text/javascript"]);
  });

  it("sends /dashboard to /dashboard/ (the fragment with the token stays with the browser), and answers GET and HEAD only", async () => {
    const r = await get(port, "/dashboard");
    expect([r.status, r.headers.location]).toEqual([308, "/dashboard/"]);
    expect((await get(port, "/dashboard/", "POST")).status).toBe(405);
    expect((await get(port, "/dashboard/", "HEAD")).status).toBe(200);
  });

  it.each([
    "/dashboard/../secret.txt", "/dashboard/%2e%2e/secret.txt", "/dashboard/assets/..%2f..%2fsecret.txt", "/dashboard/..%5csecret.txt",
    "/dashboard/.env", "/dashboard//etc/passwd", "/dashboard/assets/%00.js", "/dashboard/nothing.js",
  ])("serves nothing outside the build: %s", async (path) => {
    const r = await get(port, path);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain("outside the build");
    expect(r.body).not.toContain("HIDDEN");
  });

  it("leaves other paths to the other routes, and says how to build when there is no build", async () => {
    expect((await get(port, "/dashboards")).status).toBe(418);
    expect((await get(port, "/graphql")).status).toBe(418);
    const r = await get(port, "/unbuilt/dashboard/");
    expect(r.status).toBe(503);
    expect(r.body).toContain("npm run build:web");
  });
});
