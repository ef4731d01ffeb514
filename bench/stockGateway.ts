// The baseline of `npm run bench -- gateway`: a stock Apollo gateway with default
// settings (startStandaloneServer, no plugins, Apollo's own data source and fetcher)
// over the hub's running subgraphs, so the bench can tell our gateway's overhead from
// Apollo's own.
//
//   BENCH_SUBGRAPHS=enterprise=http://127.0.0.1:p1/graphql,individual=http://127.0.0.1:p2/graphql \
//     node --import tsx bench/stockGateway.ts
//
// Prints one JSON line {"stockGateway": "<url>"} on stdout when it listens.
// Its one addition to the defaults: BENCH_FORWARD_HEADERS (comma list) names request
// headers it passes on to the subgraphs, the usual header propagation, so the bench
// can hand our subgraphs the identity they require (x-hub-identity). Without it, it
// sends no gateway credentials and our subgraphs treat it as an outside caller.

// Before any Apollo package loads, as lib/config.ts does for the hub: never phone home.
process.env.APOLLO_TELEMETRY_DISABLED = "1";

const { ApolloServer } = await import("@apollo/server");
const { startStandaloneServer } = await import("@apollo/server/standalone");
const { ApolloGateway, RemoteGraphQLDataSource } = await import("@apollo/gateway");
const { composeSupergraph } = await import("../gateway/compose.js");
const { loadSubgraphSchema } = await import("../lib/service/schema.js");

const spec = process.env.BENCH_SUBGRAPHS;
if (!spec) {
  process.stderr.write("set BENCH_SUBGRAPHS=enterprise=<url>,individual=<url>\n");
  process.exit(2);
}
const subgraphs = spec.split(",").map((pair) => {
  const [name, url] = pair.split("=");
  // The contract each subgraph ships in its folder: the same SDL the hub composes from.
  const typeDefs = loadSubgraphSchema(new URL(`../subgraphs/${name}/schema.graphql`, import.meta.url));
  return { name, url, typeDefs };
});

interface Context {
  headers: Record<string, string | string[] | undefined>;
}
const forward = (process.env.BENCH_FORWARD_HEADERS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
// Default data source (and its default fetcher); only the listed headers are added.
const buildService = ({ url }: { url?: string }) =>
  new RemoteGraphQLDataSource<Context>({
    url,
    willSendRequest({ request, context }) {
      for (const h of forward) {
        const value = context.headers?.[h];
        if (typeof value === "string") request.http?.headers.set(h, value);
      }
    },
  });

const server = new ApolloServer<Context>({
  gateway: new ApolloGateway({ supergraphSdl: composeSupergraph(subgraphs), ...(forward.length ? { buildService } : {}) }),
});
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT ?? 0), host: "127.0.0.1" },
  context: async ({ req }) => ({ headers: req.headers }),
});
process.stdout.write(`${JSON.stringify({ stockGateway: url })}\n`);
// SIGTERM: Apollo's default signal handler stops the server and exits.
