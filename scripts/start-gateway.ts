// `npm run start:gateway`: the gateway alone, over a supergraph file (HUB_SUPERGRAPH)
// composed ahead of time, or over subgraphs running elsewhere (HUB_SUBGRAPHS=name=url,...).
import { loadConfigOrExit, startOrExit } from "./cli.js";
import { createLogger } from "../lib/logger.js";
import { startGateway, parseSubgraphList, gatewayLimitsFromConfig, authConfigFromConfig, type SupergraphSource } from "../gateway/index.js";
import { onShutdown } from "./shutdown.js";

const cfg = loadConfigOrExit();
const logger = createLogger("gateway", cfg.LOG_LEVEL);
let source: SupergraphSource;
if (cfg.HUB_SUPERGRAPH) source = { kind: "file", path: cfg.HUB_SUPERGRAPH };
else if (cfg.HUB_SUBGRAPHS) source = { kind: "subgraphs", subgraphs: parseSubgraphList(cfg.HUB_SUBGRAPHS) };
else {
  process.stderr.write("set HUB_SUPERGRAPH=path/to/supergraph.graphql or HUB_SUBGRAPHS=enterprise=http://...,individual=http://...\n");
  process.exit(2);
}
const gateway = await startOrExit("the gateway", logger, () => startGateway({
  source, port: cfg.PORT, host: cfg.HOST, gatewaySecret: cfg.HUB_GATEWAY_SECRET, auth: authConfigFromConfig(cfg), limits: gatewayLimitsFromConfig(cfg), introspection: cfg.HUB_INTROSPECTION, logger,
}));
process.stdout.write(`gateway ready: ${gateway.url}\n`);
onShutdown(logger, () => gateway.close());
