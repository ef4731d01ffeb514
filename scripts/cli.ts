// What every command shares: the config or one line saying what is wrong, and a start that fails in one line.
import { ConfigError, loadConfig, type HubConfig } from "../lib/config.js";
import type { Logger } from "../lib/logger.js";

/** The hub's settings, or one line on stderr naming the variable at fault and exit code 2 (no stack trace). */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): HubConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
}

/** Runs a start step; a failure is logged with its details and told in one line on stderr, and the process exits 1. */
export async function startOrExit<T>(what: string, logger: Logger, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    logger.error({ err }, `${what} failed to start`);
    process.stderr.write(`${what} failed to start: ${(err as Error).message.split("\n")[0]}\n`);
    process.exit(1);
  }
}
