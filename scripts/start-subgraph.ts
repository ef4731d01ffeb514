// `npm run start:subgraph -- <name>`: one subgraph as its own process, as production deploys them.
import { randomBytes } from "node:crypto";
import { loadConfigOrExit, startOrExit } from "./cli.js";
import { createLogger } from "../lib/logger.js";
import { openStore, storeLocationFromConfig } from "../prisma/store.js";
import { startSubgraph } from "../lib/service/subgraph.js";
import { subgraphModules } from "../hub/subgraphs.js";
import { hubOptionsFromConfig } from "../hub/options.js";
import { onShutdown } from "./shutdown.js";

const cfg = loadConfigOrExit();
// Without the shared secret no gateway can vouch for callers: every request but `_service` is refused.
const secret = cfg.HUB_GATEWAY_SECRET ?? randomBytes(32).toString("base64url");
const ledger = hubOptionsFromConfig(cfg, storeLocationFromConfig(cfg)).ledger!;
const modules = subgraphModules(cfg, { gatewaySecret: secret, ledgerKey: ledger.key, urlOf: (name) => (name === "enterprise" ? cfg.HUB_ENTERPRISE_URL : undefined) });
const name = process.argv[2];
const mod = name ? modules[name] : undefined;
if (!mod) {
  process.stderr.write(`usage: npm run start:subgraph -- <${Object.keys(modules).join("|")}>\n`);
  process.exit(2);
}
const logger = createLogger(`subgraph:${name}`, cfg.LOG_LEVEL);
if (!cfg.HUB_GATEWAY_SECRET) logger.warn("HUB_GATEWAY_SECRET not set: no gateway can reach this subgraph");
const { store, running } = await startOrExit(`the ${name} subgraph`, logger, async () => {
  const store = await openStore(storeLocationFromConfig(cfg));
  const running = await startSubgraph(mod, { store, port: cfg.SUBGRAPH_PORT, host: cfg.HOST, gatewaySecret: secret, ledger, logger });
  await running.startBackground();
  running.startRelay();
  return { store, running };
});
process.stdout.write(`${name} subgraph ready: ${running.url}\n`);
onShutdown(logger, async () => {
  await running.close();
  await store.close();
});
