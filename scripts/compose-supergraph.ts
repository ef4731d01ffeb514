// `npm run compose -- --out supergraph.graphql`: composes the hub's supergraph ahead
// of time from each subgraph's SDL file and its URL (HUB_SUBGRAPHS=name=url,...),
// for `HUB_SUPERGRAPH=... npm run start:gateway` in production.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "./cli.js";
import { subgraphModules } from "../hub/subgraphs.js";
import { composeSupergraph } from "../gateway/compose.js";
import { parseSubgraphList } from "../gateway/index.js";

const { values } = parseArgs({ options: { out: { type: "string" } } });
const cfg = loadConfigOrExit();
const modules = subgraphModules(cfg);
if (!cfg.HUB_SUBGRAPHS) {
  process.stderr.write(`set HUB_SUBGRAPHS=${Object.keys(modules).map((n) => `${n}=http://host:port/graphql`).join(",")}\n`);
  process.exit(2);
}
const endpoints = parseSubgraphList(cfg.HUB_SUBGRAPHS).map(({ name, url }) => {
  const mod = modules[name];
  if (!mod) throw new Error(`unknown subgraph '${name}' (known: ${Object.keys(modules).join(", ")})`);
  return { name, url, typeDefs: mod.typeDefs };
});
const sdl = composeSupergraph(endpoints);
if (values.out) writeFileSync(values.out, sdl);
else process.stdout.write(sdl);
