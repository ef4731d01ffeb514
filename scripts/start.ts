// `npm start`: the whole hub in one process on embedded defaults (or DATABASE_URL).
import { loadConfigOrExit, startOrExit } from "./cli.js";
import { createLogger } from "../lib/logger.js";
import { storeLocationFromConfig } from "../prisma/store.js";
import { startHub, hubOptionsFromConfig } from "../hub/start.js";
import { onShutdown } from "./shutdown.js";

const cfg = loadConfigOrExit();
const logger = createLogger("hub", cfg.LOG_LEVEL);
const hub = await startOrExit("the hub", logger, () => startHub({ ...hubOptionsFromConfig(cfg, storeLocationFromConfig(cfg)), logger }));
logger.info({ url: hub.url, store: hub.store.kind, subgraphs: Object.fromEntries(Object.entries(hub.subgraphs).map(([n, s]) => [n, s.url])) }, "hub ready");
process.stdout.write(`\n沿黄 credit data hub ready: ${hub.url}\n\n`);
onShutdown(logger, () => hub.close());
