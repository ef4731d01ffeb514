// The baseline of `npm run bench -- gateway`: a stock Apollo gateway with default
// settings (no custom data source, plugins or HTTP front) over the hub's running
// subgraphs, so the bench can tell our gateway's overhead from Apollo's own.
//
//   BENCH_SUBGRAPHS=enterprise=http://127.0.0.1:p1/graphql,individual=http://127.0.0.1:p2/graphql \
//     node --import tsx bench/stockGateway.ts
//
// Prints one JSON line {"stockGateway": "<url>"} on stdout when it listens.
// It sends no gateway secret, so our subgraphs answer it with personal fields masked.

// Before any Apollo package loads, as lib/config.ts does for the hub: never phone home.
process.env.APOLLO_TELEMETRY_DISABLED = "1";

const { readFileSync } = await import("node:fs");
const { parse } = await import("graphql");
const { ApolloServer } = await import("@apollo/server");
const { startStandaloneServer } = await import("@apollo/server/standalone");
const { ApolloGateway } = await import("@apollo/gateway");
const { composeSupergraph } = await import("../gateway/compose.js");

const spec = process.env.BENCH_SUBGRAPHS;
if (!spec) {
  process.stderr.write("set BENCH_SUBGRAPHS=enterprise=<url>,individual=<url>\n");
  process.exit(2);
}
const subgraphs = spec.split(",").map((pair) => {
  const [name, url] = pair.split("=");
  // The contract each subgraph ships in its folder: the same SDL the hub composes from.
  const typeDefs = parse(readFileSync(new URL(`../subgraphs/${name}/schema.graphql`, import.meta.url), "utf8"));
  return { name, url, typeDefs };
});

const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composeSupergraph(subgraphs) }) });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT ?? 0), host: "127.0.0.1" },
});
process.stdout.write(`${JSON.stringify({ stockGateway: url })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
