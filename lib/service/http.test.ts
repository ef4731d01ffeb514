import { describe, expect, it } from "@jest/globals";
import http from "node:http";
import { closeServer, listen } from "./http.js";

/**
 * A server whose one route answers after `ms`, with a keep-alive far longer than any test;
 * `arrived` resolves when the first request is in (closing before it is would refuse it).
 */
async function slowServer(ms: number) {
  let arrive = () => {};
  const arrived = new Promise<void>((r) => (arrive = r));
  const server = http.createServer((_req, res) => {
    arrive();
    setTimeout(() => res.end("done"), ms).unref();
  });
  server.keepAliveTimeout = 10 * 60_000;
  return { ...(await listen(server, 0, "127.0.0.1")), arrived };
}

describe("closing an HTTP service", () => {
  it("lets a request in flight finish, then closes its keep-alive connection instead of waiting for it to time out", async () => {
    const svc = await slowServer(300);
    const answer = fetch(`http://127.0.0.1:${svc.port}/`).then((r) => r.text());
    await svc.arrived;
    let closed = false;
    const closing = svc.close().then(() => (closed = true));
    expect(await answer).toBe("done");
    // server.close() alone would wait for the 10-minute keep-alive here (the test would time out).
    await closing;
    expect(closed).toBe(true);
    expect(svc.server.listening).toBe(false);
  });

  it("cuts a request that outlives the grace period", async () => {
    const svc = await slowServer(60_000);
    const answer = fetch(`http://127.0.0.1:${svc.port}/`).then((r) => r.text()).then(() => "answered", () => "cut");
    await svc.arrived;
    await closeServer(svc.server, 200);
    expect(await answer).toBe("cut");
  });
});
