import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "graphql";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { createHttpService, listen, type RunningService } from "../lib/service/http.js";
import { createLogger } from "../lib/logger.js";
import { composeSupergraph } from "../gateway/compose.js";
import { postGraphQL } from "./support.js";

/** A subgraph that is not ours: the gateway must serve any valid Federation 2 supergraph. */
async function startForeignSubgraph(): Promise<RunningService & { typeDefs: ReturnType<typeof parse> }> {
  const typeDefs = parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Product @key(fields: "sku") { sku: ID! title: String! }
    type Query { product(sku: ID!): Product }`);
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema([{ typeDefs, resolvers: { Query: { product: (_: unknown, a: { sku: string }) => ({ sku: a.sku, title: `title of ${a.sku}` }) } } }]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const running = await listen(createHttpService({ name: "products", apollo, context: async () => ({}), logger: createLogger("products", "silent") }), 0, "127.0.0.1");
  return { ...running, typeDefs, close: async () => { await running.close(); await apollo.stop(); } };
}

function waitForLine(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${ms} ms:\n${seen}`)), ms);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = seen.match(pattern);
      if (m) { clearTimeout(timer); resolve(m[1] ?? m[0]); }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`exited with ${code}:\n${seen}`)); });
  });
}

describe("npm run start:gateway over a supergraph composed ahead of time", () => {
  let products: Awaited<ReturnType<typeof startForeignSubgraph>>;
  let gateway: ChildProcess;
  let url: string;

  beforeAll(async () => {
    products = await startForeignSubgraph();
    const dir = mkdtempSync(join(tmpdir(), "hub-supergraph-"));
    const file = join(dir, "supergraph.graphql");
    writeFileSync(file, composeSupergraph([{ name: "products", url: products.url, typeDefs: products.typeDefs }]));
    gateway = spawn(process.execPath, ["--import", "tsx", "scripts/start-gateway.ts"], {
      // A foreign supergraph trial: token checks off, as documented for local trials.
      env: { ...process.env, HUB_SUPERGRAPH: file, PORT: "0", LOG_LEVEL: "warn", HUB_AUTH: "off", HUB_DATA_DIR: dir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    url = await waitForLine(gateway, /gateway ready: (\S+)/, 30_000);
  }, 60_000);

  afterAll(async () => {
    if (gateway && gateway.exitCode === null) {
      const exited = new Promise((r) => gateway.once("exit", r));
      gateway.kill("SIGTERM");
      await exited;
    }
    await products?.close();
  });

  it("answers queries against the foreign subgraph and serves /health", async () => {
    const r = await postGraphQL<{ product: { sku: string; title: string } }>(url, `{ product(sku: "A-1") { sku title } }`);
    expect(r.data).toEqual({ product: { sku: "A-1", title: "title of A-1" } });
    const health = await fetch(url.replace("/graphql", "/health"));
    expect(health.status).toBe(200);
  });

  it("exits cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((r) => gateway.once("exit", (code) => r(code)));
    gateway.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
