import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

/**
 * The HS256 secret for partner tokens. Production must configure it (or a JWKS
 * URL); for local use it is made once and kept under the data folder, so that
 * `npm run token` and `npm start` agree without any setup.
 */
export function localJwtSecret(dataDir: string): string {
  const file = join(dataDir, "auth", "jwt-secret");
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
