import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

/**
 * A secret made once and kept under the data folder, for the embedded default only: production
 * configures its secrets. `npm run token` and `npm start` thereby agree without any setup.
 */
export function localSecret(dataDir: string, name: string): string {
  const file = join(dataDir, "auth", name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(join(dataDir, "auth"), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    return readFileSync(file, "utf8").trim(); // another process made it first
  }
}

/** The HS256 secret for partner tokens when none (and no JWKS URL) is configured. */
export const localJwtSecret = (dataDir: string) => localSecret(dataDir, "jwt-secret");

/** The key that seals the hub's tamper-evident tables when none is configured (HUB_LEDGER_KEY). */
export const localLedgerKey = (dataDir: string) => localSecret(dataDir, "ledger-key");
